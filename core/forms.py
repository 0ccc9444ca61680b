"""Form fields for Jalali dates and numbers typed with Persian digits.

Both fields render as plain text inputs: browsers' ``type="number"`` and ``type="date"`` inputs
reject Persian digits and know nothing of the Jalali calendar, so they would throw away exactly
what a Persian keyboard produces.

``PersianFormRenderer`` (the site's ``FORM_RENDERER``) shows Django's own validation messages,
whose limits Django writes in Latin digits, with Persian digits on every form.

``FastSelect`` writes a select with thousands of options (every city and neighbourhood of the
country) in one pass, where Django's template renders each option on its own.
"""

import copy
import datetime as dt
import html
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

from core.digits import format_number, parse_int, to_latin_digits, to_persian_digits
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


class PersianDecimalField(forms.DecimalField):
    """A decimal field that accepts Persian, Arabic-Indic or Latin digits and ``٫`` or ``.``.

    Rendered as a text input for the same reason as :class:`PersianIntegerField`: a
    ``type="number"`` input in Chromium empties itself when Persian digits are typed.
    """

    widget = forms.TextInput
    default_error_messages = {
        "required": REQUIRED_MESSAGE,
        "invalid": "لطفاً یک عدد وارد کنید.",
    }

    def to_python(self, value):
        """Return the typed number as a ``Decimal``, or ``None`` if empty."""
        if isinstance(value, str):
            value = _plain_number_text(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.NumberInput):
            attrs.setdefault("inputmode", "decimal")
            attrs.setdefault("dir", "ltr")
        return attrs


def _plain_number_text(text: str) -> str:
    """Latin digits and ``.``, a hyphen for a minus, and no invisible format characters."""
    latin = to_latin_digits(text).replace("\u2212", "-")
    # Direction marks come along when a number is copied from a right-to-left page.
    return "".join(ch for ch in latin if unicodedata.category(ch) != "Cf").strip()


# --- Django's own messages, with Persian digits -------------------------------------------


def with_persian_digits(errors: ErrorList) -> ErrorList:
    """Return *errors* for display, with Persian digits in the messages Django fills in.

    Django's messages write their limits with ``%d`` («حداکثر 2000 کاراکتر»), which gives
    Latin digits whatever the language. Only errors whose parameters hold a number change:
    our own messages already have Persian digits, and a message that quotes what was typed
    (a slug, an address) keeps it as typed. Codes are kept, so ``has_error`` still works on
    the form itself, which is left untouched.
    """
    if not any(_fills_in_a_number(error) for error in errors.data):
        return errors
    shown = copy.copy(errors)  # keeps the field id the list's HTML refers to
    shown.data = [
        ValidationError(to_persian_digits(next(iter(error))), code=error.code)
        if _fills_in_a_number(error)
        else error
        for error in errors.data
    ]
    return shown


def _fills_in_a_number(error) -> bool:
    if not isinstance(error, ValidationError) or not getattr(error, "params", None):
        return False
    values = error.params.values() if isinstance(error.params, dict) else [error.params]
    return any(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values)


class PersianDigitsBoundField(forms.BoundField):
    """A form field as templates see it: its errors come with Persian digits, whether the
    template renders the list (``{{ field.errors }}``, the admin, crispy-forms) or loops over
    it (``{% for error in field.errors %}``)."""

    @property
    def errors(self):
        return with_persian_digits(super().errors)


class PersianFormRenderer(DjangoTemplates):
    """The site's form renderer (``FORM_RENDERER``): Django's templates, with every field's
    and every form's error list shown in Persian digits, so non-field and formset errors
    rendered by Django (``{{ form.non_field_errors }}``) read like the field errors."""

    bound_field_class = PersianDigitsBoundField

    def render(self, template_name, context, request=None):
        errors = context.get("errors")
        if isinstance(errors, ErrorList):
            context = {**context, "errors": with_persian_digits(errors)}
        return super().render(template_name, context, request=request)


class PersianNumberInput(forms.TextInput):
    """A text input for a number that shows a stored value in Persian digits, grouped
    («۳۰٬۳۶۰٬۰۰۰») unless *grouped* is false (a year, a code, a place in a list).

    What the user typed is shown back as typed; :class:`PersianIntegerField` and
    :class:`PersianDecimalField` read the Persian digits and the grouping back.
    """

    def __init__(self, attrs=None, *, grouped=True):
        super().__init__(attrs)
        self.grouped = grouped

    def format_value(self, value):
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return format_number(value) if self.grouped else to_persian_digits(value)
        return super().format_value(value)


class FastSelect(forms.Select):
    """A select whose options are written in Python in one pass: the same HTML as Django's
    ``django/forms/widgets/select.html``, byte for byte, in a fraction of the time.

    Django's template includes ``select_option.html`` and ``attrs.html`` once per option,
    about 40 µs each: 2,020 neighbourhoods and 837 cities made the records filters take a
    quarter of a second to draw. The options still come from ``optgroups()`` and
    ``create_option()``, so a subclass that adds option attributes (``data-city``) keeps
    working, and values and labels are escaped and localized as the template does it.
    ``option_template_name`` is not read: an option written another way needs Django's own
    ``Select``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_shown(widget["name"])}"{_html_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
            parts.extend(
                f'\n  <option value="{_as_text(option["value"])}"{_html_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every name, value and label above went through _shown or _as_text.
        return mark_safe("".join(parts))  # noqa: S308


# What a template does with ``{{ value }}``: localize it, escape it unless it is safe.
_TEMPLATE_CONTEXT = Context(autoescape=True)


def _shown(value) -> str:
    # A plain string (nearly every label) is only escaped; Django's escape() is html.escape()
    # behind a lazy-string wrapper that would cost more than the escaping itself.
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _TEMPLATE_CONTEXT)


def _as_text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as ``%s`` writes it, escaped unless safe."""
    if isinstance(value, SafeData):
        return value
    return html.escape("%s" % (str(value) if isinstance(value, tuple) else value))


def _html_attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: `` name="value"``, a bare name for ``True``, none for ``False``."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_as_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
