"""Staff panel URLs of the exhibition app, mounted at /panel/exhibition/ by portal/urls.py."""

from django.urls import path

from exhibition import panel_views as views

app_name = "exhibition_panel"

urlpatterns = [
    path("", views.ExhibitionListView.as_view(), name="index"),
    path("new/", views.ExhibitionFormView.as_view(), name="exhibition_new"),
    path("<int:pk>/", views.ExhibitionDetailView.as_view(), name="exhibition"),
    path("<int:pk>/edit/", views.ExhibitionFormView.as_view(), name="exhibition_edit"),
    path("<int:exhibition_pk>/booths/new/", views.BoothFormView.as_view(), name="booth_new"),
    path("booths/<int:pk>/", views.BoothDetailView.as_view(), name="booth"),
    path("booths/<int:pk>/edit/", views.BoothFormView.as_view(), name="booth_edit"),
    path("booths/<int:pk>/delete/", views.BoothDeleteView.as_view(), name="booth_delete"),
    path(
        "booths/<int:booth_pk>/exhibits/new/", views.ExhibitFormView.as_view(), name="exhibit_new"
    ),
    path("exhibits/<int:pk>/", views.ExhibitDetailView.as_view(), name="exhibit"),
    path("exhibits/<int:pk>/edit/", views.ExhibitFormView.as_view(), name="exhibit_edit"),
    path("exhibits/<int:pk>/delete/", views.ExhibitDeleteView.as_view(), name="exhibit_delete"),
    path("exhibits/<int:pk>/photos/", views.PhotoUploadView.as_view(), name="photo_upload"),
    path("photos/<int:pk>/edit/", views.PhotoFormView.as_view(), name="photo_edit"),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo_delete"),
]
