"""The dashboards' tables exported as XLSX and CSV, read back and compared cell by cell with
``reports.aggregates`` and with the hand-worked figures of conftest.py."""

import datetime as dt

import pytest
from django.urls import reverse

from agencies.access import scope_for
from core.jalali import to_jalali
from core.periods import Period
from reports import aggregates
from reports.aggregates import MEASURE_KEYS, Selection
from tests.core.test_exports import csv_rows, read_csv_bytes, read_xlsx, xlsx_cells
from tests.reports.conftest import MILLION

pytestmark = pytest.mark.django_db

YEAR = {"year": "1405"}
YEAR_1405 = Selection(period=Period.of_year(1405))
MEASURE_HEADER = ["تعداد خدمت", "ذی‌نفعان", "خانوارهای بهره‌مند", "توان‌خواهان", "هزینه (ریال)"]


def url(table, fmt="xlsx"):
    return reverse("reports_panel:export", kwargs={"table": table, "fmt": fmt})


def export(client, user, table, fmt="xlsx", **params):
    client.force_login(user)
    response = client.get(url(table, fmt), params)
    assert response.status_code == 200
    return response


def figures(f) -> list[int]:
    return [f.get(key) for key in MEASURE_KEYS]


def staff(user):
    return aggregates.staff_records(user), scope_for(user)


# --- Breakdowns ------------------------------------------------------------------------


def test_the_agency_table_holds_the_hand_worked_figures(client, report_world):
    cells = xlsx_cells(export(client, report_world.coordinator, "agency", **YEAR))
    assert cells == [
        ["دستگاه", *MEASURE_HEADER],
        ["امداد", 4, 130, 29, 9, 13 * MILLION],
        ["هلال", 1, 30, 6, 2, 3 * MILLION],
        ["جمع", 5, 160, 35, 11, 16 * MILLION],
    ]


@pytest.mark.parametrize("key", ["city", "agency", "domain"])
def test_each_breakdown_matches_the_aggregate_cell_by_cell(client, report_world, key):
    records, scope = staff(report_world.coordinator)
    table = aggregates.breakdown(YEAR_1405.apply(records), key, YEAR_1405, scope)
    expected = [[row.subject.label, *figures(row.figures)] for row in table.rows]
    expected.append(["جمع", *figures(table.total)])
    assert xlsx_cells(export(client, report_world.coordinator, key, **YEAR))[1:] == expected


@pytest.mark.parametrize(("key", "extra"), [("neighbourhood", "شهر"), ("service_type", "حوزه")])
def test_neighbourhoods_and_service_types_say_their_city_or_domain(
    client, report_world, key, extra
):
    records, scope = staff(report_world.coordinator)
    table = aggregates.breakdown(YEAR_1405.apply(records), key, YEAR_1405, scope)
    expected = [[row.subject.label, row.subject.extra, *figures(row.figures)] for row in table.rows]
    expected.append(["جمع", None, *figures(table.total)])
    cells = xlsx_cells(export(client, report_world.coordinator, key, **YEAR))
    assert cells[0][:2] == [aggregates.DIMENSIONS[key].label, extra]
    # An empty text cell reads back as nothing.
    assert cells[1:] == expected


def test_every_figure_is_a_numeric_cell(client, report_world):
    sheet = read_xlsx(export(client, report_world.coordinator, "city", **YEAR))
    types = {cell.data_type for row in sheet.iter_rows(min_row=2, min_col=2) for cell in row}
    assert types == {"n"}


def test_the_csv_holds_the_same_cells_as_the_xlsx(client, report_world):
    from_xlsx = xlsx_cells(export(client, report_world.coordinator, "neighbourhood", **YEAR))
    from_csv = csv_rows(export(client, report_world.coordinator, "neighbourhood", "csv", **YEAR))
    assert from_csv == [["" if c is None else str(c) for c in row] for row in from_xlsx]


def test_the_csv_starts_with_a_byte_order_mark(client, report_world):
    data = read_csv_bytes(export(client, report_world.coordinator, "domain", "csv", **YEAR))
    assert data.startswith(b"\xef\xbb\xbf")


