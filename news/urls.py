"""Public news URLs under /news/; /n/<code>/ and sitemap.xml live in portal/urls.py."""

from django.urls import path

from core.caching import Topic, public_page
from news import feeds, views

app_name = "news"
NEWS = (Topic.NEWS,)  # a saved service record leaves these pages cached

urlpatterns = [
    path(
        "",
        public_page(views.ArticleListView.as_view(), params=("category", "page"), topics=NEWS),
        name="index",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path(
        "tag/<str:slug>/",
        public_page(views.TagView.as_view(), params=("page",), topics=NEWS),
        name="tag",
    ),
    path("feed/rss/", public_page(feeds.LatestNewsFeed(), topics=NEWS), name="feed_rss"),
    path("feed/atom/", public_page(feeds.LatestNewsAtomFeed(), topics=NEWS), name="feed_atom"),
    path("tag/<str:slug>/rss/", public_page(feeds.TagNewsFeed(), topics=NEWS), name="tag_feed_rss"),
    path(
        "tag/<str:slug>/atom/",
        public_page(feeds.TagNewsAtomFeed(), topics=NEWS),
        name="tag_feed_atom",
    ),
    path(
        "<int:code>/<str:slug>/",
        # Served from the cache to anonymous readers; a visit it answers still counts.
        public_page(views.ArticleDetailView.as_view(), topics=NEWS, on_hit=views.count_view),
        name="detail",
    ),
    path("<int:code>/<str:slug>/print/", views.ArticlePrintView.as_view(), name="print"),
]
