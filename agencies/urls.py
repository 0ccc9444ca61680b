from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
