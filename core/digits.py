"""Conversion between Persian, Arabic-Indic and Latin digits.

Residents type numbers with whatever keyboard they have: a Persian layout gives ۰-۹, an Arabic
layout (common on older phones) gives ٠-٩, and an English layout gives 0-9.  Input is therefore
normalised to Latin digits before it is parsed, and output is shown with Persian digits.
"""

from decimal import Decimal

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

PERSIAN_THOUSANDS_SEPARATOR = "\u066c"  # ٬
PERSIAN_DECIMAL_SEPARATOR = "\u066b"  # ٫

_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_TO_LATIN = str.maketrans(
    PERSIAN_DIGITS + ARABIC_INDIC_DIGITS + PERSIAN_DECIMAL_SEPARATOR,
    LATIN_DIGITS * 2 + ".",
)
_NUMBER_PUNCTUATION = str.maketrans(
    {",": PERSIAN_THOUSANDS_SEPARATOR, ".": PERSIAN_DECIMAL_SEPARATOR}
)

# Text copied from a right-to-left page often carries invisible direction marks around numbers;
# they are not part of the value, so parsing drops them instead of rejecting the input.
_BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)

_GROUP_SEPARATORS = ",\u066c\u060c"  # Latin comma, Persian thousands separator, Arabic comma
_MINUS_SIGNS = ("-", "\u2212")  # hyphen-minus and the typographic minus sign


def to_persian_digits(value) -> str:
    """Return ``str(value)`` with Latin and Arabic-Indic digits replaced by Persian ones.

    Only digits change; punctuation is left alone because the value may be a phone number,
    a code or free text rather than a quantity.  ``None`` gives ``''`` so that a missing
    value never shows up as the word "None" on a Persian page.
    """
    if value is None:
        return ""
    return str(value).translate(_TO_PERSIAN)


def to_latin_digits(text) -> str:
    """Return ``str(text)`` with Persian and Arabic-Indic digits replaced by ASCII ones.

    The Persian decimal separator ``٫`` becomes ``.``.  Thousands separators are kept:
    whether a comma groups digits or separates list items is for the caller to decide.
    """
    if text is None:
        return ""
    return str(text).translate(_TO_LATIN)


def format_number(n) -> str:
    """Format a number with Persian digits and Persian thousands separators.

    ``12345`` gives ``'۱۲٬۳۴۵'``, ``-1234.5`` gives ``'-۱٬۲۳۴٫۵'``.  Accepts ``int``,
    ``float`` and ``Decimal``; anything else raises ``TypeError`` and non-finite values raise
    ``ValueError``.  In right-to-left text wrap negative numbers in ``<bdi>`` or a ``dir="ltr"``
    element if the minus must appear on the left.
    """
    # bool is an int subclass, but "True" formatted as "۱" would hide a template bug.
    if isinstance(n, bool) or not isinstance(n, int | float | Decimal):
        raise TypeError(f"format_number() expects a number, got {type(n).__name__}")
    if isinstance(n, int):
        latin = f"{n:,}"
    else:
        # Going through Decimal(repr(...)) avoids float's exponent notation (1e+16) and the
        # fixed six decimals of the "f" format, while printing exactly the digits shown by repr.
        number = Decimal(repr(n)) if isinstance(n, float) else n
        if not number.is_finite():
            raise ValueError("format_number() cannot format NaN or infinity")
        latin = f"{number:,f}"
    return latin.translate(_NUMBER_PUNCTUATION).translate(_TO_PERSIAN)


def parse_int(text) -> int:
    """Parse an integer typed with Persian, Arabic-Indic or Latin digits.

    Surrounding whitespace is ignored, a leading ``-`` or ``−`` makes the number negative, and
    digits may be grouped in threes with ``,``, ``٬`` or ``،``.  Anything else raises
    ``ValueError`` with a Persian message that can be shown to the user.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    cleaned = to_latin_digits(text).translate(_BIDI_MARKS).strip()
    negative = cleaned.startswith(_MINUS_SIGNS)
    if negative:
        cleaned = cleaned[1:]
    if not _is_grouped_digits(cleaned):
        raise ValueError("لطفاً یک عدد صحیح وارد کنید.")
    for separator in _GROUP_SEPARATORS:
        cleaned = cleaned.replace(separator, "")
    value = int(cleaned)
    return -value if negative else value


# A row number has at most this many digits (a 64-bit primary key has 19); longer is no row's,
# and thousands of digits would make ``int()`` itself refuse.
_ROW_NUMBER_DIGITS = 19


def parse_row_number(text) -> int | None:
    """The number of a row as an address or a hidden field carries it («12», never typed by a
    person): ASCII digits only, at most 19 of them. Anything else («²», «-3», «۱۲», thousands of
    digits) is None, so a view leaves it out instead of failing in ``int()``."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= _ROW_NUMBER_DIGITS else None


def _is_grouped_digits(text: str) -> bool:
    """Tell whether *text* is plain ASCII digits, optionally grouped in threes."""
    if text.isascii() and text.isdigit():
        return True
    groups = text
    for separator in _GROUP_SEPARATORS:
        groups = groups.replace(separator, ",")
    parts = groups.split(",")
    # Requiring full groups of three rejects "1,5", which in many locales means one and a half
    # and would otherwise be silently read as fifteen.
    return (
        len(parts) > 1
        and all(part.isascii() and part.isdigit() for part in parts)
        and 1 <= len(parts[0]) <= 3
        and all(len(part) == 3 for part in parts[1:])
    )
