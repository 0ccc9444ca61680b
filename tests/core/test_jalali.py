"""Jalali conversion, formatting and parsing."""

import datetime as dt

import jdatetime
import pytest

from core.jalali import (
    PERSIAN_MONTHS,
    JalaliDateError,
    days_in_month,
    format_date,
    format_datetime,
    is_leap,
    jalali_year_month,
    parse_jalali,
    to_gregorian,
    to_jalali,
    weekday_name,
)

# The zone is pinned, so the tests do not depend on settings.TIME_ZONE.
pytestmark = pytest.mark.usefixtures("tehran_time")

KNOWN_PAIRS = [
    (dt.date(2025, 3, 21), (1404, 1, 1)),
    (dt.date(2026, 11, 29), (1405, 9, 8)),
    (dt.date(2024, 3, 20), (1403, 1, 1)),
    (dt.date(2025, 3, 20), (1403, 12, 30)),
]


@pytest.mark.parametrize(("gregorian", "jalali"), KNOWN_PAIRS)
def test_to_jalali_known_pairs(gregorian, jalali):
    j = to_jalali(gregorian)
    assert isinstance(j, jdatetime.date)
    assert (j.year, j.month, j.day) == jalali


@pytest.mark.parametrize(("gregorian", "jalali"), KNOWN_PAIRS)
def test_to_gregorian_known_pairs(gregorian, jalali):
    assert to_gregorian(*jalali) == gregorian


def test_to_jalali_of_aware_datetime_uses_tehran_day():
    # 22:00 UTC on 28 November is 01:30 on 29 November in Tehran, i.e. 8 Azar, not 7 Azar.
    j = to_jalali(dt.datetime(2026, 11, 28, 22, 0, tzinfo=dt.UTC))
    assert isinstance(j, jdatetime.datetime)
    assert (j.year, j.month, j.day, j.hour, j.minute) == (1405, 9, 8, 1, 30)


def test_to_gregorian_rejects_missing_day():
    with pytest.raises(JalaliDateError) as caught:
        to_gregorian(1404, 12, 30)
    assert str(caught.value) == "اسفند ۱۴۰۴ فقط ۲۹ روز دارد."


def test_months_table():
    assert len(PERSIAN_MONTHS) == 12
    assert PERSIAN_MONTHS[0] == "فروردین"
    assert PERSIAN_MONTHS[8] == "آذر"
    assert PERSIAN_MONTHS[11] == "اسفند"


def test_leap_years():
    assert is_leap(1403)
    assert not is_leap(1404)
    assert not is_leap(1405)
    assert is_leap(1399)


def test_days_in_month():
    assert [days_in_month(1404, m) for m in range(1, 13)] == [31] * 6 + [30] * 5 + [29]
    assert days_in_month(1403, 12) == 30


def test_format_date_short_and_long():
    day = dt.date(2026, 11, 29)
    assert format_date(day) == "۱۴۰۵/۰۹/۰۸"
    assert format_date(day, "short") == "۱۴۰۵/۰۹/۰۸"
    assert format_date(day, "long") == "۸ آذر ۱۴۰۵"
    assert format_date(dt.date(2025, 3, 21), "long") == "۱ فروردین ۱۴۰۴"


def test_format_date_accepts_jdatetime_values():
    assert format_date(jdatetime.date(1403, 12, 30), "long") == "۳۰ اسفند ۱۴۰۳"


def test_format_date_of_aware_datetime_uses_local_day():
    assert format_date(dt.datetime(2026, 11, 28, 22, 0, tzinfo=dt.UTC)) == "۱۴۰۵/۰۹/۰۸"


def test_format_date_none_and_bad_style():
    assert format_date(None) == ""
    with pytest.raises(ValueError):
        format_date(dt.date(2026, 11, 29), "medium")


def test_format_datetime_converts_aware_values_to_tehran():
    moment = dt.datetime(2026, 11, 29, 10, 35, tzinfo=dt.UTC)
    assert format_datetime(moment) == "۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵"


def test_format_datetime_keeps_naive_values_and_pads_time():
    assert format_datetime(dt.datetime(2026, 11, 29, 9, 5)) == "۸ آذر ۱۴۰۵، ساعت ۰۹:۰۵"


