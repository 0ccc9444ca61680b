"""Staff URLs of the division of labour: see coordination/panel_urls.py."""

from django.urls import path

from coordination import division_views

urlpatterns = [
    path("division/", division_views.DivisionMatrixView.as_view(), name="division"),
    path(
        "division/<int:neighbourhood_id>/",
        division_views.DivisionEditView.as_view(),
        name="division_edit",
    ),
    path(
        "division/<int:neighbourhood_id>/history/",
        division_views.DivisionHistoryView.as_view(),
        name="division_history",
    ),
    path(
        "division/<int:neighbourhood_id>/apply-to-city/",
        division_views.DivisionApplyView.as_view(),
        name="division_apply",
    ),
]
