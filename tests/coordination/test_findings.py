"""The parallel-work report's findings: overlaps agree with the record form's warning at the
window's edge, across neighbourhoods, agencies, types and the period's boundary; work outside
the division of labour; what a clerk sees; coordinators' verdicts and what they count."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.access import SYSTEM
from agencies.models import CoordinationRules, ServiceRecord
from coordination.findings import (
    coordination_report,
    find_outside_role,
    find_overlaps,
    finding_review,
    headline,
    outside_role_key,
)
from coordination.models import FindingKind, FindingReview, Responsibility, Verdict
from core.jalali import to_gregorian
from core.periods import Period
from tests.factories import (
    StaffRole,
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
    make_user,
)

pytestmark = pytest.mark.django_db

WINDOW = 10
YEAR = Period.of_year(1404)
TODAY = to_gregorian(1405, 1, 15)


def day(month, dd, year=1404) -> datetime.date:
    return to_gregorian(year, month, dd)


def build_world() -> SimpleNamespace:
    """Zarrin and Kowsar (Semnan), Emdad, Helal and Ehsan keeping a house in each; health
    (visit, lab) and housing (repair); a window of ten days, types compared one by one."""
    semnan = make_city(name="سمنان")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین", code="SMN-001")
    kowsar = make_neighbourhood(city=semnan, name="کوثر", code="SMN-002")
    emdad = make_agency(slug="emdad", short_name="امداد", order=1)
    helal = make_agency(slug="helal", short_name="هلال", order=2)
    ehsan = make_agency(slug="ehsan", short_name="احسان", order=3)
    health = make_domain(name="سلامت", order=1)
    housing = make_domain(name="مسکن", order=2)
    world = SimpleNamespace(
        semnan=semnan,
        zarrin=zarrin,
        kowsar=kowsar,
        emdad=emdad,
        helal=helal,
        ehsan=ehsan,
        health=health,
        housing=housing,
        visit=make_service_type(domain=health, name="ویزیت رایگان"),
        lab=make_service_type(domain=health, name="آزمایش رایگان"),
        repair=make_service_type(domain=housing, name="تعمیر مسکن"),
        rules=CoordinationRules.objects.create(window_days=WINDOW),
        houses={
            (agency.slug, place.pk): make_house(agency=agency, neighbourhood=place)
            for agency in (emdad, helal, ehsan)
            for place in (zarrin, kowsar)
        },
    )

    def record(agency, on, *, place=None, service_type=None, **fields):
        return make_record(
            house=world.houses[(agency.slug, (place or zarrin).pk)],
            service_type=service_type or world.visit,
            delivered_on=on,
            **fields,
        )

    world.record = record
    return world


@pytest.fixture
def world():
    return build_world()


def overlap_keys(period=YEAR, rules=None, records=None):
    rules = rules or CoordinationRules.current()
    records = records if records is not None else ServiceRecord.objects.all()
    return [o.key for o in find_overlaps(records=records, period=period, rules=rules)]


def key_of(a, b):
    low, high = sorted((a.pk, b.pk))
    return f"overlap:{low}:{high}"


# --- Overlaps ------------------------------------------------------------------------------


def test_two_agencies_window_days_apart_are_an_overlap(world):
    a = world.record(world.emdad, day(3, 1))
    b = world.record(world.helal, day(3, 1 + WINDOW))
    assert overlap_keys() == [key_of(a, b)]


def test_window_days_and_one_apart_are_not(world):
    world.record(world.emdad, day(3, 1))
    world.record(world.helal, day(3, 2 + WINDOW))
    assert overlap_keys() == []


def test_another_neighbourhood_is_no_overlap(world):
    world.record(world.emdad, day(3, 1))
    world.record(world.helal, day(3, 3), place=world.kowsar)
    assert overlap_keys() == []


def test_the_same_agency_twice_is_no_overlap(world):
    world.record(world.emdad, day(3, 1))
    world.record(world.emdad, day(3, 3), beneficiaries=12)
    assert overlap_keys() == []


def test_another_type_of_the_domain_counts_only_with_same_domain_on(world):
    a = world.record(world.emdad, day(3, 1))
    b = world.record(world.helal, day(3, 3), service_type=world.lab)
    world.record(world.ehsan, day(3, 2), service_type=world.repair)  # another domain: never
    assert overlap_keys() == []
    world.rules.same_domain = True
    world.rules.save()
    found = find_overlaps(records=ServiceRecord.objects.all(), period=YEAR, rules=world.rules)
    assert [(o.key, [t.name for t in o.service_types]) for o in found] == [
        (key_of(a, b), ["ویزیت رایگان", "آزمایش رایگان"])
    ]


def test_deleted_records_are_not_counted(world):
    world.record(world.emdad, day(3, 1))
    world.record(
        world.helal, day(3, 3), deleted_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC)
    )
    assert overlap_keys() == []


def test_a_record_just_outside_the_period_pairs_with_one_inside(world):
    before = world.record(world.emdad, day(1, 28))  # Farvardin
    inside = world.record(world.helal, day(2, 3))  # Ordibehesht
    world.record(world.ehsan, day(1, 20), service_type=world.lab)
    world.record(world.helal, day(1, 25), service_type=world.lab)  # both before Ordibehesht
    ordibehesht, khordad = Period.of_month(1404, 2), Period.of_month(1404, 3)
    assert overlap_keys(ordibehesht) == [key_of(before, inside)]
    assert overlap_keys(khordad) == []


def test_the_sweep_finds_exactly_what_the_record_form_warns_about(world):
    """Every record's ``parallel_to`` (the warning's rule) against the report's pairs."""
    rules = world.rules
    rules.same_domain = True
    rules.save()
    agencies = itertools.cycle([world.emdad, world.helal, world.ehsan, world.helal])
    types = itertools.cycle([world.visit, world.lab, world.repair])
    places = itertools.cycle([world.zarrin, world.zarrin, world.kowsar])
    for n in range(30):
        world.record(
            next(agencies),
            day(1, 1) + datetime.timedelta(days=4 * n),
            place=next(places),
            service_type=next(types),
            beneficiaries=10 + n,
        )
    expected = set()
    for record in ServiceRecord.objects.select_related("house", "service_type"):
        for other in ServiceRecord.objects.parallel_to(record, rules):
            expected.add(key_of(record, other))
    found = overlap_keys(rules=rules)
    assert sorted(found) == sorted(expected) and len(found) == len(set(found)) > 0


