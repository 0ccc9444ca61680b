"""The captcha's picture and the "another picture" endpoint of static/js/comments.js, under
/captcha/ (portal/urls.py). Neither writes anything: see news/captcha.py."""

from django.urls import path

from news import captcha

app_name = "captcha"

urlpatterns = [
    path("image/<str:token>/", captcha.image_view, name="image"),
    path("refresh/", captcha.refresh_view, name="refresh"),
]
