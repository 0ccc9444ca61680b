"""The national ID: ten digits whose last is the check digit, typed in any digits."""

import pytest
from django.core.exceptions import ValidationError

from core.national_id import (
    ALL_SAME,
    EMPTY,
    NOT_DIGITS,
    WRONG_CHECK_DIGIT,
    WRONG_LENGTH,
    check_digit,
    is_valid_national_id,
    masked,
    validate_national_id,
)


def message(text) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_national_id(text)
    return caught.value.messages[0]


# Worked by hand: 1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210 = 19·11 + 1, below 2, so 1.
# 0·10+0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112 = 10·11 + 2, so 11 − 2 = 9.
# 4·10+4·9+1·8+0·7+1·6+2·5+3·4+4·3+5·2 = 134 = 12·11 + 2, so 9.
@pytest.mark.parametrize("value", ["1234567891", "0012345679", "4410123459"])
def test_known_valid_ids_pass(value):
    assert validate_national_id(value) == value
    assert check_digit(value[:9]) == int(value[9])


@pytest.mark.parametrize("value", ["1234567890", "0012345678", "4410123450"])
def test_a_wrong_check_digit_is_refused(value):
    assert message(value) == WRONG_CHECK_DIGIT


@pytest.mark.parametrize("digit", "0123456789")
def test_ten_equal_digits_pass_the_check_digit_but_are_refused(digit):
    value = digit * 10
    assert check_digit(value[:9]) == int(digit)  # the arithmetic accepts them...
    assert message(value) == ALL_SAME  # ...no office ever issues them


def test_persian_and_arabic_indic_digits_are_read_as_the_same_id():
    assert validate_national_id("۱۲۳۴۵۶۷۸۹۱") == "1234567891"
    assert validate_national_id("١٢٣٤٥٦٧٨٩١") == "1234567891"
    assert validate_national_id("۰۰۱۲۳۴۵٦٧٩") == "0012345679"  # mixed, as copied


def test_spaces_dashes_and_direction_marks_from_a_copy_are_dropped():
    assert validate_national_id(" 001-234567-9 ") == "0012345679"
    assert validate_national_id("\u2066۰۰۱۲۳۴۵۶۷۹\u2069") == "0012345679"


@pytest.mark.parametrize("value", ["123456789", "12345678912", "12"])
def test_a_wrong_length_is_refused(value):
    assert message(value) == WRONG_LENGTH


@pytest.mark.parametrize("value", ["", "   ", "\u200c"])
def test_nothing_typed_is_asked_for(value):
    assert message(value) == EMPTY


def test_a_number_typed_without_its_leading_zeros_is_told_to_add_them():
    assert message("12345679") == WRONG_LENGTH
    assert "صفر" in WRONG_LENGTH


@pytest.mark.parametrize("value", ["12345a7891", "1234567.91", "۱۲۳۴۵۶۷۸۹x", "1234\x00567891"])
def test_anything_but_digits_is_refused(value):
    assert message(value) == NOT_DIGITS


def test_messages_never_repeat_the_id():
    for value in ["1234567890", "123456789", "1111111111", "12345a7891"]:
        assert value not in message(value)
    assert not is_valid_national_id("1234567890")
    assert is_valid_national_id("1234567891")


def test_the_masked_form_shows_only_the_last_three_digits_in_persian():
    assert masked("0012345679") == "•••••••۶۷۹"
    assert masked("") == ""
