"""Staff URLs of the parallel-work report: see coordination/panel_urls.py."""

from django.urls import path

from coordination import report_views

urlpatterns = [
    path("", report_views.ReportView.as_view(), name="report"),
    path("review/", report_views.ReviewView.as_view(), name="review"),
    path("export.<slug:fmt>", report_views.ReportExportView.as_view(), name="export"),
    path("rules/", report_views.RulesView.as_view(), name="rules"),
]
