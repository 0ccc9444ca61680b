"""agencies.access.scope_for: the one rule behind every staff list, form and report."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from agencies.access import scope_for
from agencies.models import House, ServiceRecord
from tests.factories import (
    StaffRole,
    make_agency,
    make_city,
    make_house,
    make_neighbourhood,
    make_record,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    """Two agencies, each with a house in two cities, and one record per house."""
    emdad, helal = make_agency(slug="emdad"), make_agency(slug="helal")
    semnan, shahrud = make_city(name="سمنان"), make_city(name="شاهرود")
    houses = {}
    for agency in (emdad, helal):
        for city in (semnan, shahrud):
            house = make_house(agency=agency, neighbourhood=make_neighbourhood(city=city))
            houses[agency.slug, city.name] = house
            make_record(house=house)
    return {"emdad": emdad, "helal": helal, "semnan": semnan, "shahrud": shahrud, **houses}


def visible_houses(user):
    return set(House.objects.visible_to(user))


def test_agency_staff_sees_only_their_agency(province):
    user = make_user(role=StaffRole.AGENCY_STAFF, agency=province["emdad"])
    assert visible_houses(user) == {province["emdad", "سمنان"], province["emdad", "شاهرود"]}
    agencies = set(ServiceRecord.objects.visible_to(user).values_list("house__agency", flat=True))
    assert agencies == {province["emdad"].pk}
    assert scope_for(user).can_write
    assert not scope_for(user).can_restore


def test_agency_staff_limited_to_a_city_sees_only_that_city(province):
    user = make_user(
        role=StaffRole.AGENCY_STAFF, agency=province["helal"], cities=[province["shahrud"]]
    )
    assert visible_houses(user) == {province["helal", "شاهرود"]}
    assert ServiceRecord.objects.visible_to(user).count() == 1


def test_coordinator_sees_and_restores_everything(province):
    user = make_user(role=StaffRole.COORDINATOR)
    assert ServiceRecord.objects.visible_to(user).count() == 4
    assert scope_for(user).can_write and scope_for(user).can_restore
    assert scope_for(user).is_whole_province


def test_viewer_sees_everything_but_may_not_write(province):
    user = make_user(role=StaffRole.VIEWER)
    assert ServiceRecord.objects.visible_to(user).count() == 4
    with pytest.raises(PermissionDenied):
        scope_for(user).require("write")


def test_superuser_sees_everything(province):
    assert ServiceRecord.objects.visible_to(make_user(superuser=True)).count() == 4


@pytest.mark.parametrize("kind", ["anonymous", "no-membership", "inactive"])
def test_people_without_a_role_see_nothing(province, kind):
    if kind == "anonymous":
        user = AnonymousUser()
    elif kind == "no-membership":
        user = make_user()
    else:
        user = make_user(role=StaffRole.COORDINATOR, is_active=False)
    assert ServiceRecord.objects.visible_to(user).count() == 0
    assert visible_houses(user) == set()
    assert not scope_for(user).can_write
