"""Staff dashboards under /panel/dashboard/: every page takes the same filters in its URL."""

from django.urls import path

from reports import export_views, map_views, panel_views, report_views

app_name = "reports_panel"

urlpatterns = [
    path("", panel_views.DashboardView.as_view(), name="dashboard"),
    path("pivot/", panel_views.PivotView.as_view(), name="pivot"),
    path("indicators/", panel_views.IndicatorsView.as_view(), name="indicators"),
    path("completeness/", panel_views.CompletenessView.as_view(), name="completeness"),
    path("map/", map_views.MapView.as_view(), name="map"),
    path("report/", report_views.ReportView.as_view(), name="report"),
    path("report.pdf", report_views.ReportPdfView.as_view(), name="report_pdf"),
    path(
        "export/<slug:table>.<slug:fmt>",
        export_views.DashboardExportView.as_view(),
        name="export",
    ),
]
