"""The findings the database now pairs and groups itself: overlaps found by a join, gaps from
the months that keep a lead busy, households grouped by agency. What a coordinator or a clerk
reads must be what the rule says, and the dashboard's counts must be the report's."""

import datetime

import pytest

from agencies.models import ServiceRecord
from coordination.findings import coordination_report, find_overlaps, finding_review, headline
from coordination.gaps import find_gaps, gap_keys
from coordination.models import FindingKind, Responsibility, Verdict
from core.periods import Period
from neighbourhoods.models import Neighbourhood
from tests.coordination.test_findings import TODAY, WINDOW, YEAR, build_world, day, key_of
from tests.factories import StaffRole, link_households, make_household, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def overlap_keys(world, period=YEAR):
    found = find_overlaps(records=ServiceRecord.objects.all(), period=period, rules=world.rules)
    return [overlap.key for overlap in found]


def test_records_of_one_day_pair_once_each_the_lower_id_first(world):
    a = world.record(world.emdad, day(4, 1))
    b = world.record(world.helal, day(4, 1))
    c = world.record(world.ehsan, day(4, 1))
    found = find_overlaps(records=ServiceRecord.objects.all(), period=YEAR, rules=world.rules)
    assert [(o.first.pk, o.second.pk, o.days_apart) for o in found] == [
        (a.pk, b.pk, 0),
        (a.pk, c.pk, 0),
        (b.pk, c.pk, 0),
    ]


def test_a_clerks_record_pairs_with_an_earlier_and_a_later_one_of_other_agencies(world):
    before = world.record(world.helal, day(5, 1))
    hers = world.record(world.emdad, day(5, 5))
    after = world.record(world.ehsan, day(5, 5 + WINDOW))
    world.record(world.ehsan, day(5, 6 + WINDOW), service_type=world.lab)  # another type
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.emdad)
    report = coordination_report(user=clerk, period=YEAR, today=TODAY)
    assert sorted(o.key for o in report.overlaps) == sorted(
        [key_of(before, hers), key_of(hers, after)]
    )
    assert headline(user=clerk, period=YEAR, today=TODAY)["overlaps"] == 2
    # Helal's and Ehsan's records are fourteen days apart: past the window, for anyone.
    assert len(overlap_keys(world)) == 2


def test_with_same_domain_on_a_report_of_one_domain_pairs_its_types(world):
    world.rules.same_domain = True
    world.rules.save()
    visit = world.record(world.emdad, day(6, 1))
    lab = world.record(world.helal, day(6, 3), service_type=world.lab)
    world.record(world.ehsan, day(6, 2), service_type=world.repair)
    coordinator = make_user(role=StaffRole.COORDINATOR)
    health = coordination_report(user=coordinator, period=YEAR, today=TODAY, domain=world.health)
    housing = coordination_report(user=coordinator, period=YEAR, today=TODAY, domain=world.housing)
    assert [o.key for o in health.overlaps] == [key_of(visit, lab)]
    assert housing.overlaps == []


def test_a_pair_across_the_years_edge_belongs_to_the_year_of_either(world):
    last_of_1403 = world.record(world.emdad, day(12, 28, year=1403))
    first_of_1404 = world.record(world.helal, day(1, 3))
    pair = [key_of(last_of_1403, first_of_1404)]
    assert overlap_keys(world) == pair
    assert overlap_keys(world, Period.of_year(1403)) == pair


def test_a_silent_leads_last_day_is_its_own_latest_in_the_domain_up_to_the_day(world):
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    as_of = day(9, 30)
    world.record(world.helal, day(4, 20))
    latest = world.record(world.helal, day(5, 10), service_type=world.lab)
    world.record(world.emdad, day(8, 1))  # another agency
    world.record(world.helal, day(8, 2), service_type=world.repair)  # another domain
    world.record(world.helal, day(10, 1))  # after the day
    (gap,) = [
        gap
        for gap in find_gaps(neighbourhoods=Neighbourhood.objects.all(), as_of=as_of)
        if gap.domain == world.health and gap.neighbourhood == world.zarrin
    ]
    assert (gap.kind, gap.lead, gap.last_delivered_on) == (
        FindingKind.SILENT_LEAD,
        world.helal,
        latest.delivered_on,
    )


def test_gap_keys_are_the_keys_of_the_gaps(world):
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    Responsibility.objects.create(neighbourhood=world.kowsar, domain=world.health, lead=world.emdad)
    Responsibility.objects.create(neighbourhood=world.kowsar, domain=world.housing, lead=None)
    world.record(world.emdad, day(9, 1), place=world.kowsar)  # keeps Emdad busy in Kowsar
    world.record(world.helal, day(2, 1))  # too long ago for Zarrin
    as_of = day(9, 15)
    places = Neighbourhood.objects.all()
    gaps = find_gaps(neighbourhoods=places, as_of=as_of, rules=world.rules)
    assert sorted(gap_keys(neighbourhoods=places, as_of=as_of, rules=world.rules)) == sorted(
        gap.key for gap in gaps
    )
    assert sorted((gap.kind, gap.neighbourhood.name, gap.domain.name) for gap in gaps) == sorted(
        [
            (FindingKind.SILENT_LEAD, "کوی زرین", "سلامت"),
            (FindingKind.NO_LEAD, "کوی زرین", "مسکن"),
            (FindingKind.NO_LEAD, "کوثر", "مسکن"),
        ]
    )


def test_the_dashboard_counts_what_each_reader_reads_in_the_report(world):
    """A busy world: overlaps in both neighbourhoods, households served twice, work outside the
    division, gaps of both kinds, and one verdict of each kind that stops a finding counting."""
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    Responsibility.objects.create(neighbourhood=world.kowsar, domain=world.health, lead=None)
    Responsibility.objects.create(
        neighbourhood=world.kowsar, domain=world.housing, lead=world.ehsan
    )
    household = make_household(neighbourhood=world.zarrin, agency=world.emdad)
    agencies = (world.emdad, world.helal, world.ehsan)
    for n in range(24):
        on = day(1, 1) + datetime.timedelta(days=13 * n)
        place = (world.zarrin, world.kowsar)[n % 2]
        kind = (world.visit, world.lab, world.repair)[n % 3]
        record = world.record(agencies[n % 3], on, place=place, service_type=kind)
        partner = world.record(
            agencies[(n + 1) % 3],
            on + datetime.timedelta(days=n % 5),
            place=place,
            service_type=kind,
        )
        if place == world.zarrin and n % 4 == 0:
            link_households(record, household)
            link_households(partner, household)
    coordinator = make_user(role=StaffRole.COORDINATOR)
    report = coordination_report(user=coordinator, period=YEAR, today=TODAY)
    for section in ("overlaps", "household_repeats", "outside_role", "gaps"):
        finding = report.section(section)[0]
        finding_review(
            key=finding.key, kind=finding.kind, verdict=Verdict.JUSTIFIED, note="", user=coordinator
        )
    readers = [coordinator] + [
        make_user(role=StaffRole.AGENCY_STAFF, agency=agency) for agency in agencies
    ]
    for reader in readers:
        counts = coordination_report(user=reader, period=YEAR, today=TODAY).counts
        figures = headline(user=reader, period=YEAR, today=TODAY)
        assert {name: figures[name] for name in counts} == counts
    assert all(report.counts[name] > 1 for name in ("overlaps", "household_repeats", "gaps"))
