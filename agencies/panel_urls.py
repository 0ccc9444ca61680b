"""Staff panel URLs of the agencies app, mounted under /panel/records/ by portal/urls.py."""

from django.urls import path

from agencies import export_views, record_import_views
from agencies import panel_views as views

app_name = "agencies_panel"

urlpatterns = [
    path("", views.RecordListView.as_view(), name="list"),
    path("new/", views.RecordCreateView.as_view(), name="create"),
    path("deleted/", views.DeletedRecordListView.as_view(), name="deleted"),
    path("export.<slug:fmt>", export_views.RecordExportView.as_view(), name="export"),
    path("import/", record_import_views.RecordImportView.as_view(), name="import"),
    path(
        "import/template.xlsx",
        record_import_views.RecordImportTemplateView.as_view(),
        name="import_template",
    ),
    path("<int:pk>/", views.RecordDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RecordUpdateView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.RecordDeleteView.as_view(), name="delete"),
    path("<int:pk>/history/", views.RecordHistoryView.as_view(), name="history"),
    path("<int:pk>/restore/", views.RecordRestoreView.as_view(), name="restore"),
    path("<int:pk>/submit/", views.RecordSubmitView.as_view(), name="submit"),
    path("<int:pk>/return/", views.RecordReturnView.as_view(), name="return"),
    path("approve/", views.RecordApproveView.as_view(), name="approve"),
]
