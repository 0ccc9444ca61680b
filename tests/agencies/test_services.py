"""The write services: scope checks, validation, versions and history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.access import OutOfScope
from agencies.models import ServiceRecord
from agencies.services import (
    EditConflict,
    service_record_create,
    service_record_delete,
    service_record_restore,
    service_record_update,
)
from tests.factories import edited


def _record(house, service_type, **overrides):
    """An unsaved record of four beneficiaries whose parts add up."""
    data = {
        "house": house,
        "service_type": service_type,
        "delivered_on": dt.date(2025, 6, 1),
        "beneficiaries": 4,
        "male": 2,
        "female": 2,
        "children": 1,
        "adults": 2,
        "elderly": 1,
        "households": 2,
        "disabled": 0,
        "cost_rials": 1_000_000,
        "notes": "",
    }
    return ServiceRecord(**(data | overrides))


def test_create_sets_creator_and_history_user(program, people):
    record = service_record_create(
        user=people.staff, record=_record(program.emdad_semnan, program.visit)
    )
    assert record.created_by == people.staff
    assert record.version == 1
    assert (record.jalali_year, record.jalali_month) == (1404, 3)
    (row,) = record.history.all()
    assert row.history_user == people.staff
    assert row.history_type == "+"


def test_create_refuses_a_house_of_another_agency(program, people):
    with pytest.raises(ValidationError) as caught:
        service_record_create(
            user=people.staff, record=_record(program.helal_semnan, program.visit)
        )
    assert "house" in caught.value.message_dict
    assert not ServiceRecord.objects.exists()


def test_create_refuses_a_house_in_another_city_for_city_limited_staff(program, people):
    with pytest.raises(ValidationError):
        service_record_create(
            user=people.city_staff, record=_record(program.emdad_shahrud, program.visit)
        )
    assert not ServiceRecord.objects.exists()


def test_create_refuses_a_future_date_even_without_the_form(program, people):
    with pytest.raises(ValidationError) as caught:
        service_record_create(
            user=people.staff,
            record=_record(program.emdad_semnan, program.visit, delivered_on=dt.date(2100, 1, 1)),
        )
    assert caught.value.message_dict["delivered_on"] == ["تاریخ ارائهٔ خدمت نمی‌تواند در آینده باشد."]


def test_create_runs_full_clean(program, people):
    with pytest.raises(ValidationError) as caught:
        service_record_create(
            user=people.staff, record=_record(program.emdad_semnan, program.visit, female=3)
        )
    assert "جمع مردان و زنان باید با تعداد ذی‌نفعان برابر باشد." in caught.value.messages
    assert not ServiceRecord.objects.exists()


def test_viewer_may_not_create(program, people):
    with pytest.raises(PermissionDenied):
        service_record_create(
            user=people.viewer, record=_record(program.emdad_semnan, program.visit)
        )


def test_update_bumps_the_version_and_writes_history_with_the_user(emdad_record, people):
    updated = service_record_update(
        record=edited(emdad_record, notes="با همکاری بسیج"), user=people.staff, version=1
    )
    assert updated.version == 2
    emdad_record.refresh_from_db()
    assert emdad_record.notes == "با همکاری بسیج"
    latest = emdad_record.history.latest()
    assert latest.history_user == people.staff
    assert latest.version == 2


def test_update_that_changes_nothing_writes_nothing(emdad_record, people):
    service_record_update(
        record=edited(emdad_record, notes=emdad_record.notes), user=people.staff, version=1
    )
    emdad_record.refresh_from_db()
    assert emdad_record.version == 1
    assert emdad_record.history.count() == 1


def test_update_from_an_old_version_is_refused_and_names_what_changed(
    program, emdad_record, people
):
    service_record_update(
        record=edited(emdad_record, cost_rials=7_000_000), user=people.staff, version=1
    )
    with pytest.raises(EditConflict) as caught:
        service_record_update(
            record=edited(emdad_record, notes="دیگر"), user=people.coordinator, version=1
        )
    conflict = caught.value
    assert [(c.label, c.old, c.new) for c in conflict.changes] == [
        ("هزینه (ریال)", "۵٬۰۰۰٬۰۰۰ ریال", "۷٬۰۰۰٬۰۰۰ ریال")
    ]
    assert conflict.editors == [people.staff]
    emdad_record.refresh_from_db()
    assert (emdad_record.version, emdad_record.notes, emdad_record.cost_rials) == (2, "", 7_000_000)


def test_update_refuses_a_version_from_the_future(emdad_record, people):
    with pytest.raises(EditConflict):
        service_record_update(record=edited(emdad_record, notes="x"), user=people.staff, version=5)


def test_update_of_another_agencys_record_is_not_found(helal_record, people):
    with pytest.raises(OutOfScope):
        service_record_update(record=edited(helal_record, notes="x"), user=people.staff, version=1)
    helal_record.refresh_from_db()
    assert helal_record.notes == ""


def test_update_cannot_move_a_record_to_another_agencys_house(program, emdad_record, people):
    with pytest.raises(ValidationError):
        service_record_update(
            record=edited(emdad_record, house=program.helal_semnan), user=people.staff, version=1
        )
    emdad_record.refresh_from_db()
    assert (emdad_record.house, emdad_record.version) == (program.emdad_semnan, 1)


def test_update_that_fails_validation_leaves_the_version_alone(emdad_record, people):
    with pytest.raises(ValidationError):
        service_record_update(record=edited(emdad_record, male=9), user=people.staff, version=1)
    emdad_record.refresh_from_db()
    assert emdad_record.version == 1
    assert emdad_record.history.count() == 1


def test_update_takes_only_the_fields_people_edit(emdad_record, people):
    service_record_update(
        record=edited(emdad_record, notes="تازه", created_by=people.staff, version=9),
        user=people.staff,
        version=1,
    )
    emdad_record.refresh_from_db()
    assert (emdad_record.notes, emdad_record.created_by, emdad_record.version) == ("تازه", None, 2)


def test_delete_is_soft_and_restore_brings_it_back(emdad_record, people):
    service_record_delete(record=emdad_record, user=people.staff)
    emdad_record.refresh_from_db()
    assert emdad_record.is_deleted
    assert emdad_record.version == 2
    assert emdad_record.history.latest().history_user == people.staff
    assert not ServiceRecord.objects.alive().filter(pk=emdad_record.pk).exists()

    service_record_restore(record=emdad_record, user=people.coordinator)
    emdad_record.refresh_from_db()
    assert not emdad_record.is_deleted
    assert emdad_record.version == 3
    assert emdad_record.history.latest().history_user == people.coordinator


def test_update_of_a_deleted_record_is_a_conflict(emdad_record, people):
    service_record_delete(record=emdad_record, user=people.coordinator)
    with pytest.raises(EditConflict) as caught:
        service_record_update(record=edited(emdad_record, notes="x"), user=people.staff, version=1)
    assert caught.value.current.is_deleted


@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_only_coordinators_restore(emdad_record, people, role):
    service_record_delete(record=emdad_record, user=people.coordinator)
    with pytest.raises(PermissionDenied):
        service_record_restore(record=emdad_record, user=getattr(people, role))
    emdad_record.refresh_from_db()
    assert emdad_record.is_deleted


def test_delete_and_restore_out_of_scope_are_not_found(helal_record, people):
    with pytest.raises(OutOfScope):
        service_record_delete(record=helal_record, user=people.staff)
    service_record_delete(record=helal_record, user=people.coordinator)
    with pytest.raises(OutOfScope):
        service_record_restore(record=helal_record, user=people.staff)


def test_viewer_may_not_delete(emdad_record, people):
    with pytest.raises(PermissionDenied):
        service_record_delete(record=emdad_record, user=people.viewer)
    emdad_record.refresh_from_db()
    assert not emdad_record.is_deleted
