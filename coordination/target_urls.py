"""Staff URLs of the yearly targets: see coordination/panel_urls.py."""

from django.urls import path

from coordination import target_views as views

urlpatterns = [
    path("targets/", views.TargetListView.as_view(), name="targets"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
    path("targets/import/", views.TargetImportView.as_view(), name="target_import"),
    path(
        "targets/import/template.xlsx",
        views.TargetTemplateView.as_view(),
        name="target_template",
    ),
    path(
        "targets/neighbourhood/<int:neighbourhood_id>/",
        views.TargetNeighbourhoodView.as_view(),
        name="target_neighbourhood",
    ),
]