def test_the_sheet_reads_right_to_left(client, report_world):
    sheet = read_xlsx(export(client, report_world.coordinator, "agency", **YEAR))
    assert sheet.sheet_view.rightToLeft is True


def test_the_export_has_the_dashboards_numbers_for_the_same_query_string(client, report_world):
    params = {"year": "1405", "period": "quarter", "quarter": "3", "status": "approved"}
    client.force_login(report_world.coordinator)
    page = client.get(reverse("reports_panel:dashboard"), params)
    shown = page.context["breakdowns"]["agency"]
    expected = [[row.subject.label, *figures(row.figures)] for row in shown.rows]
    cells = xlsx_cells(export(client, report_world.coordinator, "agency", **params))
    assert cells[1:-1] == expected
    assert cells[-1] == ["جمع", 3, 60, 15, 3, 6 * MILLION]  # r1, r2, r3: Mehr and Aban


def test_a_clerk_exports_only_her_agency_whatever_the_url_says(client, report_world):
    helal = report_world.agencies.helal
    cells = xlsx_cells(
        export(client, report_world.emdad_clerk, "agency", year="1405", agency=helal.pk)
    )
    assert cells[1:] == [
        ["امداد", 4, 130, 29, 9, 13 * MILLION],
        ["جمع", 4, 130, 29, 9, 13 * MILLION],
    ]


def test_bad_filter_values_are_left_out_not_a_server_error(client, report_world):
    params = {"year": "abc", "period": "evil", "city": "x", "start": "۱۴۰۵/۱۳/۴۰", "quarter": "9"}
    cells = csv_rows(export(client, report_world.coordinator, "agency", "csv", **params))
    assert cells[0][0] == "دستگاه"


# --- Trend, pivot, indicators, completeness ----------------------------------------------


