from django.urls import path

from neighbourhoods import views

app_name = "neighbourhoods"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
