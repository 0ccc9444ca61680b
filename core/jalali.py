"""Jalali (Solar Hijri) dates: conversion, formatting and parsing.

Dates are stored as ordinary Gregorian ``date``/``datetime`` values and only turned into Jalali
at the edges: when shown in a template or typed into a form.  Conversion is delegated to
jdatetime, but month and weekday names come from the tables below, because jdatetime keeps its
locale per thread and a request served by a thread set to English would otherwise print
"Azar" in the middle of a Persian page.
"""

import datetime as dt
import re

import jdatetime
from django.utils import timezone

from core.digits import to_latin_digits, to_persian_digits

PERSIAN_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# Ordered like jdatetime's weekday(): the Iranian week starts on Saturday (شنبه = 0).
PERSIAN_WEEKDAYS = (
    "شنبه",
    "یک‌شنبه",
    "دوشنبه",
    "سه‌شنبه",
    "چهارشنبه",
    "پنج‌شنبه",
    "جمعه",
)

FORMAT_HINT = "۱۴۰۵/۰۹/۰۸"

# Four-digit year only: a two-digit "05" could mean 1305 or 1405, and guessing wrong would store
# a date a century off without anyone noticing.
_DATE_PATTERN = re.compile(
    r"(?P<year>[0-9]{4})\s*[/.\-]\s*(?P<month>[0-9]{1,2})\s*[/.\-]\s*(?P<day>[0-9]{1,2})"
)
_BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


class JalaliDateError(ValueError):
    """A Jalali date could not be parsed; ``str(error)`` is a Persian message for the user.

    ``code`` says what was wrong (``invalid``, ``invalid_year``, ``invalid_month`` or
    ``invalid_day``) so that forms can map it to a ``ValidationError`` code.
    """

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def is_leap(jy: int) -> bool:
    """Tell whether Jalali year *jy* is a leap year (its Esfand has 30 days)."""
    return jdatetime.date(jy, 1, 1).isleap()


def days_in_month(jy: int, jm: int) -> int:
    """Return the number of days in month *jm* of Jalali year *jy*."""
    if jm <= 6:
        return 31
    if jm <= 11:
        return 30
    return 30 if is_leap(jy) else 29


def to_jalali(d):
    """Convert a Gregorian ``date`` or ``datetime`` to a jdatetime ``date`` or ``datetime``.

    Aware datetimes are first moved to the current time zone (Asia/Tehran in this project):
    a UTC timestamp from just after midnight in Tehran still falls on the previous UTC day.
    """
    if isinstance(d, dt.datetime):
        return jdatetime.datetime.fromgregorian(datetime=_local(d))
    return jdatetime.date.fromgregorian(date=d)


def to_gregorian(jy: int, jm: int, jd: int) -> dt.date:
    """Convert a Jalali year, month and day to a Gregorian ``date``.

    Raises :class:`JalaliDateError` with a Persian message if the date does not exist.
    """
    _validate(jy, jm, jd)
    return jdatetime.date(jy, jm, jd).togregorian()


def jalali_year_month(d) -> tuple[int, int]:
    """Return the Jalali ``(year, month)`` of *d*, for grouping reports by Jalali month."""
    j = to_jalali(d)
    return j.year, j.month


def format_date(d, style: str = "short") -> str:
    """Format *d* as a Jalali date with Persian digits.

    ``style='short'`` gives ``'۱۴۰۵/۰۹/۰۸'`` and ``style='long'`` gives ``'۸ آذر ۱۴۰۵'``.
    *d* may be a Gregorian ``date``/``datetime`` or a jdatetime value; ``None`` gives ``''``.
    """
    if d is None:
        return ""
    j = _as_jalali(d)
    if style == "short":
        return to_persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")
    if style == "long":
        return to_persian_digits(f"{j.day} {PERSIAN_MONTHS[j.month - 1]} {j.year}")
    raise ValueError(f"unknown date style {style!r}; use 'short' or 'long'")


def format_datetime(d) -> str:
    """Format *d* as ``'۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵'`` in local time; ``None`` gives ``''``.

    A plain ``date`` has no time of day, so it is formatted like ``format_date(d, 'long')``.
    """
    if d is None:
        return ""
    j = _as_jalali(d)
    if not isinstance(j, jdatetime.datetime):
        return format_date(j, "long")
    return f"{format_date(j, 'long')}، ساعت {to_persian_digits(f'{j.hour:02d}:{j.minute:02d}')}"


def weekday_name(d) -> str:
    """Return the Persian weekday name of *d*, e.g. ``'شنبه'``; ``None`` gives ``''``."""
    if d is None:
        return ""
    return PERSIAN_WEEKDAYS[_as_jalali(d).weekday()]


def parse_jalali(text) -> dt.date:
    """Parse a Jalali date typed by a user and return the Gregorian ``date``.

    Accepts Persian, Arabic-Indic or Latin digits, ``/``, ``-`` or ``.`` as separators, one- or
    two-digit month and day, and surrounding spaces: ``'۱۴۰۵/۰۹/۰۸'``, ``'1405/9/8'`` and
    ``'١٤٠٥-٠٩-٠٨'`` are the same day.  Raises :class:`JalaliDateError` with a Persian message,
    e.g. «اسفند ۱۴۰۴ فقط ۲۹ روز دارد.», if the text is not a date or the date does not exist.
    """
    cleaned = to_latin_digits(text).translate(_BIDI_MARKS).strip()
    match = _DATE_PATTERN.fullmatch(cleaned)
    if match is None:
        raise JalaliDateError(f"تاریخ را به شکل {FORMAT_HINT} وارد کنید.", "invalid")
    return to_gregorian(int(match["year"]), int(match["month"]), int(match["day"]))


def _validate(jy: int, jm: int, jd: int) -> None:
    """Raise :class:`JalaliDateError` unless the Jalali date exists and jdatetime can hold it."""
    if not jdatetime.MINYEAR <= jy <= jdatetime.MAXYEAR:
        raise JalaliDateError(
            to_persian_digits(f"سال باید بین {jdatetime.MINYEAR} و {jdatetime.MAXYEAR} باشد."),
            "invalid_year",
        )
    if not 1 <= jm <= 12:
        raise JalaliDateError("ماه باید عددی بین ۱ تا ۱۲ باشد.", "invalid_month")
    last_day = days_in_month(jy, jm)
    if jd < 1:
        raise JalaliDateError(
            to_persian_digits(f"روز باید عددی بین 1 تا {last_day} باشد."), "invalid_day"
        )
    if jd > last_day:
        month = PERSIAN_MONTHS[jm - 1]
        raise JalaliDateError(
            to_persian_digits(f"{month} {jy} فقط {last_day} روز دارد."), "invalid_day"
        )


def _local(d: dt.datetime) -> dt.datetime:
    """Return *d* in the current time zone if it is aware; naive values are already local."""
    return timezone.localtime(d) if timezone.is_aware(d) else d


def _as_jalali(d):
    """Return *d* as a jdatetime value, converting from Gregorian when needed."""
    if isinstance(d, jdatetime.date):
        return d
    return to_jalali(d)
