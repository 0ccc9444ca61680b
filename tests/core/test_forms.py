"""Form fields for Jalali dates and Persian-digit integers."""

import datetime as dt

import pytest
from django import forms

from core.forms import JalaliDateField, JalaliDateInput, PersianIntegerField

BAD_FORMAT = "تاریخ را به شکل ۱۴۰۵/۰۹/۰۸ وارد کنید."
REQUIRED = "این فیلد لازم است."


class EventForm(forms.Form):
    starts_on = JalaliDateField()
    ends_on = JalaliDateField(required=False)


class CountForm(forms.Form):
    households = PersianIntegerField(min_value=0)
    budget = PersianIntegerField(required=False, min_value=10, max_value=1_000_000)


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۰۸", "1405/9/8", "١٤٠٥-٠٩-٠٨", " ۱۴۰۵.۰۹.۰۸ "])
def test_jalali_date_field_cleans_to_gregorian(typed):
    form = EventForm(data={"starts_on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == dt.date(2026, 11, 29)
    assert form.cleaned_data["ends_on"] is None


def test_jalali_date_field_bad_format_message():
    form = EventForm(data={"starts_on": "29/11/2026"})
    assert not form.is_valid()
    assert form.errors["starts_on"] == [BAD_FORMAT]
    assert form.errors.as_data()["starts_on"][0].code == "invalid"


def test_jalali_date_field_reports_the_missing_day():
    form = EventForm(data={"starts_on": "۱۴۰۴/۱۲/۳۰"})
    assert not form.is_valid()
    assert form.errors["starts_on"] == ["اسفند ۱۴۰۴ فقط ۲۹ روز دارد."]


def test_jalali_date_field_accepts_leap_esfand():
    form = EventForm(data={"starts_on": "۱۴۰۳/۱۲/۳۰"})
    assert form.is_valid()
    assert form.cleaned_data["starts_on"] == dt.date(2025, 3, 20)


def test_jalali_date_field_reports_bad_month():
    form = EventForm(data={"starts_on": "1405/13/01"})
    assert form.errors["starts_on"] == ["ماه باید عددی بین ۱ تا ۱۲ باشد."]


def test_jalali_date_field_required_message_is_persian():
    form = EventForm(data={"starts_on": ""})
    assert form.errors["starts_on"] == [REQUIRED]


def test_jalali_date_field_custom_message_wins():
    field = JalaliDateField(error_messages={"invalid": "تاریخ نادرست"})
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("فردا")
    assert caught.value.messages == ["تاریخ نادرست"]


def test_jalali_date_field_passes_gregorian_values_through():
    field = JalaliDateField()
    assert field.clean(dt.date(2026, 11, 29)) == dt.date(2026, 11, 29)
    assert field.clean(dt.datetime(2026, 11, 29, 14, 5)) == dt.date(2026, 11, 29)


def test_initial_gregorian_date_is_displayed_as_jalali():
    form = EventForm(initial={"starts_on": dt.date(2026, 11, 29)})
    html = str(form["starts_on"])
    assert 'value="۱۴۰۵/۰۹/۰۸"' in html


def test_invalid_input_is_redisplayed_as_typed():
    form = EventForm(data={"starts_on": "۱۴۰۴/۱۲/۳۰"})
    form.is_valid()
    assert 'value="۱۴۰۴/۱۲/۳۰"' in str(form["starts_on"])


def test_jalali_date_widget_attributes():
    html = str(EventForm()["starts_on"])
    assert 'type="text"' in html
    assert 'data-jdp=""' in html
    assert 'autocomplete="off"' in html
    assert 'inputmode="numeric"' in html
    assert 'placeholder="مثلاً ۱۴۰۵/۰۹/۰۸"' in html
    assert 'dir="ltr"' in html


def test_jalali_date_widget_attrs_can_be_extended_and_overridden():
    widget = JalaliDateInput(attrs={"class": "form-control", "placeholder": "تاریخ"})
    assert widget.attrs["class"] == "form-control"
    assert widget.attrs["placeholder"] == "تاریخ"
    assert widget.attrs["data-jdp"] == ""


def test_unchanged_date_is_not_reported_as_changed():
    initial = {"starts_on": dt.date(2026, 11, 29)}
    form = EventForm(data={"starts_on": "۱۴۰۵/۰۹/۰۸"}, initial=initial)
    assert "starts_on" not in form.changed_data


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("۱۲٬۳۴۵", 12345), ("١٢٣", 123), ("1,000", 1000), (" 0 ", 0)],
)
def test_persian_integer_field_accepts_all_digit_scripts(typed, expected):
    form = CountForm(data={"households": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["households"] == expected
    assert form.cleaned_data["budget"] is None


@pytest.mark.parametrize("typed", ["abc", "۱۲٫۵", "1,5"])
def test_persian_integer_field_rejects_non_integers_in_persian(typed):
    form = CountForm(data={"households": typed})
    assert form.errors["households"] == ["لطفاً یک عدد صحیح وارد کنید."]


def test_persian_integer_field_min_value_zero_message():
    form = CountForm(data={"households": "-۵"})
    assert form.errors["households"] == ["این مقدار نمی‌تواند منفی باشد."]


def test_persian_integer_field_limit_messages_use_persian_digits():
    form = CountForm(data={"households": "1", "budget": "۵"})
    assert form.errors["budget"] == ["این مقدار باید دست‌کم ۱۰ باشد."]
    form = CountForm(data={"households": "1", "budget": "۲٬۰۰۰٬۰۰۰"})
    assert form.errors["budget"] == ["این مقدار نباید بیشتر از ۱۰۰۰۰۰۰ باشد."]


def test_persian_integer_field_step_message():
    field = PersianIntegerField(step_size=5)
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("۷")
    assert caught.value.messages == ["این مقدار باید مضربی از ۵ باشد."]


def test_persian_integer_field_custom_messages_win():
    field = PersianIntegerField(min_value=0, error_messages={"min_value": "منفی نه!"})
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("-1")
    assert caught.value.messages == ["منفی نه!"]


def test_persian_integer_field_required_message():
    form = CountForm(data={"households": ""})
    assert form.errors["households"] == [REQUIRED]


def test_persian_integer_field_renders_a_text_input():
    # type="number" would make browsers discard Persian digits.
    html = str(CountForm()["households"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'dir="ltr"' in html
