"""Digits in the three scripts residents type: Persian, Arabic-Indic and Latin."""

from decimal import Decimal

import pytest

from core.digits import (
    format_number,
    parse_int,
    parse_row_number,
    to_latin_digits,
    to_persian_digits,
)


def test_to_persian_digits_converts_latin_and_arabic_indic():
    assert to_persian_digits("0123456789") == "۰۱۲۳۴۵۶۷۸۹"
    assert to_persian_digits("٠١٢٣٤٥٦٧٨٩") == "۰۱۲۳۴۵۶۷۸۹"
    assert to_persian_digits("۰۱۲۳۴۵۶۷۸۹") == "۰۱۲۳۴۵۶۷۸۹"


def test_to_persian_digits_accepts_non_strings_and_keeps_other_characters():
    assert to_persian_digits(1405) == "۱۴۰۵"
    assert to_persian_digits("پلاک 12، واحد 3-a") == "پلاک ۱۲، واحد ۳-a"
    assert to_persian_digits("1.5") == "۱.۵"  # only digits change, not punctuation
    assert to_persian_digits(None) == ""


def test_to_latin_digits_converts_both_eastern_scripts_and_decimal_separator():
    assert to_latin_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_latin_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_latin_digits("۱۲٫۵") == "12.5"


def test_to_latin_digits_leaves_thousands_separators_to_the_caller():
    assert to_latin_digits("۱۲٬۳۴۵") == "12٬345"
    assert to_latin_digits("1,234") == "1,234"
    assert to_latin_digits("یک، دو") == "یک، دو"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "۰"),
        (999, "۹۹۹"),
        (12345, "۱۲٬۳۴۵"),
        (1234567, "۱٬۲۳۴٬۵۶۷"),
        (-1234, "-۱٬۲۳۴"),
        (1234.5, "۱٬۲۳۴٫۵"),
        (Decimal("1234.50"), "۱٬۲۳۴٫۵۰"),
        (Decimal("1E+3"), "۱٬۰۰۰"),
        (1e16, "۱۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰"),
    ],
)
def test_format_number(number, expected):
    assert format_number(number) == expected


def test_format_number_uses_the_persian_thousands_separator():
    assert "\u066c" in format_number(1000)
    assert "," not in format_number(1000)


@pytest.mark.parametrize("value", ["12", None, True, [1]])
def test_format_number_rejects_non_numbers(value):
    with pytest.raises(TypeError):
        format_number(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_format_number_rejects_non_finite_numbers(value):
    with pytest.raises(ValueError):
        format_number(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345", 12345),
        ("۱۲۳۴۵", 12345),
        ("١٢٣٤٥", 12345),
        ("  ۴۲\n", 42),
        ("0", 0),
        ("-۷", -7),
        ("−۷", -7),  # U+2212 minus sign
        ("1,234,567", 1234567),
        ("۱٬۲۳۴", 1234),
        ("١٢،٣٤٥", 12345),  # Arabic comma between groups
        ("\u200f۱۲۳\u200e", 123),  # direction marks picked up when copying from a page
        (15, 15),
    ],
)
def test_parse_int_accepts(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-",
        "abc",
        "۱۲a",
        "12.5",
        "۱۲٫۵",
        "1,5",
        "12,34",
        ",123",
        "1,,234",
        "1 234",
        "- 5",
    ],
)
def test_parse_int_rejects_with_a_persian_message(text):
    with pytest.raises(ValueError, match="عدد صحیح"):
        parse_int(text)


def test_round_trip_from_formatted_number():
    assert parse_int(format_number(-9876543)) == -9876543


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("0", 0), ("9" * 19, int("9" * 19)), ("9" * 20, None), ("9" * 5000, None),
     ("²", None), ("۱۲", None), ("-3", None), (" 12", None), ("", None), (None, None)],
)  # fmt: skip
def test_parse_row_number_takes_plain_digits_only(text, expected):
    assert parse_row_number(text) == expected
