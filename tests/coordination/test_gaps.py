"""Gaps in the division of labour: a domain nobody leads in a neighbourhood, and a lead that
recorded nothing in its domain there for the rules' number of months."""

import datetime

import pytest
from django.utils import timezone

from agencies.choices import RecordStatus
from agencies.models import CoordinationRules
from coordination.gaps import find_gaps, months_before
from coordination.models import FindingKind, Responsibility
from neighbourhoods.models import Neighbourhood
from tests.factories import (
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
)

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2025, 6, 15)
THREE_MONTHS_BEFORE = datetime.date(2025, 3, 15)


@pytest.fixture
def world():
    """Zarrin (Semnan), with Emdad and Helal houses, and one domain, health, led by Helal;
    the rules count a lead silent after three months."""
    zarrin = make_neighbourhood(city=make_city(name="سمنان"), name="کوی زرین")
    emdad, helal = make_agency(slug="emdad"), make_agency(slug="helal")
    health = make_domain(name="سلامت", order=1)
    CoordinationRules.objects.create(silent_lead_months=3)
    Responsibility.objects.create(neighbourhood=zarrin, domain=health, lead=helal)
    return {
        "zarrin": zarrin,
        "emdad": emdad,
        "helal": helal,
        "health": health,
        "visit": make_service_type(domain=health),
        "houses": {
            "emdad": make_house(agency=emdad, neighbourhood=zarrin),
            "helal": make_house(agency=helal, neighbourhood=zarrin),
        },
    }


def kinds(**kwargs):
    kwargs.setdefault("neighbourhoods", Neighbourhood.objects.all())
    kwargs.setdefault("as_of", AS_OF)
    return [(gap.kind, gap.neighbourhood.name, gap.domain.name) for gap in find_gaps(**kwargs)]


def test_a_domain_without_a_row_has_no_lead(world):
    make_domain(name="اشتغال", order=2)
    make_record(house=world["houses"]["helal"], service_type=world["visit"], delivered_on=AS_OF)
    assert kinds() == [(FindingKind.NO_LEAD, "کوی زرین", "اشتغال")]


def test_a_row_without_a_lead_has_no_lead(world):
    Responsibility.objects.filter(domain=world["health"]).update(lead=None)
    (gap,) = find_gaps(neighbourhoods=Neighbourhood.objects.all(), as_of=AS_OF)
    assert (gap.kind, gap.lead, gap.key) == (
        FindingKind.NO_LEAD,
        None,
        f"no_lead:{world['zarrin'].pk}:{world['health'].pk}",
    )


def test_a_neighbourhood_without_houses_is_part_of_the_program(world):
    Responsibility.objects.all().delete()
    make_neighbourhood(city=world["zarrin"].city, name="باغ")
    assert kinds() == [
        (FindingKind.NO_LEAD, "باغ", "سلامت"),
        (FindingKind.NO_LEAD, "کوی زرین", "سلامت"),
    ]


def test_a_lead_whose_last_record_is_n_months_old_is_silent(world):
    make_record(
        house=world["houses"]["helal"],
        service_type=world["visit"],
        delivered_on=THREE_MONTHS_BEFORE,
    )
    (gap,) = find_gaps(neighbourhoods=Neighbourhood.objects.all(), as_of=AS_OF)
    assert (gap.kind, gap.lead, gap.last_delivered_on, gap.key) == (
        FindingKind.SILENT_LEAD,
        world["helal"],
        THREE_MONTHS_BEFORE,
        f"silent_lead:{world['zarrin'].pk}:{world['health'].pk}:{world['helal'].pk}",
    )


def test_a_lead_that_recorded_n_months_less_a_day_ago_is_not_silent(world):
    make_record(
        house=world["houses"]["helal"],
        service_type=world["visit"],
        delivered_on=THREE_MONTHS_BEFORE + datetime.timedelta(days=1),
        status=RecordStatus.DRAFT,  # any status counts: the work was done
    )
    assert kinds() == []