# --- Outside the division of labour -------------------------------------------------------


def test_only_an_agency_neither_lead_nor_supporter_works_outside_its_role(world):
    row = Responsibility.objects.create(
        neighbourhood=world.zarrin, domain=world.health, lead=world.emdad
    )
    row.supporters.set([world.helal])
    world.record(world.emdad, day(3, 1))
    world.record(world.helal, day(5, 1))
    world.record(world.ehsan, day(7, 1))
    world.record(world.ehsan, day(8, 1), service_type=world.lab)
    world.record(world.ehsan, day(9, 1), place=world.kowsar)  # no division there: a gap
    found = find_outside_role(records=ServiceRecord.objects.all(), period=YEAR)
    assert [(f.key, f.agency.slug, f.lead.slug, f.records) for f in found] == [
        (
            outside_role_key(world.zarrin.pk, world.health.pk, world.ehsan.pk, YEAR),
            "ehsan",
            "emdad",
            2,
        )
    ]


# --- Who sees what -------------------------------------------------------------------------


def test_a_clerk_sees_only_the_findings_of_her_agency(world):
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    mine = (world.record(world.emdad, day(3, 1)), world.record(world.helal, day(3, 4)))
    world.record(world.ehsan, day(6, 1))
    world.record(world.helal, day(6, 5))
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.emdad)
    coordinator = make_user(role=StaffRole.COORDINATOR)
    theirs = coordination_report(user=clerk, period=YEAR, today=TODAY)
    everything = coordination_report(user=coordinator, period=YEAR, today=TODAY)
    assert [o.key for o in theirs.overlaps] == [key_of(*mine)]
    assert [f.agency.slug for f in theirs.outside_role] == ["emdad"]
    assert len(everything.overlaps) == 2
    assert sorted(f.agency.slug for f in everything.outside_role) == ["ehsan", "emdad"]
    # She may open her own record, not Helal's.
    overlap = theirs.overlaps[0]
    assert (overlap.first.openable, overlap.second.openable) == (True, False)


