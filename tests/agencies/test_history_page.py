"""A record's history page: who changed which field, from what to what, and when."""

import datetime as dt

import pytest
from django.urls import reverse

from agencies.services import service_record_delete, service_record_restore, service_record_update
from core.jalali import format_datetime
from tests.factories import edited


def _history(client, record):
    return client.get(reverse("agencies_panel:history", args=[record.pk]))


def test_history_shows_field_changes_with_persian_labels(client, program, people, emdad_record):
    service_record_update(
        record=edited(
            emdad_record, cost_rials=7_500_000, delivered_on=dt.date(2025, 9, 23), notes="با بسیج"
        ),
        user=people.staff,
        version=1,
    )
    client.force_login(people.viewer)
    response = _history(client, emdad_record)
    assert response.status_code == 200
    (created, changed) = response.context["entries"]
    assert created.kind == "created"
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("تاریخ ارائه", "۱۴۰۴/۰۷/۰۹", "۱۴۰۴/۰۷/۰۱"),
        ("هزینه (ریال)", "۵٬۰۰۰٬۰۰۰ ریال", "۷٬۵۰۰٬۰۰۰ ریال"),
        ("توضیحات", "—", "با بسیج"),
    ]
    html = response.content.decode()
    assert "مریم احمدی" in html
    assert "هزینه (ریال)" in html
    assert "۷٬۵۰۰٬۰۰۰ ریال" in html
    # Jalali date and Tehran time of the change, in Persian digits.
    assert format_datetime(emdad_record.history.latest().history_date) in html


def test_history_names_houses_and_service_types(client, program, people, emdad_record):
    service_record_update(
        record=edited(emdad_record, house=program.emdad_shahrud, service_type=program.workshop),
        user=people.staff,
        version=1,
    )
    client.force_login(people.staff)
    changed = _history(client, emdad_record).context["entries"][-1]
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("خانه", str(program.emdad_semnan), str(program.emdad_shahrud)),
        ("نوع خدمت", "ویزیت رایگان پزشک", "کارگاه آموزش مهارت"),
    ]


def test_history_tells_delete_and_restore(client, people, emdad_record):
    service_record_delete(record=emdad_record, user=people.staff)
    service_record_restore(record=emdad_record, user=people.coordinator)
    client.force_login(people.coordinator)
    response = _history(client, emdad_record)
    kinds = [entry.kind for entry in response.context["entries"]]
    assert kinds == ["created", "deleted", "restored"]
    html = response.content.decode()
    assert "حذف" in html
    assert "بازگردانی" in html


@pytest.mark.parametrize("edits", [1, 8])
def test_history_page_queries_do_not_grow_with_edits(
    client, people, emdad_record, django_assert_max_num_queries, edits
):
    for n in range(edits):
        service_record_update(
            record=edited(emdad_record, notes=f"ویرایش {n}"), user=people.staff, version=n + 1
        )
    client.force_login(people.staff)
    with django_assert_max_num_queries(10):
        response = _history(client, emdad_record)
    assert len(response.context["entries"]) == edits + 1
