"""house_update: a coordinator keeps a house's details; a closed house takes no new records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.access import OutOfScope
from agencies.house_services import house_phone, house_update, shown_phone
from agencies.models import ServiceRecord
from core.caching import current_generation
from tests.factories import edited, make_record, record_service


def test_coordinator_saves_a_house_with_history(program, people):
    house = edited(
        program.emdad_semnan,
        address="سمنان، کوی زرین، کوچهٔ ۵",
        phone="۰۲۳-۳۳۴۵۱۲۳۴",
        manager_name="علی رضایی",
        opened_on=dt.date(2022, 5, 1),
    )
    saved = house_update(house=house, user=people.coordinator)
    program.emdad_semnan.refresh_from_db()
    assert (program.emdad_semnan.phone, program.emdad_semnan.manager_name) == (
        "023-33451234",
        "علی رضایی",
    )
    latest = saved.history.latest()
    assert (latest.history_user, latest.history_type) == (people.coordinator, "~")


def test_nothing_changed_writes_no_history(program, people):
    before = program.emdad_semnan.history.count()
    house_update(house=edited(program.emdad_semnan), user=people.coordinator)
    assert program.emdad_semnan.history.count() == before


def test_agency_and_neighbourhood_stay_whatever_the_instance_says(program, people):
    moved = edited(program.emdad_semnan, agency=program.helal, neighbourhood=program.kowsar)
    house_update(house=moved, user=people.coordinator)
    program.emdad_semnan.refresh_from_db()
    assert (program.emdad_semnan.agency, program.emdad_semnan.neighbourhood) == (
        program.emdad,
        program.zarrin,
    )


@pytest.mark.parametrize("who", ["staff", "viewer", "outsider"])
def test_only_coordinators_update_houses(program, people, who):
    with pytest.raises((PermissionDenied, OutOfScope)):
        house_update(house=edited(program.emdad_semnan, phone="0231234"), user=getattr(people, who))
    program.emdad_semnan.refresh_from_db()
    assert program.emdad_semnan.phone == ""


def test_another_agencys_clerk_is_told_the_house_does_not_exist(program, people):
    with pytest.raises(OutOfScope):
        house_update(house=edited(program.emdad_semnan), user=people.helal_staff)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "ندارد"}, "phone", f"«{shown_phone('ندارد')}» شمارهٔ تلفن نیست"),
        ({"opened_on": dt.date(2999, 1, 1)}, "opened_on", "نمی‌تواند در آینده باشد"),
        ({"address": "ا" * 301}, "address", "۳۰۰"),
    ],
)
def test_bad_details_are_refused_by_field(program, people, changes, field, message):
    with pytest.raises(ValidationError) as error:
        house_update(house=edited(program.emdad_semnan, **changes), user=people.coordinator)
    assert message in " ".join(error.value.message_dict[field])


def test_a_saved_change_moves_the_public_page_cache_on(
    program, people, django_capture_on_commit_callbacks
):
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        house_update(house=edited(program.emdad_semnan, phone="023-1234"), user=people.coordinator)
    assert current_generation() != before


def test_a_closed_house_takes_no_new_record_and_keeps_its_old_ones(program, people):
    old = make_record(house=program.emdad_semnan, service_type=program.visit)
    house_update(house=edited(program.emdad_semnan, is_active=False), user=people.coordinator)

    with pytest.raises(ValidationError) as error:
        record_service(house=program.emdad_semnan, service_type=program.visit, user=people.staff)

    assert error.value.message_dict["house"] == ["این خانه دیگر فعال نیست."]
    assert list(ServiceRecord.objects.visible_to(people.staff).alive()) == [old]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("۰۲۳-۳۳۴۵۱۲۳۴", "023-33451234"),
        ("(023)  3345 1234", "(023) 3345 1234"),
        ("+98 23 3345 1234", "+98 23 3345 1234"),
        ("\u200e023\u20133345", "023-3345"),
        ("33451234 / 09121234567", "33451234 / 09121234567"),
        ("", ""),
    ],
)
def test_phone_numbers_are_read_in_any_digits(typed, stored):
    assert house_phone(typed) == stored


@pytest.mark.parametrize("typed", ["تلفن", "123", "023-abc", "++98 23", "-023"])
def test_what_is_not_a_phone_is_refused(typed):
    with pytest.raises(ValidationError):
        house_phone(typed)