def test_the_trend_puts_last_years_month_beside_this_years(client, report_world):
    params = {"year": "1405", "period": "month", "month": "8"}
    cells = xlsx_cells(export(client, report_world.coordinator, "trend", **params))
    assert cells[0][:3] == ["ماه", "تعداد خدمت — آبان ۱۴۰۵", "تعداد خدمت — آبان ۱۴۰۴"]
    # Aban 1405: r2, r3, r6; Aban 1404: r8. Each measure now, then a year before.
    aban = [3, 1, 110, 5, 23, 1, 7, 0, 11 * MILLION, MILLION // 2]
    assert cells[1:] == [["آبان", *aban], ["جمع", *aban]]


def test_the_trend_of_a_year_matches_the_aggregate(client, report_world):
    records, _scope = staff(report_world.coordinator)
    trend = aggregates.trend(records, YEAR_1405)

    def pairs(now, then):
        return [v for key in MEASURE_KEYS for v in (now.get(key), then.get(key))]

    expected = [[row.label, *pairs(row.current, row.previous)] for row in trend.rows]
    expected.append(["جمع", *pairs(trend.current_total, trend.previous_total)])
    assert xlsx_cells(export(client, report_world.coordinator, "trend", **YEAR))[1:] == expected


def test_the_default_pivot_is_neighbourhoods_by_agency_with_both_totals(client, report_world):
    cells = xlsx_cells(export(client, report_world.coordinator, "pivot", **YEAR))
    assert cells == [
        ["محله", "شهر", "امداد", "هلال", "جمع"],
        ["کوی آزادی", "سمنان", 1, 0, 1],
        ["کوی زرین", "سمنان", 2, 1, 3],
        ["کوثر", "شاهرود", 1, 0, 1],
        ["جمع", None, 4, 1, 5],
    ]


def test_the_pivot_takes_its_layout_from_the_url(client, report_world):
    params = {"year": "1405", "rows": "agency", "columns": "domain", "measure": "beneficiaries"}
    records, scope = staff(report_world.coordinator)
    pivot = aggregates.pivot(
        YEAR_1405.apply(records),
        rows="agency",
        columns="domain",
        measure="beneficiaries",
        selection=YEAR_1405,
        scope=scope,
    )
    expected = [
        ["دستگاه", *[c.label for c in pivot.columns], "جمع"],
        *[[line.subject.label, *line.cells, line.total] for line in pivot.lines],
        ["جمع", *pivot.column_totals, pivot.total],
    ]
    cells = csv_rows(export(client, report_world.coordinator, "pivot", "csv", **params))
    assert cells == [[str(c) for c in row] for row in expected]
    assert cells[-1] == ["جمع", "90", "70", "160"]  # معیشت, سلامت


@pytest.mark.parametrize("level", ["city", "neighbourhood"])
def test_the_indicators_match_the_aggregate(client, report_world, level):
    records, scope = staff(report_world.coordinator)
    result = aggregates.indicators(
        YEAR_1405.apply(records), level=level, selection=YEAR_1405, scope=scope
    )
    extra = level == "neighbourhood"

    def cells(i):
        return [
            i.population,
            i.households_total,
            i.figures.beneficiaries,
            round(i.coverage, 6),
            i.figures.households,
            round(i.household_coverage, 6),
            i.figures.cost_per_beneficiary,
        ]

    expected = [
        [row.subject.label, *([row.subject.extra] if extra else []), *cells(row)]
        for row in result.rows
    ]
    expected.append(["جمع", *([None] if extra else []), *cells(result.total)])
    got = xlsx_cells(export(client, report_world.coordinator, "indicators", level=level, **YEAR))
    assert got[1:] == expected


def test_coverage_is_a_number(client, report_world):
    sheet = read_xlsx(export(client, report_world.coordinator, "indicators", level="city", **YEAR))
    assert sheet[1][4].value == "پوشش (ذی‌نفع به ازای هر نفر)"
    # سمنان: 100 beneficiaries in 1405 among 3,000 residents, to six decimals.
    assert (sheet[2][0].value, sheet[2][4].value, sheet[2][4].data_type) == (
        "سمنان",
        0.033333,
        "n",
    )


def test_completeness_matches_the_aggregate_with_months_as_one_or_zero(client, report_world):
    records, scope = staff(report_world.coordinator)
    result = aggregates.completeness(
        records, selection=YEAR_1405, scope=scope, today=dt.date.today(), silent_after_days=10
    )
    cells = xlsx_cells(
        export(client, report_world.coordinator, "completeness", silent_days="10", **YEAR)
    )
    assert cells[0][:5] == ["شهر", "محله", "دستگاه", "آخرین ثبت", "روزهای بی‌ثبت"]
    assert cells[0][5:] == [month.label for month in result.months]
    expected = [
        [
            row.house.neighbourhood.city.name,
            row.house.neighbourhood.name,
            row.house.agency.short_name,
            row.last_record and _latin_jalali(row.last_record),
            row.silent_days,
            *[1 if reported else 0 for reported in row.months],
        ]
        for row in result.houses
    ]
    assert cells[1:-1] == expected
    assert cells[-1] == ["جمع", None, None, None, None, *result.month_counts]


def _latin_jalali(day) -> str:
    j = to_jalali(day)
    return f"{j.year}/{j.month:02d}/{j.day:02d}"


def test_the_last_record_date_is_jalali_text(client, report_world):
    cells = xlsx_cells(export(client, report_world.coordinator, "completeness", **YEAR))
    zarrin_emdad = next(r for r in cells if r[1] == "کوی زرین" and r[2] == "امداد")
    assert zarrin_emdad[3] == "1405/08/01"  # r2
    assert zarrin_emdad[5:] == [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0]  # Mehr and Aban


# --- URLs and names ------------------------------------------------------------------------


def test_the_file_name_carries_the_period(client, report_world):
    params = {"year": "1405", "period": "month", "month": "8"}
    response = export(client, report_world.coordinator, "service_type", "csv", **params)
    assert response["Content-Disposition"] == (
        'attachment; filename="dashboard-service-type-1405-08.csv"'
    )


@pytest.mark.parametrize(("table", "fmt"), [("people", "xlsx"), ("city", "pdf"), ("month", "csv")])
def test_an_unknown_table_or_format_is_not_found(client, report_world, table, fmt):
    client.force_login(report_world.coordinator)
    assert client.get(url(table, fmt)).status_code == 404
