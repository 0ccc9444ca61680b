"""Between entry and publication: drafts, submission, approval and return for correction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.access import OutOfScope
from agencies.choices import RecordStatus
from agencies.models import ServiceRecord
from agencies.services import (
    service_record_approve,
    service_record_create,
    service_record_delete,
    service_record_return,
    service_record_submit,
    service_record_update,
    service_records_approve,
)
from tests.factories import build_record, edited, make_record

pytestmark = pytest.mark.django_db


def _new(program, user, *, submit=False, **fields):
    record = build_record(house=program.emdad_semnan, service_type=program.visit, **fields)
    return service_record_create(record=record, user=user, submit=submit)


def _status(record):
    record.refresh_from_db()
    return record.status


# --- Transitions by role -------------------------------------------------------------------


def test_a_clerk_saves_a_draft_and_submits_it(program, people):
    record = _new(program, people.staff)
    assert record.status == RecordStatus.DRAFT
    service_record_submit(record=record, user=people.staff)
    assert _status(record) == RecordStatus.SUBMITTED


def test_a_clerk_may_submit_at_once(program, people):
    assert _new(program, people.staff, submit=True).status == RecordStatus.SUBMITTED


@pytest.mark.parametrize("approver", ["supervisor", "coordinator", "superuser"])
def test_the_agencys_supervisor_and_coordinators_approve(program, people, approver):
    record = _new(program, people.staff, submit=True)
    service_record_approve(record=record, user=getattr(people, approver))
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert record.reviewed_by == getattr(people, approver)
    assert record.reviewed_at is not None


@pytest.mark.parametrize("role", ["staff", "city_staff", "viewer"])
def test_clerks_and_viewers_may_not_approve(program, people, role):
    record = _new(program, people.staff, submit=True)
    with pytest.raises(PermissionDenied):
        service_record_approve(record=record, user=getattr(people, role))
    assert _status(record) == RecordStatus.SUBMITTED


def test_another_agencys_supervisor_does_not_even_find_the_record(program, people):
    record = _new(program, people.staff, submit=True)
    with pytest.raises(OutOfScope):
        service_record_approve(record=record, user=people.helal_supervisor)
    with pytest.raises(OutOfScope):
        service_record_return(record=record, user=people.helal_supervisor, reason="نادرست")
    assert _status(record) == RecordStatus.SUBMITTED


def test_a_draft_is_not_approved(program, people):
    record = _new(program, people.staff)
    assert (
        service_records_approve(
            records=ServiceRecord.objects.filter(pk=record.pk), user=people.supervisor
        )
        == 0
    )
    assert _status(record) == RecordStatus.DRAFT


def test_returning_needs_a_reason(program, people):
    record = _new(program, people.staff, submit=True)
    with pytest.raises(ValidationError) as caught:
        service_record_return(record=record, user=people.supervisor, reason="  ")
    assert caught.value.message_dict["reason"] == ["بنویسید چه چیزی باید اصلاح شود."]
    assert _status(record) == RecordStatus.SUBMITTED


def test_a_returned_record_is_corrected_and_submitted_again(program, people):
    record = _new(program, people.staff, submit=True)
    service_record_return(record=record, user=people.supervisor, reason="تعداد زنان را بشمارید")
    record.refresh_from_db()
    assert (record.status, record.return_reason) == (RecordStatus.RETURNED, "تعداد زنان را بشمارید")
    corrected = service_record_update(
        record=edited(record, notes="شمارش دوباره شد"),
        user=people.staff,
        version=record.version,
        submit=True,
    )
    assert (corrected.status, corrected.notes) == (RecordStatus.SUBMITTED, "شمارش دوباره شد")


def test_an_approved_record_is_locked_for_clerks(program, people):
    record = _new(program, people.staff, submit=True)
    record = service_record_approve(record=record, user=people.supervisor)
    with pytest.raises(PermissionDenied):
        service_record_update(
            record=edited(record, notes="تغییر"), user=people.staff, version=record.version
        )
    with pytest.raises(PermissionDenied):
        service_record_delete(record=record, user=people.staff)
    record.refresh_from_db()
    assert (record.notes, record.is_deleted) == ("", False)


def test_the_supervisor_reopens_an_approved_record_for_the_clerk(program, people):
    record = service_record_approve(
        record=_new(program, people.staff, submit=True), user=people.supervisor
    )
    service_record_return(record=record, user=people.supervisor, reason="تاریخ اشتباه است")
    record.refresh_from_db()
    updated = service_record_update(
        record=edited(record, notes="تاریخ درست شد"), user=people.staff, version=record.version
    )
    assert (updated.status, updated.notes) == (RecordStatus.RETURNED, "تاریخ درست شد")


def test_every_step_is_in_the_history_with_who(client, program, people):
    record = _new(program, people.staff)
    service_record_submit(record=record, user=people.staff)
    service_record_return(record=record, user=people.supervisor, reason="هزینه را بنویسید")
    record.refresh_from_db()
    service_record_update(
        record=edited(record, cost_rials=900_000),
        user=people.staff,
        version=record.version,
        submit=True,
    )
    service_record_approve(record=record, user=people.coordinator)
    client.force_login(people.staff)
    entries = client.get(reverse("agencies_panel:history", args=[record.pk])).context["entries"]
    assert [(entry.kind, entry.user) for entry in entries] == [
        ("created", people.staff),
        ("submitted", people.staff),
        ("returned", people.supervisor),
        ("submitted", people.staff),
        ("approved", people.coordinator),
    ]
    assert entries[2].note == "هزینه را بنویسید"


# --- What the public sees ------------------------------------------------------------------


def _public_total(client, neighbourhood):
    return client.get(neighbourhood.get_absolute_url()).context["total"].beneficiaries.value


def test_only_approved_records_count_on_public_pages(
    client, program, people, django_capture_on_commit_callbacks
):
    make_record(house=program.emdad_semnan, service_type=program.visit, beneficiaries=30)
    assert _public_total(client, program.zarrin) == 30
    assert client.get(program.zarrin.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        record = _new(program, people.staff, submit=True, beneficiaries=100)
    # Submitted: the cached page is still right, and a fresh one counts the same.
    assert client.get(program.zarrin.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(reverse("agencies:index")).context["total"].beneficiaries.value == 30
    with django_capture_on_commit_callbacks(execute=True):
        service_record_approve(record=record, user=people.supervisor)
    response = client.get(program.zarrin.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert response.context["total"].beneficiaries.value == 130


def test_returning_an_approved_record_takes_it_off_the_public_figures(
    client, program, people, django_capture_on_commit_callbacks
):
    record = make_record(house=program.emdad_semnan, service_type=program.visit, beneficiaries=40)
    assert _public_total(client, program.zarrin) == 40
    with django_capture_on_commit_callbacks(execute=True):
        service_record_return(record=record, user=people.coordinator, reason="بازبینی")
    assert _public_total(client, program.zarrin) == 0


# --- The panel -------------------------------------------------------------------------------


def test_a_returned_record_shows_its_reason_to_the_clerk(client, program, people):
    record = _new(program, people.staff, submit=True)
    service_record_return(record=record, user=people.supervisor, reason="عکس رضایت‌نامه کم است")
    client.force_login(people.staff)
    html = client.get(reverse("agencies_panel:detail", args=[record.pk])).content.decode()
    assert "برگشت برای اصلاح" in html
    assert "عکس رضایت‌نامه کم است" in html
    assert "زهرا رحیمی" in html  # who returned it


def test_the_edit_page_of_an_approved_record_is_closed_to_the_clerk(client, program, people):
    record = make_record(house=program.emdad_semnan, service_type=program.visit)
    client.force_login(people.staff)
    assert client.get(reverse("agencies_panel:edit", args=[record.pk])).status_code == 403
    assert client.get(reverse("agencies_panel:delete", args=[record.pk])).status_code == 403
    html = client.get(reverse("agencies_panel:detail", args=[record.pk])).content.decode()
    assert reverse("agencies_panel:edit", args=[record.pk]) not in html
    client.force_login(people.supervisor)
    assert client.get(reverse("agencies_panel:edit", args=[record.pk])).status_code == 200


def test_the_list_filters_by_state(client, program, people):
    make_record(house=program.emdad_semnan, service_type=program.visit, status="draft")
    submitted = make_record(
        house=program.emdad_semnan, service_type=program.visit, status="submitted"
    )
    make_record(house=program.emdad_semnan, service_type=program.visit)
    client.force_login(people.staff)
    shown = client.get(reverse("agencies_panel:list"), {"status": "submitted"}).context["records"]
    assert list(shown) == [submitted]


def test_bulk_approval_of_the_filtered_list(client, program, people):
    semnan = [
        make_record(house=program.emdad_semnan, service_type=program.visit, status="submitted")
        for _ in range(3)
    ]
    shahrud = make_record(
        house=program.emdad_shahrud, service_type=program.visit, status="submitted"
    )
    draft = make_record(house=program.emdad_semnan, service_type=program.visit, status="draft")
    helal = make_record(house=program.helal_semnan, service_type=program.visit, status="submitted")
    client.force_login(people.supervisor)
    url = reverse("agencies_panel:approve") + f"?city={program.semnan.pk}"
    response = client.post(url, {"all_filtered": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies_panel:list") + f"?city={program.semnan.pk}"
    assert [_status(record) for record in semnan] == [RecordStatus.APPROVED] * 3
    assert _status(shahrud) == RecordStatus.SUBMITTED  # outside the filter
    assert _status(draft) == RecordStatus.DRAFT  # not submitted
    assert _status(helal) == RecordStatus.SUBMITTED  # another agency's


def test_bulk_approval_of_ticked_records(client, program, people):
    first, second = (
        make_record(house=program.emdad_semnan, service_type=program.visit, status="submitted")
        for _ in range(2)
    )
    client.force_login(people.coordinator)
    client.post(reverse("agencies_panel:approve"), {"records": [str(first.pk), "x", "%00"]})
    assert (_status(first), _status(second)) == (RecordStatus.APPROVED, RecordStatus.SUBMITTED)


def test_the_list_offers_approval_only_to_approvers(client, program, people):
    make_record(house=program.emdad_semnan, service_type=program.visit, status="submitted")
    client.force_login(people.staff)
    assert 'id="approve-form"' not in client.get(reverse("agencies_panel:list")).content.decode()
    client.force_login(people.supervisor)
    html = client.get(reverse("agencies_panel:list")).content.decode()
    assert 'id="approve-form"' in html
    assert "تأیید همهٔ ۱ خدمت ارسال‌شدهٔ این فهرست" in html
