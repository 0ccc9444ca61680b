"""What the other agencies did here: a clerk reads every agency's records in the
neighbourhoods where her agency keeps a house (in her cities), never their notes or people, and
can change none of them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

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

pytestmark = pytest.mark.django_db

ACTIVITY = reverse("coordination_panel:activity")


@pytest.fixture
def world():
    """Emdad and Helal both work in Zarrin (Semnan) and Kowsar (Shahrud); only Helal works in
    Laleh (Semnan). Helal recorded a visit in each, ten days ago, with a private note."""
    semnan, shahrud = make_city(name="سمنان"), make_city(name="شاهرود")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین")
    kowsar = make_neighbourhood(city=shahrud, name="کوثر")
    laleh = make_neighbourhood(city=semnan, name="لاله")
    emdad = make_agency(slug="emdad", house_name="خانه امداد")
    helal = make_agency(slug="helal", house_name="خانه هلال")
    visit = make_service_type(domain=make_domain(name="سلامت"), name="ویزیت رایگان پزشک")
    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    helal_clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=helal, first_name="ثبت‌کنندهٔ هلال")
    records = {}
    for place, beneficiaries in ((zarrin, 11), (kowsar, 22), (laleh, 33)):
        make_house(agency=helal, neighbourhood=place)
        records[place.name] = make_record(
            house=place.houses.get(agency=helal),
            service_type=visit,
            delivered_on=ten_days_ago,
            beneficiaries=beneficiaries,
            notes="یادداشت محرمانهٔ هلال",
            created_by=helal_clerk,
            status=RecordStatus.APPROVED,
        )
    make_house(agency=emdad, neighbourhood=zarrin)
    make_house(agency=emdad, neighbourhood=kowsar)
    return {
        "records": records,
        "clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad),
        "semnan_clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad, cities=[semnan]),
        "coordinator": make_user(role=StaffRole.COORDINATOR),
    }


def _shown(client, user, query=""):
    client.force_login(user)
    response = client.get(ACTIVITY + query)
    assert response.status_code == 200
    return response, sorted(row["beneficiaries"] for row in response.context["rows"])


def test_a_clerk_reads_other_agencies_work_where_her_agency_works(client, world):
    _, shown = _shown(client, world["clerk"])
    assert shown == [11, 22]  # Zarrin and Kowsar, not Laleh where Emdad has no house


def test_a_city_clerk_reads_only_her_cities(client, world):
    _, shown = _shown(client, world["semnan_clerk"])
    assert shown == [11]


def test_a_coordinator_reads_every_neighbourhood(client, world):
    _, shown = _shown(client, world["coordinator"])
    assert shown == [11, 22, 33]


def test_neither_notes_nor_people_are_shown(client, world):
    response, _ = _shown(client, world["clerk"])
    html = response.content.decode()
    assert "ویزیت رایگان پزشک" in html
    assert "یادداشت محرمانه" not in html
    assert "ثبت‌کنندهٔ هلال" not in html


def test_a_clerk_has_no_way_to_open_or_change_another_agencys_record(client, world):
    response, _ = _shown(client, world["clerk"])
    zarrin = world["records"]["کوی زرین"]
    html = response.content.decode()
    assert reverse("agencies_panel:detail", args=[zarrin.pk]) not in html
    assert client.get(reverse("agencies_panel:edit", args=[zarrin.pk])).status_code == 404
    assert client.post(reverse("agencies_panel:delete", args=[zarrin.pk])).status_code == 404


def test_a_neighbourhood_outside_her_scope_in_the_address_is_ignored(client, world):
    laleh = world["records"]["لاله"].house.neighbourhood
    response, shown = _shown(client, world["clerk"], f"?neighbourhood={laleh.pk}")
    assert shown == [11, 22]
    assert "neighbourhood" in response.context["filter_form"].errors


def test_the_period_leaves_out_older_work(client, world):
    old = world["records"]["کوی زرین"]
    old.delivered_on = timezone.localdate() - datetime.timedelta(days=40)
    old.save()
    assert _shown(client, world["clerk"], "?days=30")[1] == [22]
    assert _shown(client, world["clerk"], "?days=90")[1] == [11, 22]


def test_the_page_costs_the_same_with_more_records(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["clerk"])
    with CaptureQueriesContext(connection) as small:
        client.get(ACTIVITY)
    zarrin = world["records"]["کوی زرین"]
    for beneficiaries in range(40, 70):
        make_record(
            house=zarrin.house,
            service_type=zarrin.service_type,
            delivered_on=zarrin.delivered_on,
            beneficiaries=beneficiaries,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(ACTIVITY)
    assert response.context["page_obj"].paginator.count == 32
    assert len(small.captured_queries) <= 12
