"""Staff URLs for the neighbourhood list, mounted under /panel/neighbourhoods/ by portal/urls.py."""

from django.urls import path

from agencies import neighbourhood_views as panel_views

app_name = "neighbourhoods_panel"

urlpatterns = [
    path("import/", panel_views.ImportView.as_view(), name="import"),
    path("import/apply/", panel_views.ImportApplyView.as_view(), name="import_apply"),
    path(
        "import/template.csv",
        panel_views.ImportTemplateView.as_view(),
        name="import_template",
    ),
]
