"""Staff URLs of "what others did here": see coordination/panel_urls.py."""

from django.urls import path

from coordination import activity_views

urlpatterns = [
    path("activity/", activity_views.ActivityView.as_view(), name="activity"),
]
