"""The named queries behind a neighbourhood page (agencies/selectors.py), checked directly."""

import pytest

from agencies import selectors

pytestmark = pytest.mark.django_db


def figures(rows):
    return {
        row.subject.slug: (row.records, row.beneficiaries, row.households, row.cost) for row in rows
    }


def test_totals_by_domain_list_every_domain_and_skip_deleted_records(places):
    rows = selectors.neighbourhood_totals_by_domain(places.zarrin)
    assert [row.subject for row in rows] == [places.health, places.jobs, places.housing]
    assert figures(rows) == {
        "health": (2, 40, 8, 5_000_000),
        "jobs": (1, 20, 5, 12_500_000),
        "housing": (0, 0, 0, 0),
    }


def test_totals_by_agency_follow_the_agencies_order(places):
    rows = selectors.neighbourhood_totals_by_agency(places.zarrin)
    assert [row.subject.slug for row in rows] == ["ehsan", "emdad", "helal", "behzisti"]
    assert figures(rows) == {
        "ehsan": (0, 0, 0, 0),  # its only record was deleted
        "emdad": (2, 30, 7, 17_500_000),
        "helal": (1, 30, 6, 0),
        "behzisti": (0, 0, 0, 0),
    }


def test_other_neighbourhoods_records_stay_out(places):
    rows = selectors.neighbourhood_totals_by_agency(places.kowsar)
    assert figures(rows) == {"emdad": (1, 500, 90, 40_000_000)}


def test_domain_agency_table_adds_up_both_ways(places):
    table = selectors.neighbourhood_domain_agency_table(places.zarrin)
    assert [agency.slug for agency in table.agencies] == ["ehsan", "emdad", "helal", "behzisti"]
    cells = {row.domain.slug: [cell.beneficiaries for cell in row.cells] for row in table.rows}
    assert cells == {"health": [0, 10, 30, 0], "jobs": [0, 20, 0, 0], "housing": [0, 0, 0, 0]}
    assert [row.total.beneficiaries for row in table.rows] == [40, 20, 0]
    assert [total.beneficiaries for total in table.agency_totals] == [0, 30, 30, 0]
    assert (table.total.records, table.total.beneficiaries, table.total.cost) == (
        3,
        60,
        17_500_000,
    )


def test_neighbourhood_houses_come_with_their_agency_in_order(places, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [h.agency.house_name for h in selectors.neighbourhood_houses(places.zarrin)]
    assert names == ["خانه احسان", "خانه امداد", "خانه هلال", "خانه بهزیستی"]


def test_totals_add_sums_rows():
    rows = [selectors.Totals(records=1, beneficiaries=2, households=3, cost=4)] * 3
    assert selectors.Totals.add(rows) == selectors.Totals(
        records=3, beneficiaries=6, households=9, cost=12
    )
    assert selectors.Totals.of("x", None) == selectors.Totals(subject="x")
