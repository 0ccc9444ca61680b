"""The record form's rules, typed with Persian and with Latin digits."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.forms import ServiceRecordForm
from core.jalali import format_date

LATIN = {
    "delivered_on": "1404/7/9",
    "beneficiaries": "20",
    "male": "8",
    "female": "12",
    "children": "5",
    "adults": "10",
    "elderly": "5",
    "households": "6",
    "disabled": "2",
    "cost_rials": "12,500,000",
}


def _form(user, data):
    return ServiceRecordForm(data=data, user=user)


@pytest.mark.parametrize("digits", ["persian", "latin", "arabic-indic"])
def test_form_accepts_numbers_and_dates_in_any_digits(program, people, form_data, digits):
    data = form_data(program.emdad_semnan, program.visit)
    if digits == "latin":
        data.update(LATIN)
    elif digits == "arabic-indic":
        data.update(beneficiaries="٢٠", male="٨", female="١٢", delivered_on="١٤٠٤-٠٧-٠٩")
    form = _form(people.staff, data)
    assert form.is_valid(), form.errors
    cleaned = form.record_data()
    assert cleaned["delivered_on"] == dt.date(2025, 10, 1)
    assert cleaned["beneficiaries"] == 20
    assert cleaned["female"] == 12
    assert cleaned["cost_rials"] == 12_500_000


def test_blank_parts_count_as_zero(program, people, form_data):
    data = form_data(
        program.emdad_semnan,
        program.visit,
        beneficiaries="3",
        male="3",
        female="",
        children="",
        adults="3",
        elderly="",
        households="",
        disabled="",
        cost_rials="",
    )
    form = _form(people.staff, data)
    assert form.is_valid(), form.errors
    assert form.record_data()["female"] == 0
    assert form.record_data()["cost_rials"] == 0


def test_future_date_is_refused(program, people, form_data):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = form_data(program.emdad_semnan, program.visit, delivered_on=format_date(tomorrow))
    form = _form(people.staff, data)
    assert not form.is_valid()
    assert form.errors["delivered_on"] == ["تاریخ ارائهٔ خدمت نمی‌تواند در آینده باشد."]


def test_today_is_allowed(program, people, form_data):
    data = form_data(
        program.emdad_semnan, program.visit, delivered_on=format_date(timezone.localdate())
    )
    assert _form(people.staff, data).is_valid()


@pytest.mark.parametrize("typed", ["۱۳۹۹/۱۲/۳۰", "1399/12/30"])
def test_date_before_the_program_is_refused(program, people, form_data, typed):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, delivered_on=typed))
    assert not form.is_valid()
    assert form.errors["delivered_on"] == [
        "تاریخ ارائهٔ خدمت نمی‌تواند پیش از آغاز طرح (۱ فروردین ۱۴۰۰) باشد."
    ]


def test_first_day_of_the_program_is_allowed(program, people, form_data):
    data = form_data(program.emdad_semnan, program.visit, delivered_on="۱۴۰۰/۰۱/۰۱")
    assert _form(people.staff, data).is_valid()


@pytest.mark.parametrize("typed", ["-۳", "-3", "−3"])
def test_negative_counts_are_refused(program, people, form_data, typed):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, disabled=typed))
    assert not form.is_valid()
    assert form.errors["disabled"] == ["این مقدار نمی‌تواند منفی باشد."]


def test_negative_cost_is_refused(program, people, form_data):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, cost_rials="-1000"))
    assert form.errors["cost_rials"] == ["این مقدار نمی‌تواند منفی باشد."]


def test_more_households_than_beneficiaries_is_refused(program, people, form_data):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, households="۲۱"))
    assert not form.is_valid()
    assert form.errors["households"] == [
        "تعداد خانوارها (۲۱) نمی‌تواند از تعداد ذی‌نفعان (۲۰) بیشتر باشد."
    ]
    # The field error replaces the model's own check of the same rule: said once, not twice.
    assert form.non_field_errors() == []


def test_more_disabled_than_beneficiaries_is_refused(program, people, form_data):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, disabled="25"))
    assert form.errors["disabled"] == [
        "تعداد توان‌خواهان (۲۵) نمی‌تواند از تعداد ذی‌نفعان (۲۰) بیشتر باشد."
    ]


@pytest.mark.parametrize("female", ["۱۱", "11"])
def test_men_and_women_must_add_up(program, people, form_data, female):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, female=female))
    assert not form.is_valid()
    assert form.errors["male"] == ["جمع مردان و زنان (۱۹) با تعداد ذی‌نفعان (۲۰) برابر نیست."]
    assert "is-invalid" in form.fields["female"].widget.attrs["class"]
    assert form.non_field_errors() == []


def test_age_groups_must_add_up(program, people, form_data):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, elderly="6"))
    assert form.errors["children"] == [
        "جمع کودکان، بزرگسالان و سالمندان (۲۱) با تعداد ذی‌نفعان (۲۰) برابر نیست."
    ]


def test_garbage_in_a_number_field_gets_a_persian_message(program, people, form_data):
    form = _form(people.staff, form_data(program.emdad_semnan, program.visit, beneficiaries="بیست"))
    assert form.errors["beneficiaries"] == ["لطفاً یک عدد صحیح وارد کنید."]


def test_house_of_another_agency_is_not_a_choice(program, people, form_data):
    form = _form(people.staff, form_data(program.helal_semnan, program.visit))
    assert not form.is_valid()
    assert form.errors["house"] == [
        "این خانه در محدودهٔ دسترسی شما نیست؛ یکی از خانه‌های فهرست را انتخاب کنید."
    ]


def test_city_limited_staff_choose_only_houses_in_their_cities(program, people):
    form = ServiceRecordForm(user=people.city_staff)
    assert list(form.fields["house"].queryset) == [program.emdad_semnan]


def test_closed_house_is_offered_only_to_records_already_there(program, people, emdad_record):
    program.emdad_semnan.is_active = False
    program.emdad_semnan.save()
    assert program.emdad_semnan not in ServiceRecordForm(user=people.staff).fields["house"].queryset
    editing = ServiceRecordForm(instance=emdad_record, user=people.staff)
    assert program.emdad_semnan in editing.fields["house"].queryset


def test_service_types_are_grouped_by_domain(program, people):
    html = str(ServiceRecordForm(user=people.staff)["service_type"])
    assert '<optgroup label="درمان و سلامت">' in html
    assert '<optgroup label="اشتغال">' in html
    health_group = html.split('<optgroup label="درمان و سلامت">')[1].split("</optgroup>")[0]
    assert "ویزیت رایگان پزشک" in health_group
    assert "کارگاه آموزش مهارت" not in health_group


def test_date_input_is_wired_to_the_picker_within_the_allowed_days(program, people):
    html = str(ServiceRecordForm(user=people.staff)["delivered_on"])
    assert "data-jdp" in html
    assert 'data-jdp-min-date="1400/01/01"' in html
    assert f'data-jdp-max-date="{format_date(timezone.localdate()).translate(_LATIN)}"' in html


_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
