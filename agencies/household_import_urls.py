"""Loading households from a spreadsheet (see household_panel_urls): the page that checks and
saves a file, and the template to fill in."""

from django.urls import path

from agencies import household_import_views

urlpatterns = [
    path("import/", household_import_views.HouseholdImportView.as_view(), name="import"),
    path(
        "import/template.xlsx",
        household_import_views.HouseholdImportTemplateView.as_view(),
        name="import_template",
    ),
]
