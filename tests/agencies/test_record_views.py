"""Create, edit, delete and restore through the panel pages, as staff do in a browser."""

import pytest
from django.urls import reverse

from agencies.choices import RecordStatus
from agencies.models import ServiceRecord

CREATE = reverse("agencies_panel:create")


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_staff_create_a_record_typed_in_persian_digits(client, program, people, form_data):
    client.force_login(people.staff)
    data = form_data(program.emdad_semnan, program.visit) | {"submit": "1"}
    response = client.post(CREATE, data, follow=True)
    record = ServiceRecord.objects.get()
    assert record.status == RecordStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("agencies_panel:detail", args=[record.pk])
    assert (record.beneficiaries, record.cost_rials, record.created_by) == (
        20,
        12_500_000,
        people.staff,
    )
    assert "خدمت ثبت و برای تأیید فرستاده شد." in _messages(response)
    html = response.content.decode()
    assert "۱۲٬۵۰۰٬۰۰۰ ریال" in html
    assert "۹ مهر ۱۴۰۴" in html


def test_save_and_add_another_returns_to_an_empty_form(client, program, people, form_data):
    client.force_login(people.staff)
    data = form_data(program.emdad_semnan, program.visit) | {"save_and_add": "1"}
    response = client.post(CREATE, data)
    assert response.url == CREATE
    assert ServiceRecord.objects.count() == 1


def test_rejected_form_keeps_everything_typed(client, program, people, form_data):
    client.force_login(people.staff)
    data = form_data(program.emdad_semnan, program.visit, female="۱۱", notes="کلاس «مهارت» ۳ روزه")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "جمع مردان و زنان (۱۹) با تعداد ذی‌نفعان (۲۰) برابر نیست." in html
    assert "خدمت ذخیره نشد؛ خطاهای فرم را درست کنید." in _messages(response)
    for name in ["female", "beneficiaries", "delivered_on", "cost_rials"]:
        assert f'value="{data[name]}"' in html, name
    assert "کلاس «مهارت» ۳ روزه" in html
    assert f'<option value="{program.emdad_semnan.pk}" selected>' in html
    assert not ServiceRecord.objects.exists()


def test_guessed_house_of_another_agency_is_a_form_error(client, program, people, form_data):
    client.force_login(people.staff)
    response = client.post(CREATE, form_data(program.helal_semnan, program.visit))
    assert response.status_code == 200
    assert "این خانه در محدودهٔ دسترسی شما نیست" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_create_form_offers_only_the_users_houses(client, program, people):
    client.force_login(people.staff)
    html = client.get(CREATE).content.decode()
    assert f'value="{program.emdad_semnan.pk}"' in html
    assert f'value="{program.helal_semnan.pk}"' not in html
    assert 'data-jdp=""' in html
    assert "jalalidatepicker.min.js" in html


def test_edit_form_carries_the_version(client, emdad_record, people):
    client.force_login(people.staff)
    html = client.get(reverse("agencies_panel:edit", args=[emdad_record.pk])).content.decode()
    assert 'name="version" value="1"' in html
    assert 'value="۱۴۰۴/۰۷/۰۹"' in html  # the stored date, shown in Jalali


def test_edit_saves_and_says_so(client, program, emdad_record, people, form_data):
    client.force_login(people.staff)
    url = reverse("agencies_panel:edit", args=[emdad_record.pk])
    data = form_data(program.emdad_semnan, program.visit, version=1)
    response = client.post(url, data, follow=True)
    assert "تغییرها ذخیره شد." in _messages(response)
    emdad_record.refresh_from_db()
    assert (emdad_record.beneficiaries, emdad_record.version) == (20, 2)


def test_delete_hides_the_record_and_coordinator_restores_it(client, emdad_record, people):
    client.force_login(people.staff)
    detail = reverse("agencies_panel:detail", args=[emdad_record.pk])
    confirm = client.get(reverse("agencies_panel:delete", args=[emdad_record.pk]))
    assert "حذف این خدمت؟" in confirm.content.decode()
    response = client.post(reverse("agencies_panel:delete", args=[emdad_record.pk]), follow=True)
    assert "خدمت حذف شد." in _messages(response)[0]
    assert detail not in response.content.decode()  # gone from the list

    deleted = client.get(reverse("agencies_panel:deleted")).content.decode()
    assert detail in deleted
    assert "بازگرداندن</button>" not in deleted  # agency staff cannot restore
    assert "حذف شده است" in client.get(detail).content.decode()

    client.force_login(people.coordinator)
    deleted = client.get(reverse("agencies_panel:deleted")).content.decode()
    assert "بازگرداندن</button>" in deleted
    response = client.post(reverse("agencies_panel:restore", args=[emdad_record.pk]), follow=True)
    assert "خدمت بازگردانده شد." in _messages(response)
    emdad_record.refresh_from_db()
    assert not emdad_record.is_deleted


def test_viewer_sees_no_write_buttons(client, emdad_record, people):
    client.force_login(people.viewer)
    listing = client.get(reverse("agencies_panel:list")).content.decode()
    detail = client.get(reverse("agencies_panel:detail", args=[emdad_record.pk])).content.decode()
    assert emdad_record.service_type.name in listing
    for html in (listing, detail):
        assert CREATE not in html
        assert reverse("agencies_panel:edit", args=[emdad_record.pk]) not in html
        assert reverse("agencies_panel:delete", args=[emdad_record.pk]) not in html


def test_writers_see_write_buttons(client, emdad_record, people):
    client.force_login(people.staff)
    detail = client.get(reverse("agencies_panel:detail", args=[emdad_record.pk])).content.decode()
    assert reverse("agencies_panel:edit", args=[emdad_record.pk]) in detail
    assert reverse("agencies_panel:delete", args=[emdad_record.pk]) in detail


@pytest.mark.parametrize(
    ("role", "shown"),
    [("staff", True), ("viewer", True), ("coordinator", True), ("outsider", False)],
)
def test_panel_nav_links_to_records_for_those_who_see_any(client, people, role, shown):
    client.force_login(getattr(people, role))
    html = client.get(reverse("portal:panel")).content.decode()
    assert (reverse("agencies_panel:list") in html) is shown
    assert ("خدمات ثبت‌شده" in html) is shown


def test_an_empty_form_shows_no_figure_that_looks_already_typed(client, program, people):
    client.force_login(people.staff)
    html = client.get(CREATE).content.decode()
    assert 'placeholder="۰"' not in html
    assert 'placeholder="۱۴۰۵/۰۹/۰۸"' not in html
    assert 'placeholder="مثلاً ۱۴۰۵/۰۹/۰۸"' in html
    assert "خانه‌ای که خالی بماند صفر شمرده می‌شود." in html
