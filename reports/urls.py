"""The public statistics under /amar/: the page and the same figures as CSV and JSON."""

from django.urls import path

from core.caching import public_page
from reports import views

app_name = "statistics"

urlpatterns = [
    path("", public_page(views.StatisticsView.as_view(), params=("year",)), name="index"),
    path("data.csv", public_page(views.statistics_csv, params=("year",)), name="csv"),
    path("data.json", public_page(views.statistics_json, params=("year",)), name="json"),
]
