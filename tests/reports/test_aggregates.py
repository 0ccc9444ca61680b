"""Every figure of the dashboards against the hand-worked table in conftest.py."""

import pytest

from agencies.access import scope_for
from agencies.choices import RecordStatus
from core.periods import Period
from reports import aggregates
from reports.aggregates import Figures, Selection
from tests.reports.conftest import MILLION, jalali

pytestmark = pytest.mark.django_db

YEAR_1405 = Selection(period=Period.of_year(1405))


def staff(user):
    return aggregates.staff_records(user), scope_for(user)


def by_label(table):
    return {
        row.subject.label: (row.figures.records, row.figures.beneficiaries) for row in table.rows
    }


def test_headline_of_the_year_counts_every_live_state_but_not_the_deleted_or_last_year(
    report_world,
):
    records, _scope = staff(report_world.coordinator)
    assert aggregates.headline(YEAR_1405.apply(records)) == Figures(
        records=5, beneficiaries=160, households=35, disabled=11, cost=16 * MILLION
    )


def test_headline_of_approved_records_leaves_the_submitted_one_out(report_world):
    records, _scope = staff(report_world.coordinator)
    approved = YEAR_1405.replace(status=RecordStatus.APPROVED)
    assert aggregates.headline(approved.apply(records)) == Figures(
        records=4, beneficiaries=100, households=23, disabled=6, cost=10 * MILLION
    )


def test_month_boundary_mehr_and_aban(report_world):
    records, _scope = staff(report_world.coordinator)
    mehr = Selection(period=Period.of_month(1405, 7))
    aban = Selection(period=Period.of_month(1405, 8))
    assert aggregates.headline(mehr.apply(records)).beneficiaries == 10
    assert aggregates.headline(aban.apply(records)).beneficiaries == 110


def test_a_date_range_across_the_new_year_takes_both_sides(report_world):
    records, _scope = staff(report_world.coordinator)
    new_year = Selection(period=Period.of_range(jalali("1404/12/29"), jalali("1405/01/01")))
    assert aggregates.headline(new_year.apply(records)).beneficiaries == 90  # r5 + r4


def test_breakdowns_by_agency_city_neighbourhood_and_domain(report_world):
    records, scope = staff(report_world.coordinator)
    selected = YEAR_1405.apply(records)

    def table(key):
        return by_label(aggregates.breakdown(selected, key, YEAR_1405, scope))

    assert table("agency") == {"امداد": (4, 130), "هلال": (1, 30)}
    assert table("city") == {"سمنان": (4, 100), "شاهرود": (1, 60)}
    assert table("neighbourhood") == {"کوی آزادی": (1, 40), "کوی زرین": (3, 60), "کوثر": (1, 60)}
    assert table("domain") == {"معیشت": (3, 90), "سلامت": (2, 70)}
    assert aggregates.breakdown(selected, "domain", YEAR_1405, scope).total.beneficiaries == 160


def test_a_city_filter_narrows_the_figures_and_the_subjects(report_world):
    records, scope = staff(report_world.coordinator)
    semnan = YEAR_1405.replace(city=report_world.cities.semnan)
    table = aggregates.breakdown(semnan.apply(records), "neighbourhood", semnan, scope)
    assert by_label(table) == {"کوی آزادی": (1, 40), "کوی زرین": (3, 60)}


def test_trend_puts_last_years_months_beside_this_years(report_world):
    records, _scope = staff(report_world.coordinator)
    trend = aggregates.trend(records, YEAR_1405)
    rows = {
        row.label: (row.current.beneficiaries, row.previous.beneficiaries) for row in trend.rows
    }
    assert len(trend.rows) == 12
    assert rows["فروردین"] == (40, 0)
    assert rows["مهر"] == (10, 0)
    assert rows["آبان"] == (110, 5)
    assert rows["اسفند"] == (0, 50)
    assert (trend.current_total.beneficiaries, trend.previous_total.beneficiaries) == (160, 55)
    assert trend.previous_period.label == "سال ۱۴۰۴"


