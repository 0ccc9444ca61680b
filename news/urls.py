"""Public news URLs under /news/; /n/<code>/ and sitemap.xml live in portal/urls.py."""

from django.urls import path

from news import feeds, views
from news.caching import news_page

app_name = "news"

urlpatterns = [
    path("", news_page(views.ArticleListView.as_view()), name="index"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("tag/<str:slug>/", news_page(views.TagView.as_view()), name="tag"),
    path("feed/rss/", news_page(feeds.LatestNewsFeed()), name="feed_rss"),
    path("feed/atom/", news_page(feeds.LatestNewsAtomFeed()), name="feed_atom"),
    path("tag/<str:slug>/rss/", news_page(feeds.TagNewsFeed()), name="tag_feed_rss"),
    path("tag/<str:slug>/atom/", news_page(feeds.TagNewsAtomFeed()), name="tag_feed_atom"),
    path("<int:code>/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("<int:code>/<str:slug>/print/", views.ArticlePrintView.as_view(), name="print"),
]
