"""The staff dashboard pages, as a coordinator and an agency clerk open them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_house, make_neighbourhood, make_record
from tests.reports.conftest import jalali

pytestmark = pytest.mark.django_db

DASHBOARD = "/panel/dashboard/"
YEAR = {"year": "1405"}


def open_page(client, user, url=DASHBOARD, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_coordinator_sees_the_years_headline_figures(client, report_world):
    response = open_page(client, report_world.coordinator, **YEAR)
    headline = response.context["headline"]
    assert (headline.records, headline.beneficiaries, headline.cost) == (5, 160, 16_000_000)
    text = response.content.decode()
    assert "۱۶۰" in text and "۱۶٬۰۰۰٬۰۰۰" in text


def test_the_filters_live_in_the_url(client, report_world):
    response = open_page(
        client,
        report_world.coordinator,
        year="1405",
        period="month",
        month="8",
        status="approved",
    )
    assert response.context["headline"].beneficiaries == 50  # r2 + r3; r6 is only submitted
    assert response.context["selection"].period.label == "آبان ۱۴۰۵"
    # Every tab keeps the same filters.
    assert 'href="/panel/dashboard/pivot/?year=1405&amp;period=month' in response.content.decode()


def test_each_chart_has_the_numbers_of_the_table_under_it(client, report_world):
    response = open_page(client, report_world.coordinator, **YEAR)
    charts = response.context["chart_data"]
    breakdowns = response.context["breakdowns"]
    for key in ("agency", "domain", "city"):
        table = [row.figures.beneficiaries for row in breakdowns[key].rows]
        assert charts[key]["values"] == table
    assert charts["agency"]["colours"] == ["#1f5fa8", "#c62828"]
    assert charts["trend"]["current"][7] == 110 and charts["trend"]["previous"][7] == 5
    assert 'id="dashboard-data"' in response.content.decode()


def test_the_chart_measure_is_chosen_in_the_url(client, report_world):
    response = open_page(client, report_world.coordinator, year="1405", measure="cost")
    assert response.context["chart_data"]["agency"]["values"] == [13_000_000, 3_000_000]
    assert [row["current"] for row in response.context["trend_rows"]][7] == 11_000_000


def test_a_clerk_sees_her_agency_whatever_the_url_asks(client, report_world):
    helal = report_world.agencies.helal
    response = open_page(client, report_world.emdad_clerk, year="1405", agency=str(helal.pk))
    assert response.context["headline"].beneficiaries == 130
    assert [r.subject.label for r in response.context["breakdowns"]["agency"].rows] == ["امداد"]
    assert "هلال" not in [r.subject.label for r in response.context["breakdowns"]["agency"].rows]


def test_bad_values_are_named_and_left_out(client, report_world):
    response = open_page(
        client,
        report_world.coordinator,
        year="۱۴۰۴x",
        period="range",
        start="1405/13/40",
        city="999999",
        measure="<script>",
    )
    text = response.content.decode()
    assert "بعضی فیلترها پذیرفته نشد" in text
    # Nothing valid was chosen: the current year, every record in scope.
    assert response.context["selection"].city is None
    assert "<script>" not in text.split('id="dashboard-data"')[0].split("</form>")[-1]


def test_the_pivot_has_both_margins(client, report_world):
    response = open_page(
        client,
        report_world.coordinator,
        "/panel/dashboard/pivot/",
        year="1405",
        rows="city",
        columns="agency",
        measure="beneficiaries",
    )
    pivot = response.context["pivot"]
    assert [line.total for line in pivot.lines] == [100, 60]
    assert (pivot.column_totals, pivot.total) == ([130, 30], 160)


def test_the_pivot_never_crosses_a_dimension_with_itself(client, report_world):
    response = open_page(
        client, report_world.coordinator, "/panel/dashboard/pivot/", rows="city", columns="city"
    )
    pivot = response.context["pivot"]
    assert (pivot.rows_dimension.key, pivot.columns_dimension.key) == ("city", "agency")


def test_the_indicators_page_shows_coverage_in_persian(client, report_world):
    response = open_page(
        client, report_world.coordinator, "/panel/dashboard/indicators/", year="1405", level="city"
    )
    text = response.content.decode()
    assert "۳٫۳٪" in text  # 100 of Semnan's 3,000 people
    assert "۱۲٪" in text  # 60 of Kowsar's 500
    assert "۸۰٪" in text  # Emdad's share of the records


def test_the_completeness_page_puts_silent_houses_first(client, report_world):
    response = open_page(
        client,
        report_world.coordinator,
        "/panel/dashboard/completeness/",
        year="1405",
        silent_days="۱۵",
    )
    houses = response.context["completeness"].houses
    assert houses[0].house == report_world.houses.emdad_azadi  # silent since Farvardin
    assert response.context["completeness"].silent_after_days == 15


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        DASHBOARD + "?year=1405",
        "/panel/dashboard/pivot/?year=1405&rows=neighbourhood&columns=month",
        "/panel/dashboard/indicators/?year=1405",
        "/panel/dashboard/completeness/?year=1405",
    ],
)
def test_the_query_count_does_not_grow_with_the_records(client, report_world, url):
    client.force_login(report_world.coordinator)
    small = _queries(client, url)
    for _n in range(6):
        house = make_house(
            agency=report_world.agencies.helal,
            neighbourhood=make_neighbourhood(city=report_world.cities.shahrud),
        )
        for day in ("1405/02/02", "1405/05/05", "1405/09/01"):
            make_record(
                house=house, service_type=report_world.types.visit, delivered_on=jalali(day)
            )
    assert _queries(client, url) == small
    # The overview also shows the coordination boxes (targets, findings): about ten more.
    assert small <= (40 if url.startswith(DASHBOARD + "?") else 30)
