"""The public statistics under /amar/: the page and the same figures as CSV and JSON."""

from django.urls import path

from core.caching import Topic, public_page
from reports import views

app_name = "statistics"
PROGRAM = (Topic.PROGRAM,)  # figures of records and places only

urlpatterns = [
    path(
        "",
        public_page(views.StatisticsView.as_view(), params=("year",), topics=PROGRAM),
        name="index",
    ),
    path(
        "data.csv", public_page(views.statistics_csv, params=("year",), topics=PROGRAM), name="csv"
    ),
    path(
        "data.json",
        public_page(views.statistics_json, params=("year",), topics=PROGRAM),
        name="json",
    ),
]
