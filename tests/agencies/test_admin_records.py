"""Service records in the Django admin go through the same services as the staff panel."""

import pytest
from django.urls import reverse

from agencies.models import ServiceRecord
from agencies.services import service_record_update
from tests.factories import edited, make_record, make_user

pytestmark = pytest.mark.django_db

EDITED_FIELDS = [
    "beneficiaries", "male", "female", "children", "adults", "elderly",
    "households", "disabled", "cost_rials", "notes",
]  # fmt: skip


def _change_url(record):
    return reverse("admin:agencies_servicerecord_change", args=[record.pk])


def _form_data(record, **changes):
    """What the admin's change form posts for *record*, as it was when the page was opened."""
    data = {field: getattr(record, field) for field in EDITED_FIELDS}
    data |= {
        "house": record.house_id,
        "service_type": record.service_type_id,
        "delivered_on": "۱۴۰۴/۰۷/۰۹",
        "version": record.version,
    }
    return data | changes


def test_an_admin_edit_saves_through_the_service(admin_client, superuser):
    record = make_record(notes="")
    response = admin_client.post(_change_url(record), _form_data(record, notes="با همکاری بسیج"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.notes, record.version) == ("با همکاری بسیج", 2)
    assert record.history.latest().history_user == superuser


def test_an_admin_edit_from_a_stale_page_is_refused(admin_client):
    record = make_record(notes="")
    opened = _form_data(record, notes="نوشتهٔ مدیر")
    # Meanwhile a clerk saves the record in the panel.
    service_record_update(
        record=edited(record, notes="نوشتهٔ کارشناس"), user=make_user(superuser=True), version=1
    )
    response = admin_client.post(_change_url(record), opened)
    assert response.status_code == 200
    assert "پس از باز شدن این صفحه در جای دیگری ویرایش یا حذف شده است" in response.content.decode()
    record.refresh_from_db()
    assert (record.notes, record.version) == ("نوشتهٔ کارشناس", 2)


def test_an_admin_edit_keeps_the_panels_date_rule(admin_client):
    record = make_record()
    response = admin_client.post(_change_url(record), _form_data(record, delivered_on="۱۴۹۰/۰۱/۰۱"))
    assert response.status_code == 200
    assert "تاریخ ارائهٔ خدمت نمی‌تواند در آینده باشد." in response.content.decode()
    record.refresh_from_db()
    assert record.version == 1


def test_deleting_in_the_admin_is_soft_and_can_be_undone(admin_client):
    record = make_record()
    changelist = reverse("admin:agencies_servicerecord_changelist")
    response = admin_client.post(
        changelist, {"action": "soft_delete", "_selected_action": [record.pk]}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_deleted
    assert record.version == 2
    assert ServiceRecord.objects.filter(pk=record.pk).exists()

    admin_client.post(changelist, {"action": "restore", "_selected_action": [record.pk]})
    record.refresh_from_db()
    assert not record.is_deleted
    assert record.version == 3


def test_the_admin_offers_no_permanent_delete(admin_client):
    record = make_record()
    url = reverse("admin:agencies_servicerecord_delete", args=[record.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:agencies_servicerecord_changelist"))
    assert 'value="delete_selected"' not in changelist.content.decode()
    assert ServiceRecord.objects.filter(pk=record.pk, deleted_at__isnull=True).exists()


def test_reverting_from_history_goes_back_to_the_checked_form(admin_client):
    record = make_record()
    version_id = record.history.latest().history_id
    url = reverse("admin:agencies_servicerecord_simple_history", args=[record.pk, version_id])
    response = admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == _change_url(record)