def test_format_datetime_of_plain_date_and_none():
    assert format_datetime(dt.date(2026, 11, 29)) == "۸ آذر ۱۴۰۵"
    assert format_datetime(None) == ""


def test_month_names_do_not_follow_jdatetime_thread_locale():
    previous = jdatetime.set_locale("en_US")
    try:
        assert format_date(dt.date(2026, 11, 29), "long") == "۸ آذر ۱۴۰۵"
        assert weekday_name(dt.date(2026, 11, 29)) == "یک‌شنبه"
    finally:
        jdatetime.set_locale(previous)


def test_weekday_name():
    assert weekday_name(dt.date(2026, 11, 28)) == "شنبه"
    assert weekday_name(dt.date(2026, 12, 4)) == "جمعه"
    assert weekday_name(None) == ""


def test_jalali_year_month():
    assert jalali_year_month(dt.date(2026, 11, 29)) == (1405, 9)
    assert jalali_year_month(dt.date(2025, 3, 20)) == (1403, 12)
    assert jalali_year_month(dt.datetime(2025, 3, 20, 21, 0, tzinfo=dt.UTC)) == (1404, 1)


@pytest.mark.parametrize(
    "text",
    [
        "۱۴۰۵/۰۹/۰۸",
        "1405/9/8",
        "١٤٠٥-٠٩-٠٨",
        "1405.09.08",
        "۱۴۰۵٫۰۹٫۰۸",
        "  1405/09/08  ",
        "1405 / 09 / 08",
        "\u200e۱۴۰۵/۰۹/۰۸",
    ],
)
def test_parse_jalali_accepts_common_spellings(text):
    assert parse_jalali(text) == dt.date(2026, 11, 29)


def test_parse_jalali_leap_esfand():
    assert parse_jalali("1403/12/30") == dt.date(2025, 3, 20)
    with pytest.raises(JalaliDateError) as caught:
        parse_jalali("1404/12/30")
    assert str(caught.value) == "اسفند ۱۴۰۴ فقط ۲۹ روز دارد."
    assert caught.value.code == "invalid_day"


@pytest.mark.parametrize("text", ["", "abc", "05/09/08", "1405/09", "1405/09/08/01", "8 آذر 1405"])
def test_parse_jalali_bad_format(text):
    with pytest.raises(JalaliDateError) as caught:
        parse_jalali(text)
    assert str(caught.value) == "تاریخ را به شکل ۱۴۰۵/۰۹/۰۸ وارد کنید."
    assert caught.value.code == "invalid"


@pytest.mark.parametrize("text", ["1405/13/01", "1405/00/10", "۱۴۰۵/۹۹/۰۱"])
def test_parse_jalali_bad_month(text):
    with pytest.raises(JalaliDateError) as caught:
        parse_jalali(text)
    assert str(caught.value) == "ماه باید عددی بین ۱ تا ۱۲ باشد."
    assert caught.value.code == "invalid_month"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1405/01/32", "فروردین ۱۴۰۵ فقط ۳۱ روز دارد."),
        ("1405/07/31", "مهر ۱۴۰۵ فقط ۳۰ روز دارد."),
        ("1405/11/31", "بهمن ۱۴۰۵ فقط ۳۰ روز دارد."),
        ("1405/09/00", "روز باید عددی بین ۱ تا ۳۰ باشد."),
    ],
)
def test_parse_jalali_bad_day(text, message):
    with pytest.raises(JalaliDateError) as caught:
        parse_jalali(text)
    assert str(caught.value) == message
    assert caught.value.code == "invalid_day"


def test_parse_jalali_bad_year():
    with pytest.raises(JalaliDateError, match="سال باید بین"):
        parse_jalali("0000/01/01")


def test_jalali_date_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_jalali("not a date")


def test_every_day_of_a_leap_year_round_trips():
    day = dt.date(2024, 3, 20)  # 1 Farvardin 1403
    while day < dt.date(2025, 3, 21):
        assert parse_jalali(format_date(day)) == day
        day += dt.timedelta(days=1)
