"""The Iranian national ID (کد ملی): ten digits, the last a check digit.

Clerks type it with whatever keyboard they have, often copied from a spreadsheet with spaces,
dashes or invisible direction marks; :func:`normalise_national_id` reduces every such form to
ten Latin digits and :func:`validate_national_id` says in Persian what is wrong. Messages never
repeat the number itself: an error shown, logged or mailed must not carry it.
"""

from django.core.exceptions import ValidationError

from core.digits import to_latin_digits, to_persian_digits

NATIONAL_ID_LENGTH = 10

# What people put between the digits when they copy a number: spaces of every kind, dashes,
# and the direction marks a right-to-left page wraps around numbers.
_SEPARATORS = dict.fromkeys(
    map(
        ord,
        " \t\u00a0\u200c\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        "-\u2010\u2011\u2012\u2013\u2014\u2212_",
    )
)

WRONG_LENGTH = "کد ملی ده رقم است؛ اگر با صفر آغاز می‌شود، صفرهای آغازش را هم بنویسید."
NOT_DIGITS = "کد ملی فقط رقم دارد؛ حرف یا نشانه‌ای جز رقم در آن هست."
WRONG_CHECK_DIGIT = "این کد ملی درست نیست (رقم کنترلش نمی‌خواند)؛ آن را دوباره از کارت بخوانید."
ALL_SAME = "کد ملی با ده رقم یکسان، کد واقعی نیست."
EMPTY = "کد ملی را بنویسید."


def normalise_national_id(text) -> str:
    """*text* with Persian or Arabic-Indic digits made Latin and separators dropped."""
    return to_latin_digits(text or "").translate(_SEPARATORS).strip()


def check_digit(first_nine: str) -> int:
    """The check digit of the first nine digits: the weighted sum (10 down to 2) modulo 11,
    kept when below 2, else subtracted from 11."""
    remainder = sum(int(digit) * (10 - place) for place, digit in enumerate(first_nine)) % 11
    return remainder if remainder < 2 else 11 - remainder


def validate_national_id(text) -> str:
    """The national ID in *text* as ten Latin digits, or ``ValidationError`` in Persian."""
    value = normalise_national_id(text)
    if not value:
        raise ValidationError(EMPTY, code="required")
    if not value.isascii() or not value.isdigit():
        raise ValidationError(NOT_DIGITS, code="not_digits")
    if len(value) != NATIONAL_ID_LENGTH:
        raise ValidationError(WRONG_LENGTH, code="length")
    if len(set(value)) == 1:
        # The check digit accepts 0000000000, 1111111111 and the rest; none is ever issued.
        raise ValidationError(ALL_SAME, code="all_same")
    if check_digit(value[:9]) != int(value[9]):
        raise ValidationError(WRONG_CHECK_DIGIT, code="check_digit")
    return value


def is_valid_national_id(text) -> bool:
    try:
        validate_national_id(text)
    except ValidationError:
        return False
    return True


def masked(value: str) -> str:
    """Only the last three digits, for telling two households apart: ``•••••••۱۲۳``."""
    return "•" * (NATIONAL_ID_LENGTH - 3) + to_persian_digits(value[-3:]) if value else ""