def test_a_clerk_sees_the_gaps_only_where_her_agency_has_a_house(world):
    elsewhere = make_neighbourhood(city=world.semnan, name="جای دیگر")
    make_house(agency=world.helal, neighbourhood=elsewhere)
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.emdad)
    places = {
        g.neighbourhood.name for g in coordination_report(user=clerk, period=YEAR, today=TODAY).gaps
    }
    assert places == {"کوی زرین", "کوثر"}


# --- Verdicts --------------------------------------------------------------------------


def test_a_justified_finding_stops_counting_one_to_resolve_keeps_counting(world):
    justified = key_of(world.record(world.emdad, day(3, 1)), world.record(world.helal, day(3, 2)))
    to_resolve = key_of(world.record(world.emdad, day(6, 1)), world.record(world.ehsan, day(6, 2)))
    coordinator = make_user(role=StaffRole.COORDINATOR)
    before = coordination_report(user=coordinator, period=YEAR, today=TODAY).counts["overlaps"]
    finding_review(
        key=justified,
        kind=FindingKind.OVERLAP,
        verdict=Verdict.JUSTIFIED,
        note="",
        user=coordinator,
    )
    finding_review(
        key=to_resolve,
        kind=FindingKind.OVERLAP,
        verdict=Verdict.TO_RESOLVE,
        note="احسان با امداد هماهنگ کند.",
        user=coordinator,
    )
    report = coordination_report(user=coordinator, period=YEAR, today=TODAY)
    assert (before, report.counts["overlaps"]) == (2, 1)
    assert [o.key for o in report.findings(section="overlaps")] == [to_resolve]
    assert report.findings(section="overlaps")[0].review.note == "احسان با امداد هماهنگ کند."
    assert headline(user=coordinator, period=YEAR, today=TODAY)["overlaps"] == 1


def test_the_headline_counts_what_the_report_counts(world):
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    world.record(world.emdad, day(3, 1))
    world.record(world.helal, day(3, 2))
    for role, agency in ((StaffRole.COORDINATOR, None), (StaffRole.AGENCY_STAFF, world.ehsan)):
        user = make_user(role=role, agency=agency)
        counts = coordination_report(user=user, period=YEAR, today=TODAY).counts
        figures = headline(user=user, period=YEAR, today=TODAY)
        assert {name: figures[name] for name in counts} == counts


def test_a_second_verdict_replaces_the_first_and_the_history_keeps_both(world):
    key = key_of(world.record(world.emdad, day(3, 1)), world.record(world.helal, day(3, 2)))
    coordinator = make_user(role=StaffRole.COORDINATOR)
    finding_review(
        key=key, kind="overlap", verdict=Verdict.TO_RESOLVE, note="بررسی شود", user=coordinator
    )
    finding_review(key=key, kind="overlap", verdict=Verdict.JUSTIFIED, note="", user=coordinator)
    review = FindingReview.objects.get()
    assert (review.verdict, review.history.count(), review.history.first().history_user) == (
        Verdict.JUSTIFIED,
        2,
        coordinator,
    )


def test_only_coordinators_give_verdicts(world):
    key = key_of(world.record(world.emdad, day(3, 1)), world.record(world.helal, day(3, 2)))
    supervisor = make_user(role=StaffRole.SUPERVISOR, agency=world.emdad)
    with pytest.raises(PermissionDenied):
        finding_review(key=key, kind="overlap", verdict=Verdict.JUSTIFIED, note="", user=supervisor)
    assert not FindingReview.objects.exists()


@pytest.mark.parametrize(
    ("verdict", "note", "field"),
    [
        (Verdict.TO_RESOLVE, "  ", "note"),
        (Verdict.JUSTIFIED, "ی" * 1001, "note"),
        ("maybe", "", "verdict"),
    ],
)
def test_a_bad_verdict_is_refused_in_persian(world, verdict, note, field):
    key = key_of(world.record(world.emdad, day(3, 1)), world.record(world.helal, day(3, 2)))
    with pytest.raises(ValidationError) as refused:
        finding_review(key=key, kind="overlap", verdict=verdict, note=note, user=SYSTEM)
    assert field in refused.value.message_dict
    assert not FindingReview.objects.exists()