def test_another_agencys_records_do_not_keep_a_lead_from_being_silent(world):
    make_record(house=world["houses"]["emdad"], service_type=world["visit"], delivered_on=AS_OF)
    assert kinds() == [(FindingKind.SILENT_LEAD, "کوی زرین", "سلامت")]


def test_a_record_of_another_domain_does_not_count(world):
    other = make_service_type(domain=make_domain(name="مسکن", order=3))
    Responsibility.objects.create(
        neighbourhood=world["zarrin"], domain=other.domain, lead=world["emdad"]
    )
    make_record(house=world["houses"]["emdad"], service_type=other, delivered_on=AS_OF)
    make_record(house=world["houses"]["helal"], service_type=other, delivered_on=AS_OF)
    assert kinds() == [(FindingKind.SILENT_LEAD, "کوی زرین", "سلامت")]


def test_deleted_records_do_not_count(world):
    record = make_record(
        house=world["houses"]["helal"], service_type=world["visit"], delivered_on=AS_OF
    )
    record.deleted_at = timezone.now()
    record.save()
    (gap,) = find_gaps(neighbourhoods=Neighbourhood.objects.all(), as_of=AS_OF)
    assert (gap.kind, gap.last_delivered_on) == (FindingKind.SILENT_LEAD, None)


def test_the_months_come_from_the_rules_given(world):
    make_record(
        house=world["houses"]["helal"],
        service_type=world["visit"],
        delivered_on=datetime.date(2025, 5, 1),
    )
    assert kinds(rules=CoordinationRules(silent_lead_months=1)) == [
        (FindingKind.SILENT_LEAD, "کوی زرین", "سلامت")
    ]
    assert kinds(rules=CoordinationRules(silent_lead_months=2)) == []


def test_gaps_come_in_city_neighbourhood_and_domain_order(world):
    Responsibility.objects.all().delete()
    make_domain(name="آموزش", order=0)
    make_neighbourhood(city=make_city(name="دامغان"), name="سرچشمه")
    assert kinds() == [
        (FindingKind.NO_LEAD, "سرچشمه", "آموزش"),
        (FindingKind.NO_LEAD, "سرچشمه", "سلامت"),
        (FindingKind.NO_LEAD, "کوی زرین", "آموزش"),
        (FindingKind.NO_LEAD, "کوی زرین", "سلامت"),
    ]


def test_only_the_neighbourhoods_asked_for(world):
    make_neighbourhood(city=world["zarrin"].city, name="لاله")
    assert kinds(neighbourhoods=Neighbourhood.objects.filter(name="لاله")) == [
        (FindingKind.NO_LEAD, "لاله", "سلامت")
    ]


@pytest.mark.parametrize("extra", [2, 30])
def test_queries_do_not_grow_with_neighbourhoods(world, extra, django_assert_num_queries):
    for _n in range(extra):
        place = make_neighbourhood(city=world["zarrin"].city)
        house = make_house(agency=world["helal"], neighbourhood=place)
        Responsibility.objects.create(
            neighbourhood=place, domain=world["health"], lead=house.agency
        )
        make_record(house=house, service_type=world["visit"], delivered_on=AS_OF)
    rules = CoordinationRules.current()
    # Neighbourhoods, rows, domains, leads, the leads busy lately, the silent leads' last days.
    with django_assert_num_queries(6):
        gaps = find_gaps(neighbourhoods=Neighbourhood.objects.all(), as_of=AS_OF, rules=rules)
    assert len(gaps) == 1  # Zarrin's silent Helal


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 6, 15), 3, datetime.date(2025, 3, 15)),
        (datetime.date(2025, 5, 31), 3, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 5, 31), 3, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 1, 10), 2, datetime.date(2024, 11, 10)),
        (datetime.date(2025, 3, 1), 24, datetime.date(2023, 3, 1)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected):
    assert months_before(day, months) == expected
