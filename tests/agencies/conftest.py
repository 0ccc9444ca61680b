"""A small program for the records panel: two agencies with houses in two cities, and a user
for every role the scoping function knows."""

from types import SimpleNamespace

import pytest

from agencies.choices import RecordStatus
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


@pytest.fixture
def program(db):
    """Emdad and Helal, each with a house in «کوی زرین» (Semnan) and in «کوثر» (Shahrud),
    and one service type in each of two domains."""
    semnan = make_city(name="سمنان")
    shahrud = make_city(name="شاهرود")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین")
    kowsar = make_neighbourhood(city=shahrud, name="کوثر")
    emdad = make_agency(slug="emdad", short_name="امداد", house_name="خانه امداد")
    helal = make_agency(slug="helal", short_name="هلال", house_name="خانه هلال")
    health = make_domain(name="درمان و سلامت", slug="health")
    jobs = make_domain(name="اشتغال", slug="jobs")
    return SimpleNamespace(
        semnan=semnan,
        shahrud=shahrud,
        zarrin=zarrin,
        kowsar=kowsar,
        emdad=emdad,
        helal=helal,
        emdad_semnan=make_house(agency=emdad, neighbourhood=zarrin),
        emdad_shahrud=make_house(agency=emdad, neighbourhood=kowsar),
        helal_semnan=make_house(agency=helal, neighbourhood=zarrin),
        helal_shahrud=make_house(agency=helal, neighbourhood=kowsar),
        health=health,
        jobs=jobs,
        visit=make_service_type(domain=health, name="ویزیت رایگان پزشک"),
        workshop=make_service_type(domain=jobs, name="کارگاه آموزش مهارت"),
    )


@pytest.fixture
def people(program):
    """One user per role; `staff` works for Emdad, `city_staff` for Emdad in Semnan only;
    `supervisor` is Emdad's provincial supervisor, `helal_supervisor` Helal's."""
    return SimpleNamespace(
        outsider=make_user(username="outsider"),
        staff=make_user(
            username="emdad_staff",
            role=StaffRole.AGENCY_STAFF,
            agency=program.emdad,
            first_name="مریم",
            last_name="احمدی",
        ),
        city_staff=make_user(
            username="emdad_semnan",
            role=StaffRole.AGENCY_STAFF,
            agency=program.emdad,
            cities=[program.semnan],
        ),
        helal_staff=make_user(
            username="helal_staff",
            role=StaffRole.AGENCY_STAFF,
            agency=program.helal,
            first_name="رضا",
            last_name="کریمی",
        ),
        supervisor=make_user(
            username="emdad_supervisor",
            role=StaffRole.SUPERVISOR,
            agency=program.emdad,
            first_name="زهرا",
            last_name="رحیمی",
        ),
        helal_supervisor=make_user(
            username="helal_supervisor", role=StaffRole.SUPERVISOR, agency=program.helal
        ),
        viewer=make_user(username="viewer", role=StaffRole.VIEWER),
        coordinator=make_user(username="coordinator", role=StaffRole.COORDINATOR),
        superuser=make_user(username="root", superuser=True),
    )


@pytest.fixture
def emdad_record(program):
    return make_record(
        status=RecordStatus.SUBMITTED,
        house=program.emdad_semnan,
        service_type=program.visit,
        beneficiaries=10,
        cost_rials=5_000_000,
    )


@pytest.fixture
def helal_record(program):
    return make_record(
        status=RecordStatus.SUBMITTED,
        house=program.helal_shahrud,
        service_type=program.workshop,
        beneficiaries=12,
    )


@pytest.fixture
def form_data():
    """Builds the POST data of a valid record form (Persian digits); overrides replace fields."""
    return _form_data


def _form_data(house, service_type, **overrides):
    data = {
        "house": str(house.pk),
        "service_type": str(service_type.pk),
        "delivered_on": "۱۴۰۴/۰۷/۰۹",
        "beneficiaries": "۲۰",
        "male": "۸",
        "female": "۱۲",
        "children": "۵",
        "adults": "۱۰",
        "elderly": "۵",
        "households": "۶",
        "disabled": "۲",
        "cost_rials": "۱۲٬۵۰۰٬۰۰۰",
        "notes": "ویزیت رایگان در حسینیهٔ محل",
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data