def test_a_key_that_is_not_a_current_finding_is_refused(world):
    a, b = world.record(world.emdad, day(3, 1)), world.record(world.helal, day(3, 2))
    same = world.record(world.emdad, day(3, 3), beneficiaries=30)
    attempts = [
        (key_of(a, same), "overlap"),  # the same agency
        (f"overlap:{b.pk}:{a.pk}", "overlap"),  # not in order
        ("overlap:x:1", "overlap"),
        (key_of(a, b), "outside_role"),  # the wrong kind
        (outside_role_key(world.zarrin.pk, world.health.pk, world.emdad.pk, YEAR), "outside_role"),
        (f"no_lead:{world.zarrin.pk}:99999", "no_lead"),
    ]
    for key, kind in attempts:
        with pytest.raises(ValidationError):
            finding_review(key=key, kind=kind, verdict=Verdict.JUSTIFIED, note="", user=SYSTEM)
    assert not FindingReview.objects.exists()


def test_gaps_and_outside_role_can_be_reviewed(world):
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    world.record(world.emdad, day(3, 1))
    report = coordination_report(user=SYSTEM, period=YEAR, today=TODAY)
    for finding in (report.outside_role[0], report.gaps[0]):
        finding_review(
            key=finding.key, kind=finding.kind, verdict=Verdict.JUSTIFIED, note="", user=SYSTEM
        )
    after = coordination_report(user=SYSTEM, period=YEAR, today=TODAY).counts
    assert (after["outside_role"], after["gaps"]) == (0, report.counts["gaps"] - 1)


# --- Cost ------------------------------------------------------------------------------------


def _grow(world, n):
    for i in range(n):
        for agency in (world.emdad, world.helal, world.ehsan):
            world.record(agency, day(2, 1) + datetime.timedelta(days=3 * i), beneficiaries=5 + i)


def test_the_report_reads_the_same_number_of_queries_at_two_sizes(
    world, django_assert_max_num_queries
):
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    coordinator = make_user(role=StaffRole.COORDINATOR)
    for n in (2, 20):
        _grow(world, n)
        # The gaps read their leads, and the silent leads' last days, in queries of their own.
        with django_assert_max_num_queries(30):
            report = coordination_report(user=coordinator, period=YEAR, today=TODAY)
            headline(user=coordinator, period=YEAR, today=TODAY)
        assert report.overlaps


@pytest.mark.parametrize("asked_for", [2000, 0], ids=["asked-by-key", "all-read"])
def test_verdicts_are_matched_to_their_findings_however_many_findings_there_are(
    world, monkeypatch, asked_for
):
    """Past some thousands of findings (a national year) the verdicts are all read and matched
    in Python instead of asked for by key; the report is the same."""
    from coordination import findings

    monkeypatch.setattr(findings, "_KEYS_ASKED_FOR", asked_for)
    justified = key_of(world.record(world.emdad, day(3, 1)), world.record(world.helal, day(3, 2)))
    open_one = key_of(world.record(world.emdad, day(6, 1)), world.record(world.ehsan, day(6, 2)))
    coordinator = make_user(role=StaffRole.COORDINATOR)
    finding_review(
        key=justified,
        kind=FindingKind.OVERLAP,
        verdict=Verdict.JUSTIFIED,
        note="",
        user=coordinator,
    )
    FindingReview.objects.create(  # a verdict whose records were deleted since
        key="overlap:999998:999999", kind=FindingKind.OVERLAP, verdict=Verdict.JUSTIFIED
    )
    report = coordination_report(user=coordinator, period=YEAR, today=TODAY)
    assert [o.key for o in report.findings(section="overlaps")] == [open_one]
    shown = report.findings(section="overlaps", show_justified=True)
    assert {o.key: o.review is not None for o in shown} == {justified: True, open_one: False}
