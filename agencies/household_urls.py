"""The household registry's own pages (see household_panel_urls). Households are named by
their row number; no URL carries a national ID or a name."""

from django.urls import path

from agencies import household_views as views

urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="list"),
    path("register/", views.HouseholdRegisterView.as_view(), name="register"),
    path("find/", views.HouseholdFindView.as_view(), name="find"),
    path("log/", views.HouseholdAccessLogView.as_view(), name="log"),
    path("<int:pk>/", views.HouseholdDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.HouseholdEditView.as_view(), name="edit"),
    path("<int:pk>/erase/", views.HouseholdEraseView.as_view(), name="erase"),
]
