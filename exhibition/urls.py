from django.urls import path

from exhibition import views

app_name = "exhibition"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
