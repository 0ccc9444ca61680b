"""Parallel work caught at entry, through the panel form as a clerk uses it.

The form's date is 1404/07/09 (2025-10-01). Helal works in «کوی زرین» too; the rules' window is
30 days unless a test changes it.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.choices import RecordStatus
from agencies.models import CoordinationRules, ServiceRecord
from tests.factories import make_record, make_service_type

CREATE = reverse("agencies_panel:create")
FORM_DAY = datetime.date(2025, 10, 1)  # ۱۴۰۴/۰۷/۰۹
REASON = "این بار برای خانوارهای کوچهٔ دوم، که هلال به آن‌ها نرسید"


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _helal_visit(program, *, days_before, **fields):
    return make_record(
        house=program.helal_semnan,
        service_type=fields.pop("service_type", program.visit),
        delivered_on=FORM_DAY - datetime.timedelta(days=days_before),
        status=RecordStatus.APPROVED,
        **fields,
    )


def _emdad_records():
    return ServiceRecord.objects.filter(house__agency__slug="emdad")


def test_the_warning_names_the_agency_the_type_and_the_jalali_date(
    client, program, people, form_data
):
    _helal_visit(program, days_before=4, beneficiaries=15)  # 1404/07/05
    client.force_login(people.staff)
    response = client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    assert response.status_code == 200
    html = response.content.decode()
    assert "دستگاه دیگری همین کار را در این محله کرده است" in html
    assert "<strong>خانه هلال</strong>: «ویزیت رایگان پزشک» در ۱۴۰۴/۰۷/۰۵ برای ۱۵ نفر" in html
    assert "در فاصلهٔ ۳۰ روز پیش یا پس از این تاریخ" in html
    assert "خدمت هنوز ذخیره نشده است" in _messages(response)[0]
    assert not _emdad_records().exists()


def test_a_confirmed_record_is_saved_with_its_reason_kept_in_the_history(
    client, program, people, form_data
):
    _helal_visit(program, days_before=4)
    client.force_login(people.staff)
    data = form_data(program.emdad_semnan, program.visit, parallel_reason=f"  {REASON} ")
    response = client.post(CREATE, data | {"submit": "1"})
    record = _emdad_records().get()
    assert response.url == reverse("agencies_panel:detail", args=[record.pk])
    assert (record.parallel_reason, record.status) == (REASON, RecordStatus.SUBMITTED)
    assert record.history.get().parallel_reason == REASON
    history = client.get(reverse("agencies_panel:history", args=[record.pk]))
    assert f"دلیل: ثبت با وجود کار موازی: {REASON}" in history.content.decode()


def test_a_blank_reason_is_asked_for_again(client, program, people, form_data):
    _helal_visit(program, days_before=4)
    client.force_login(people.staff)
    response = client.post(
        CREATE, form_data(program.emdad_semnan, program.visit, parallel_reason="   ")
    )
    assert response.status_code == 200
    assert "در یک جمله بنویسید چرا" in response.content.decode()
    assert not _emdad_records().exists()


@pytest.mark.parametrize(("days_apart", "warned"), [(30, True), (31, False), (-30, True)])
def test_the_window_is_the_rules_days_on_either_side(
    client, program, people, form_data, days_apart, warned
):
    _helal_visit(program, days_before=days_apart)
    client.force_login(people.staff)
    response = client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    assert (response.status_code == 200) is warned
    assert _emdad_records().exists() is not warned


def test_a_narrower_window_set_by_the_coordinators_is_the_one_applied(
    client, program, people, form_data
):
    CoordinationRules.objects.create(window_days=3)
    _helal_visit(program, days_before=4)
    client.force_login(people.staff)
    response = client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    assert response.status_code == 302


def test_another_neighbourhood_is_not_parallel(client, program, people, form_data):
    make_record(house=program.helal_shahrud, service_type=program.visit, delivered_on=FORM_DAY)
    client.force_login(people.staff)
    response = client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    assert response.status_code == 302


def test_the_agencys_own_earlier_record_is_not_parallel(client, program, people, form_data):
    make_record(house=program.emdad_semnan, service_type=program.visit, delivered_on=FORM_DAY)
    client.force_login(people.staff)
    response = client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    assert response.status_code == 302


def test_a_deleted_record_of_another_agency_is_not_parallel(client, program, people, form_data):
    _helal_visit(program, days_before=2, deleted_at=timezone.now())
    client.force_login(people.staff)
    response = client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    assert response.status_code == 302


def test_another_type_of_the_domain_counts_only_when_the_rules_say_so(
    client, program, people, form_data
):
    checkup = make_service_type(domain=program.health, name="معاینهٔ دندان")
    _helal_visit(program, days_before=1, service_type=checkup)
    client.force_login(people.staff)
    first = client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    assert first.status_code == 302
    CoordinationRules.objects.create(same_domain=True)
    second = client.post(
        CREATE,
        form_data(
            program.emdad_semnan, program.visit, beneficiaries="۲۰", notes="دوم", households="۵"
        ),
    )
    assert second.status_code == 200
    assert "«معاینهٔ دندان»" in second.content.decode()


def test_an_exact_duplicate_of_the_agencys_own_record_is_refused_by_number(
    client, program, people, form_data
):
    client.force_login(people.staff)
    client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    first = _emdad_records().get()
    response = client.post(CREATE, form_data(program.emdad_semnan, program.visit, notes="دوباره"))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f"خدمت شمارهٔ {first.pk} همین خانه".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        in html
    )
    assert reverse("agencies_panel:detail", args=[first.pk]) in html
    assert "همین خدمت پیش‌تر ثبت شده است" in _messages(response)[-1]
    assert _emdad_records().count() == 1


def test_the_same_day_with_other_counts_is_another_service(client, program, people, form_data):
    client.force_login(people.staff)
    client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    response = client.post(
        CREATE,
        form_data(
            program.emdad_semnan, program.visit, beneficiaries="۲۱", female="۱۳", adults="۱۱"
        ),
    )
    assert response.status_code == 302
    assert _emdad_records().count() == 2


def test_correcting_a_count_does_not_ask_for_the_reason_again(client, program, people, form_data):
    _helal_visit(program, days_before=4)
    client.force_login(people.staff)
    client.post(CREATE, form_data(program.emdad_semnan, program.visit, parallel_reason=REASON))
    record = _emdad_records().get()
    edit = reverse("agencies_panel:edit", args=[record.pk])
    page = client.get(edit).content.decode()
    assert REASON in page  # the reason is on the form, so saving it again keeps it
    data = form_data(
        program.emdad_semnan, program.visit, version=record.version, parallel_reason=REASON
    )
    response = client.post(edit, data | {"cost_rials": "۱۳٬۰۰۰٬۰۰۰"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.cost_rials, record.parallel_reason) == (13_000_000, REASON)


def test_moving_a_record_next_to_another_agencys_asks_for_a_reason(
    client, program, people, form_data
):
    _helal_visit(program, days_before=60)  # 1404/05/11
    client.force_login(people.staff)
    client.post(CREATE, form_data(program.emdad_semnan, program.visit))
    record = _emdad_records().get()
    edit = reverse("agencies_panel:edit", args=[record.pk])
    data = form_data(
        program.emdad_semnan, program.visit, version=record.version, delivered_on="۱۴۰۴/۰۵/۱۳"
    )
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "۱۴۰۴/۰۵/۱۱" in response.content.decode()
    record.refresh_from_db()
    assert record.delivered_on == FORM_DAY


def test_a_reason_typed_when_nothing_is_parallel_is_not_stored(client, program, people, form_data):
    client.force_login(people.staff)
    client.post(CREATE, form_data(program.emdad_semnan, program.visit, parallel_reason="بی‌جا"))
    assert _emdad_records().get().parallel_reason == ""


def test_the_admin_asks_for_the_reason_on_its_form_too(admin_client, program):
    _helal_visit(program, days_before=2)
    record = make_record(
        house=program.emdad_semnan,
        service_type=program.visit,
        delivered_on=FORM_DAY - datetime.timedelta(days=90),
    )
    data = {
        "house": record.house_id,
        "service_type": record.service_type_id,
        "delivered_on": "۱۴۰۴/۰۷/۰۹",
        "version": record.version,
        **{name: getattr(record, name) for name in ("beneficiaries", "male", "female")},
        **{name: getattr(record, name) for name in ("children", "adults", "elderly")},
        **{name: getattr(record, name) for name in ("households", "disabled", "cost_rials")},
        "notes": "",
        "parallel_reason": "",
    }
    url = reverse("admin:agencies_servicerecord_change", args=[record.pk])
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "در یک جمله بنویسید چرا" in refused.content.decode()
    record.refresh_from_db()
    assert record.version == 1
    saved = admin_client.post(url, data | {"parallel_reason": REASON})
    assert saved.status_code == 302
    record.refresh_from_db()
    assert (record.delivered_on, record.parallel_reason) == (FORM_DAY, REASON)
