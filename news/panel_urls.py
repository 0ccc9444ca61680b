"""Staff panel URLs of the news app, mounted under /panel/news/ by portal/urls.py."""

from django.urls import path

from news import panel_views as views

app_name = "news_panel"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="articles"),
    path("new/", views.ArticleCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.ArticleUpdateView.as_view(), name="edit"),
    path("<int:pk>/preview/", views.ArticlePreviewView.as_view(), name="preview"),
    path("comments/", views.CommentQueueView.as_view(), name="comments"),
]
