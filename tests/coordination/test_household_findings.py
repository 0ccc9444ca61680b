"""The report's households served by two or more agencies in one domain, on a constructed data
set: two agencies, one household, one domain in the period is one row; the same agency twice,
two domains, a deleted record and a record outside the period are none; what a clerk reads;
the page and the export name the household by its row number, never its ID or name."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from agencies.models import ServiceRecord
from coordination.findings import coordination_report, finding_review, headline
from coordination.household_findings import (
    KIND,
    find_household_repeats,
    household_repeat_key,
)
from coordination.models import Verdict
from core.digits import to_persian_digits
from core.jalali import format_date
from core.periods import Period
from tests.coordination.test_findings import TODAY, YEAR, build_world, day
from tests.factories import StaffRole, link_households, make_household, make_user, valid_national_id

pytestmark = pytest.mark.django_db

REPORT = reverse("coordination_panel:report")
REASON = "پزشک خانوار ویزیت دوم را لازم دانسته است"
NAME = "مریم آزمون‌نیا"
NATIONAL_ID = valid_national_id(6_410_027)


@pytest.fixture
def world():
    """build_world's Zarrin and Kowsar, Emdad, Helal and Ehsan, health (visit, lab) and
    housing (repair); one household of Zarrin registered by Emdad, with a known ID and name."""
    world = build_world()
    world.household = make_household(
        neighbourhood=world.zarrin,
        agency=world.emdad,
        national_id=NATIONAL_ID,
        name=NAME,
        members=5,
    )
    world.coordinator = make_user(role=StaffRole.COORDINATOR)

    def served(agency, on, household=None, **fields):
        record = world.record(agency, on, **fields)
        link_households(record, household or world.household)
        return record

    world.served = served
    return world


def report_of(user, **filters):
    return coordination_report(user=user, period=YEAR, today=TODAY, **filters)


def repeats(period=YEAR, records=None):
    records = records if records is not None else ServiceRecord.objects.all()
    return find_household_repeats(records=records, period=period)


def test_two_agencies_in_one_domain_are_one_finding_with_both_records(world):
    emdad = world.served(world.emdad, day(3, 1))
    helal = world.served(world.helal, day(8, 20), service_type=world.lab, repeat_reason=REASON)
    found = repeats()
    assert [
        (
            f.key,
            f.household.reference,
            f.domain.name,
            [(entry.agency.slug, [ref.pk for ref in entry.records]) for entry in f.agencies],
            [ref.repeat_reason for ref in f.records],
        )
        for f in found
    ] == [
        (
            household_repeat_key(world.household.pk, world.health.pk, YEAR),
            world.household.reference,
            "سلامت",
            [("emdad", [emdad.pk]), ("helal", [helal.pk])],
            ["", REASON],
        )
    ]


def test_the_household_window_plays_no_part_and_the_domain_always_groups(world):
    """Five months apart, another type of the domain, with ``household_same_domain`` off and a
    window of ten days: still one finding, for the period as a whole."""
    world.rules.household_window_days = 10
    world.rules.household_same_domain = False
    world.rules.save()
    world.served(world.emdad, day(1, 5))
    world.served(world.helal, day(6, 5), service_type=world.lab)
    assert len(repeats()) == 1


def test_the_same_agency_twice_is_no_finding(world):
    world.served(world.emdad, day(3, 1))
    world.served(world.emdad, day(3, 5), beneficiaries=12)
    assert repeats() == []


def test_two_domains_are_no_finding(world):
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5), service_type=world.repair)
    assert repeats() == []


def test_two_households_are_no_finding(world):
    other = make_household(neighbourhood=world.zarrin, agency=world.helal)
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5), household=other)
    assert repeats() == []


def test_a_deleted_record_does_not_count(world):
    world.served(world.emdad, day(3, 1))
    world.served(
        world.helal, day(3, 5), deleted_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC)
    )
    assert repeats() == []


def test_a_record_outside_the_period_does_not_count(world):
    world.served(world.emdad, day(12, 25, year=1403))  # the year before
    world.served(world.helal, day(1, 5))
    world.served(world.ehsan, day(3, 1))  # Khordad
    farvardin, khordad = Period.of_month(1404, 1), Period.of_month(1404, 3)
    assert (repeats(farvardin), repeats(khordad)) == ([], [])
    assert [
        [entry.agency.slug for entry in f.agencies] for f in repeats(Period.of_quarter(1404, 1))
    ] == [["helal", "ehsan"]]


def test_three_agencies_and_two_records_of_one_are_one_finding(world):
    world.served(world.emdad, day(3, 1))
    world.served(world.emdad, day(4, 1), beneficiaries=12)
    world.served(world.helal, day(5, 1))
    world.served(world.ehsan, day(2, 1))
    (found,) = repeats()
    assert [(entry.agency.slug, len(entry.records)) for entry in found.agencies] == [
        ("ehsan", 1),
        ("emdad", 2),
        ("helal", 1),
    ]
    assert (found.first_day, found.last_day) == (day(2, 1), day(5, 1))


# --- Who reads what ------------------------------------------------------------------------


def test_a_clerk_reads_only_her_agencys_cases_without_the_others_link_or_reason(world):
    emdad = world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5), repeat_reason=REASON)
    emdad_clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.emdad)
    ehsan_clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.ehsan)
    (found,) = report_of(emdad_clerk).household_repeats
    assert [(ref.pk == emdad.pk, ref.openable, ref.shown_reason) for ref in found.records] == [
        (True, True, ""),
        (False, False, ""),
    ]
    assert found.household_openable  # her agency registered and served it
    assert report_of(ehsan_clerk).household_repeats == []


def test_a_coordinator_reads_the_reason_and_a_viewer_cannot_open_the_household(world):
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5), repeat_reason=REASON)
    viewer = make_user(role=StaffRole.VIEWER)
    (mine,) = report_of(world.coordinator).household_repeats
    (theirs,) = report_of(viewer).household_repeats
    assert (mine.shown_reasons, mine.household_openable, theirs.household_openable) == (
        [REASON],
        True,
        False,
    )


def test_the_filters_narrow_the_section(world):
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5))
    assert report_of(world.coordinator, domain=world.housing).household_repeats == []
    assert len(report_of(world.coordinator, domain=world.health).household_repeats) == 1


def test_the_headline_counts_the_households(world):
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5))
    world.served(world.emdad, day(3, 1), service_type=world.repair)
    world.served(world.ehsan, day(3, 9), service_type=world.repair)
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.helal)
    assert [
        headline(user=user, period=YEAR, today=TODAY)["household_repeats"]
        for user in (world.coordinator, clerk)
    ] == [2, 1]
    assert report_of(world.coordinator).counts["household_repeats"] == 2


def test_a_justified_household_finding_stops_counting(world):
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5))
    key = household_repeat_key(world.household.pk, world.health.pk, YEAR)
    finding_review(key=key, kind=KIND, verdict=Verdict.JUSTIFIED, note="", user=world.coordinator)
    assert headline(user=world.coordinator, period=YEAR, today=TODAY)["household_repeats"] == 0


# --- The page and the export ---------------------------------------------------------------


def _secrets() -> list[str]:
    return [NATIONAL_ID, to_persian_digits(NATIONAL_ID), NAME]


def test_the_page_shows_the_household_by_its_number_never_its_id_or_name(client, world):
    emdad = world.served(world.emdad, day(3, 1))
    helal = world.served(world.helal, day(3, 5), repeat_reason=REASON)
    client.force_login(world.coordinator)
    html = client.get(REPORT, {"period": "year", "year": 1404}).content.decode()
    section = html[html.index('id="household-repeats"') :]
    section = section[: section.index("</section>")]
    row = section[section.index("<tr id=") :]
    assert all(
        part in row
        for part in (
            world.household.reference,
            "کوی زرین",
            "امداد",
            "هلال",
            f'href="{reverse("agencies_panel:detail", args=[emdad.pk])}"',
            f'href="{reverse("agencies_panel:detail", args=[helal.pk])}"',
            format_date(helal.delivered_on),
            f"دلیل ثبت‌کننده: {REASON}",
        )
    )
    assert [secret for secret in _secrets() if secret in html] == []


def test_the_household_links_to_its_page_for_a_reader_who_may_open_it(client, world):
    detail = reverse("households_panel:detail", args=[world.household.pk])
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5))
    viewer = make_user(role=StaffRole.VIEWER)
    shown = {}
    for user in (world.coordinator, viewer):
        client.force_login(user)
        shown[user.pk] = f'href="{detail}"' in client.get(REPORT, {"year": 1404}).content.decode()
    assert (shown[world.coordinator.pk], shown[viewer.pk]) == (True, False)


def test_the_section_alone_is_a_kind_of_the_report(client, world):
    world.served(world.emdad, day(3, 1))
    world.served(world.helal, day(3, 5))
    client.force_login(world.coordinator)
    response = client.get(REPORT, {"year": 1404, "kind": "household_repeats"})
    html = response.content.decode()
    assert (response.status_code, 'id="household-repeats"' in html, 'id="overlaps"' in html) == (
        200,
        True,
        False,
    )


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_has_the_households_row_by_number_only(client, world):
    emdad = world.served(world.emdad, day(3, 1))
    helal = world.served(world.helal, day(3, 5), service_type=world.lab, repeat_reason=REASON)
    client.force_login(world.coordinator)
    response = client.get(
        reverse("coordination_panel:export", args=["csv"]),
        {"year": 1404, "kind": "household_repeats"},
    )
    rows = _csv_rows(response)
    assert [
        (
            row["شناسهٔ یافته"],
            row["محله"],
            row["حوزه"],
            row["دستگاه"],
            row["دستگاه دیگر یا مسئول"],
            row["تعداد خدمت"],
            row["شمارهٔ خدمت‌ها"],
            row["دلیل ثبت‌کننده"],
            row["شمارهٔ خانوار"],
        )
        for row in rows
    ] == [
        (
            household_repeat_key(world.household.pk, world.health.pk, YEAR),
            "کوی زرین",
            "سلامت",
            "امداد",
            "هلال",
            "2",
            f"{emdad.pk} و {helal.pk}",
            REASON,
            str(world.household.pk),
        )
    ]
    body = "".join(str(value) for row in rows for value in row.values())
    assert [secret for secret in _secrets() if secret in body] == []


def test_the_report_costs_the_same_with_more_households(world, django_assert_num_queries):
    """The section reads five queries, whatever the number of households: the links, three
    look-ups (places, types, agencies) and the households the reader may open; its reviews
    are read with the other sections'."""
    for n in (2, 20):
        for i in range(n):
            household = make_household(neighbourhood=world.zarrin, agency=world.emdad)
            world.served(world.emdad, day(2, 1) + datetime.timedelta(days=i), household=household)
            world.served(world.helal, day(3, 1) + datetime.timedelta(days=i), household=household)
        with django_assert_num_queries(14):
            report = report_of(world.coordinator)
        assert len(report.household_repeats) >= n
