"""Template filters for Persian digits, numbers and Jalali dates.

Usage: ``{{ count|fa_number }}``, ``{{ phone|fa_digits }}``, ``{{ item.date|jdate }}``,
``{{ item.date|jdate:"long" }}`` and ``{{ item.created|jdatetime }}``.

Every filter returns ``''`` for ``None`` and ``''`` so that a missing value leaves a blank rather
than the word "None".  The output only ever adds digits and separators, never HTML characters,
so the filters are marked ``is_safe`` and keep already-safe input safe without double escaping.
"""

from django import template
from django.utils import timezone

from core.digits import format_number, parse_int, to_persian_digits
from core.jalali import format_date, format_datetime

register = template.Library()


def _is_empty(value) -> bool:
    """Tell whether *value* is a missing value the filters render as a blank."""
    return value is None or value == ""


@register.filter(is_safe=True)
def fa_digits(value):
    """Replace Latin and Arabic-Indic digits in *value* with Persian digits."""
    if _is_empty(value):
        return ""
    return to_persian_digits(value)


@register.filter(is_safe=True)
def fa_number(value):
    """Format a number with Persian digits and thousands separators: ``12345`` → ``۱۲٬۳۴۵``.

    Integer strings (in any of the three digit scripts) are formatted too; values that are not
    numbers are returned unchanged, since a template is no place to raise an error.
    """
    if _is_empty(value):
        return ""
    if isinstance(value, str):
        try:
            value = parse_int(value)
        except ValueError:
            return value
    try:
        return format_number(value)
    except (TypeError, ValueError):
        return value


@register.filter(is_safe=True)
def jdate(value, style="short"):
    """Format a date as Jalali: ``۱۴۰۵/۰۹/۰۸``, or ``۸ آذر ۱۴۰۵`` with the ``"long"`` argument.

    Values that are not dates give ``''``, like Django's own ``date`` filter.
    """
    if _is_empty(value):
        return ""
    try:
        return format_date(value, style)
    except (TypeError, ValueError, AttributeError):
        return ""


@register.filter(name="jdatetime", is_safe=True)
def jdatetime_filter(value):
    """Format a datetime as ``۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵`` in local (Tehran) time."""
    if _is_empty(value):
        return ""
    try:
        return format_datetime(value)
    except (TypeError, ValueError, AttributeError):
        return ""


@register.filter(is_safe=True)
def machine_time(value):
    """A datetime for ``<time datetime="…">`` in local time to the second
    (``2026-12-03T15:08:36+03:30``): HTML allows at most three digits of a second, and Django's
    ``date:'c'`` writes six."""
    if _is_empty(value):
        return ""
    try:
        return timezone.localtime(value).isoformat(timespec="seconds")
    except (TypeError, ValueError, AttributeError):
        return ""


@register.filter(is_safe=True)
def fa_percent(value, places=1):
    """A share (``0.123``) as a Persian percentage: ``۱۲٫۳٪``; blank for ``None``."""
    if _is_empty(value):
        return ""
    try:
        percent = round(float(value) * 100, int(places))
        return f"{format_number(int(percent) if percent.is_integer() else percent)}٪"
    except (TypeError, ValueError, OverflowError):
        return ""
