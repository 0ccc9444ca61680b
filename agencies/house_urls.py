"""Staff URLs for the houses, mounted under /panel/houses/ by portal/urls.py."""

from django.urls import path

from agencies import house_views as views

app_name = "houses_panel"

urlpatterns = [
    path("", views.HouseListView.as_view(), name="list"),
    path("<int:pk>/edit/", views.HouseUpdateView.as_view(), name="edit"),
    path("<int:pk>/history/", views.HouseHistoryView.as_view(), name="history"),
]
