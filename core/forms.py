"""Form fields for Jalali dates and numbers typed with Persian digits.

Both fields render as plain text inputs: browsers' ``type="number"`` and ``type="date"`` inputs
reject Persian digits and know nothing of the Jalali calendar, so they would throw away exactly
what a Persian keyboard produces.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from core.digits import parse_int, to_persian_digits
from core.jalali import FORMAT_HINT, JalaliDateError, parse_jalali, to_jalali

# Same wording as Django's own Persian translation, so every field on a form says it alike even
# when a request is served in another language.
REQUIRED_MESSAGE = "این فیلد لازم است."


class JalaliDateInput(forms.TextInput):
    """Text input for a Jalali date, hooked up to the Jalali date picker via ``data-jdp``.

    ``dir="ltr"`` because dates are typed year first, left to right, even on a Persian page;
    ``inputmode="numeric"`` brings up the digit keypad on phones; ``autocomplete="off"`` keeps
    the browser's suggestion list from covering the picker.
    """

    def __init__(self, attrs=None):
        defaults = {
            "data-jdp": "",
            "autocomplete": "off",
            "inputmode": "numeric",
            # An example, not a value: a bare date in the box reads as one already entered.
            "placeholder": f"مثلاً {FORMAT_HINT}",
            "dir": "ltr",
        }
        super().__init__({**defaults, **(attrs or {})})


class JalaliDateField(forms.Field):
    """A date typed in the Jalali calendar and cleaned to a Gregorian ``datetime.date``."""

    widget = JalaliDateInput
    default_error_messages = {
        "required": REQUIRED_MESSAGE,
        "invalid": f"تاریخ را به شکل {FORMAT_HINT} وارد کنید.",
    }

    def to_python(self, value):
        """Return a Gregorian ``date`` for the typed Jalali text, or ``None`` if empty."""
        if value in self.empty_values:
            return None
        # Initial data and programmatic input arrive already as Gregorian values.
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_jalali(value)
        except JalaliDateError as error:
            if error.code == "invalid":
                raise ValidationError(self.error_messages["invalid"], code="invalid") from error
            # Month and day errors name the exact problem («اسفند ۱۴۰۴ فقط ۲۹ روز دارد.»),
            # which helps more than repeating the expected format.
            message = self.error_messages.get(error.code, str(error))
            raise ValidationError(message, code=error.code) from error

    def prepare_value(self, value):
        """Show a Gregorian date as Jalali ``'۱۴۰۵/۰۹/۰۸'``; leave typed text untouched."""
        # A datetime is a date too; take its calendar day in local time.
        if isinstance(value, dt.date):
            j = to_jalali(value)
            return to_persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")
        # Text the user submitted is echoed back as typed so a mistake can be corrected.
        return value


class PersianIntegerField(forms.IntegerField):
    """An integer field that accepts Persian, Arabic-Indic or Latin digits and digit grouping.

    Limit messages are in Persian with Persian digits; messages passed in ``error_messages``
    still take precedence.
    """

    widget = forms.TextInput
    default_error_messages = {
        "required": REQUIRED_MESSAGE,
        "invalid": "لطفاً یک عدد صحیح وارد کنید.",
    }

    def __init__(self, *, max_value=None, min_value=None, step_size=None, **kwargs):
        messages = _limit_messages(min_value, max_value, step_size)
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(
            max_value=max_value,
            min_value=min_value,
            step_size=step_size,
            error_messages=messages,
            **kwargs,
        )

    def to_python(self, value):
        """Return the typed number as an ``int``, or ``None`` if empty."""
        if value in self.empty_values:
            return None
        try:
            return parse_int(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def widget_attrs(self, widget):
        """Ask phones for a digit keypad and keep digits left to right on a Persian page."""
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.NumberInput):
            attrs.setdefault("inputmode", "numeric")
            attrs.setdefault("dir", "ltr")
        return attrs


def _limit_messages(min_value, max_value, step_size) -> dict:
    """Build Persian messages for the validators that ``IntegerField`` adds for its limits."""
    messages = {}
    if min_value == 0:
        messages["min_value"] = "این مقدار نمی‌تواند منفی باشد."
    elif min_value is not None:
        messages["min_value"] = f"این مقدار باید دست‌کم {to_persian_digits(min_value)} باشد."
    if max_value is not None:
        messages["max_value"] = f"این مقدار نباید بیشتر از {to_persian_digits(max_value)} باشد."
    if step_size is not None:
        step = to_persian_digits(step_size)
        # Django counts steps from min_value when it is given, so the message must say so.
        if min_value:
            start = to_persian_digits(min_value)
            messages["step_size"] = f"این مقدار باید از {start} با گام‌های {step} باشد."
        else:
            messages["step_size"] = f"این مقدار باید مضربی از {step} باشد."
    return messages
