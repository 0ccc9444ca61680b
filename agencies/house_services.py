"""Writes to houses: a coordinator's edit of a house's details from the staff panel.

Houses are made by loading the neighbourhood list (``agencies/neighbourhood_import.py``), four
to a neighbourhood, one per agency; what a person changes afterwards is a house's address,
phone, manager, opening date and whether it is open. A closed house keeps its records and takes
no new ones (``services.service_record_create`` refuses them).

The rules for the typed values (a phone that is a phone, text without Arabic letter variants)
live here, so the panel form, the service and the import read them alike.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.access import acting_user, scope_for
from agencies.models import House
from core.caching import Topic, public_content_changed
from core.digits import to_latin_digits, to_persian_digits

# The fields a person edits, in the order the form shows them.
HOUSE_FIELDS = ("address", "phone", "manager_name", "opened_on", "is_active")

_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"})
# Digits with spaces, dashes, parentheses, a leading plus, and a slash or comma between two
# numbers: «۰۲۳-۳۳۴۵۱۲۳۴»، «(023) 3345 1234»، «+98 23 3345 1234»، «33451234 / 09121234567».
_PHONE = re.compile(r"^\+?[0-9()][0-9 ()\-/،,]*$")
_MIN_PHONE_DIGITS = 4


def house_text(value) -> str:
    """A typed address or name as it is stored: Persian letters, one space between words."""
    if value is None:
        return ""
    return " ".join(str(value).translate(_ARABIC_LETTERS).translate(_BIDI_MARKS).split())


def house_phone(value) -> str:
    """A typed phone number as it is stored (Latin digits, single spaces), or
    ``ValidationError`` with a Persian message when it is not a phone number.

    Empty stays empty: a house may have no phone yet.
    """
    text = " ".join(to_latin_digits(value).translate(_BIDI_MARKS).translate(_DASHES).split())
    if not text:
        return ""
    digits = sum(character.isdigit() for character in text)
    if not _PHONE.match(text) or digits < _MIN_PHONE_DIGITS:
        raise ValidationError(
            f"«{shown_phone(value)}» شمارهٔ تلفن نیست؛ فقط رقم بنویسید، با فاصله، خط تیره "
            f"یا پرانتز اگر بخواهید، مانند {shown_phone('023-33451234')}.",
            code="phone",
        )
    return text


def too_long(label: str, value: str, limit: int) -> str:
    """The Persian refusal of a text longer than *limit* (Django's own says it in Latin digits)."""
    return (
        f"«{label}» بیش از {to_persian_digits(limit)} نویسه است "
        f"({to_persian_digits(len(value))} نویسه)؛ آن را کوتاه کنید."
    )


def shown_phone(value) -> str:
    """A phone as pages and messages show it: Persian digits, in a bidi isolate.

    Without the isolate a browser reads Persian digits after Persian words as Arabic numbers
    and shows «۰۲۳-۳۳۴۵» as «۳۳۴۵-۰۲۳». The isolate takes its direction from its first letter,
    so digits read left to right and a typed word stays a word; typed back in, the marks are
    dropped again (``house_phone``).
    """
    if not value:
        return ""
    return f"\u2068{to_persian_digits(value)}\u2069"


def house_update(*, house: House, user) -> House:
    """Save the edited details of *house* (a stored house with the edits applied, as a
    ModelForm's instance hands it over), as a coordinator.

    Only the fields people edit (``HOUSE_FIELDS``) are taken from it; the agency and the
    neighbourhood stay. Raises ``PermissionDenied`` for anyone who does not keep the whole
    province, :class:`~agencies.access.OutOfScope` for a house outside the user's scope, and
    ``ValidationError`` keyed by field for a bad phone, an opening date in the future or a value
    too long. A closed house (``is_active=False``) takes no new service records and keeps its
    old ones. Returns the saved house (unchanged, with no history row, when nothing differs).
    """
    scope = scope_for(user)
    current = scope.get(House.objects.all(), pk=house.pk)
    scope.require("manage_province")
    edited = House.objects.get(pk=current.pk)
    for name in HOUSE_FIELDS:
        setattr(edited, name, getattr(house, name))
    _clean(edited)
    if all(getattr(edited, name) == getattr(current, name) for name in HOUSE_FIELDS):
        return current
    with transaction.atomic():
        edited._history_user = acting_user(user)
        edited.full_clean()
        edited.save(update_fields=HOUSE_FIELDS)
        # Houses, their addresses and phones are on the neighbourhood and agency pages.
        public_content_changed(Topic.PROGRAM)
    return edited


def _clean(house: House) -> None:
    errors = {}
    house.address = house_text(house.address)
    house.manager_name = house_text(house.manager_name)
    try:
        house.phone = house_phone(house.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    for name in ("address", "phone", "manager_name"):
        model_field = House._meta.get_field(name)
        value = getattr(house, name)
        if name not in errors and len(value) > model_field.max_length:
            errors[name] = [too_long(model_field.verbose_name, value, model_field.max_length)]
    if house.opened_on is not None and house.opened_on > timezone.localdate():
        errors["opened_on"] = ["تاریخ گشایش خانه نمی‌تواند در آینده باشد."]
    if errors:
        raise ValidationError(errors)