def test_pivot_city_by_agency_with_both_margins(report_world):
    records, scope = staff(report_world.coordinator)
    pivot = aggregates.pivot(
        YEAR_1405.apply(records),
        rows="city",
        columns="agency",
        measure="beneficiaries",
        selection=YEAR_1405,
        scope=scope,
    )
    assert [c.label for c in pivot.columns] == ["امداد", "هلال"]
    assert [(line.subject.label, line.cells, line.total) for line in pivot.lines] == [
        ("سمنان", [70, 30], 100),
        ("شاهرود", [60, 0], 60),
    ]
    assert pivot.column_totals == [130, 30]
    assert pivot.total == 160


def test_pivot_months_of_a_quarter_by_domain(report_world):
    records, scope = staff(report_world.coordinator)
    autumn = Selection(period=Period.of_quarter(1405, 3))
    pivot = aggregates.pivot(
        autumn.apply(records),
        rows="month",
        columns="domain",
        measure="records",
        selection=autumn,
        scope=scope,
    )
    assert [(line.subject.label, line.cells) for line in pivot.lines] == [
        ("مهر ۱۴۰۵", [1, 0]),
        ("آبان ۱۴۰۵", [2, 1]),
        ("آذر ۱۴۰۵", [0, 0]),
    ]
    assert (pivot.column_totals, pivot.total) == ([3, 1], 4)


def test_indicators_by_city(report_world):
    records, scope = staff(report_world.coordinator)
    result = aggregates.indicators(
        YEAR_1405.apply(records), level="city", selection=YEAR_1405, scope=scope
    )
    semnan, shahrud = result.rows
    assert (semnan.population, semnan.households_total) == (3000, 750)
    assert semnan.coverage == pytest.approx(100 / 3000)
    assert semnan.household_coverage == pytest.approx(23 / 750)
    assert semnan.figures.cost_per_beneficiary == 100_000
    assert (shahrud.coverage, shahrud.household_coverage) == (
        pytest.approx(0.12),
        pytest.approx(0.12),
    )
    assert result.total.coverage == pytest.approx(160 / 3500)
    assert [(s.label, share) for s, share in result.agency_shares] == [
        ("امداد", 0.8),
        ("هلال", 0.2),
    ]


def test_indicators_by_neighbourhood(report_world):
    records, scope = staff(report_world.coordinator)
    result = aggregates.indicators(
        YEAR_1405.apply(records), level="neighbourhood", selection=YEAR_1405, scope=scope
    )
    coverage = {row.subject.label: row.coverage for row in result.rows}
    assert coverage == {
        "کوی آزادی": pytest.approx(40 / 2000),
        "کوی زرین": pytest.approx(60 / 1000),
        "کوثر": pytest.approx(60 / 500),
    }


def test_completeness_lists_silent_houses_first(report_world):
    records, scope = staff(report_world.coordinator)
    result = aggregates.completeness(
        records, selection=YEAR_1405, scope=scope, today=jalali("1405/08/20"), silent_after_days=15
    )
    rows = [
        (r.house.agency.short_name, r.house.neighbourhood.name, r.silent_days, r.is_silent)
        for r in result.houses
    ]
    assert rows == [
        ("امداد", "کوی آزادی", 235, True),  # 6×31 + 30 + 19 days after 1405/01/01
        ("امداد", "کوی زرین", 19, True),
        ("هلال", "کوی زرین", 5, False),  # its deleted record of Khordad does not count
        ("امداد", "کوثر", 10, False),
    ]
    assert result.silent_count == 2
    months = {r.house.pk: r.months for r in result.houses}
    assert [i + 1 for i, hit in enumerate(months[report_world.houses.emdad_zarrin.pk]) if hit] == [
        7,
        8,
    ]
    assert result.month_counts == [1, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0]


def test_a_clerk_counts_only_her_agency(report_world):
    records, scope = staff(report_world.emdad_clerk)
    assert aggregates.headline(YEAR_1405.apply(records)).beneficiaries == 130
    table = aggregates.breakdown(YEAR_1405.apply(records), "agency", YEAR_1405, scope)
    assert by_label(table) == {"امداد": (4, 130)}
