"""Search keys that make spelling variants of the same Persian text meet."""

import pytest

from core.text import compact_key, matches_search, normalize_for_search


@pytest.mark.parametrize(
    ("arabic", "persian"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("مصطفى", "مصطفی"),  # alef maksura
        ("كرمان", "کرمان"),  # Arabic kaf
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("ٱلله", "الله"),
        ("مؤسسه", "موسسه"),
        ("ﻛﺘﺎﺏ", "کتاب"),  # presentation forms, as copied from PDFs
    ],
)
def test_arabic_letter_variants_fold_to_persian(arabic, persian):
    assert normalize_for_search(arabic) == normalize_for_search(persian) == persian


def test_diacritics_and_tatweel_are_removed():
    assert normalize_for_search("مُحَمَّد") == "محمد"
    assert normalize_for_search("کتـــاب") == "کتاب"
    assert normalize_for_search("رحمٰن") == "رحمن"  # superscript alef U+0670


def test_alef_madda_is_kept_even_when_typed_decomposed():
    # Removing the madda as a diacritic would make «آب» (water) search like «اب».
    assert normalize_for_search("آب") == "آب"
    assert normalize_for_search("ا\u0653ب") == "آب"


def test_digits_are_unified_to_latin():
    assert normalize_for_search("کوچه ۱۲") == normalize_for_search("کوچه ١٢") == "کوچه 12"


def test_zwnj_becomes_a_space_and_whitespace_collapses():
    assert normalize_for_search("کم\u200cبرخوردار") == "کم برخوردار"
    assert normalize_for_search("  محله \t\n  ما\u00a0 ") == "محله ما"


def test_invisible_marks_are_dropped():
    assert normalize_for_search("پار\u200dک\u00ad\u200f") == "پارک"


def test_latin_is_lowercased():
    assert normalize_for_search("Tehran PARK") == "tehran park"


def test_empty_values():
    assert normalize_for_search(None) == ""
    assert normalize_for_search("") == ""
    assert compact_key(None) == ""


def test_spacing_variants_share_one_compact_key():
    keys = {compact_key(v) for v in ["کم‌برخوردار", "کم برخوردار", "کمبرخوردار", "كم برخوردار"]}
    assert keys == {"کمبرخوردار"}


def test_compact_key_combines_every_rule():
    assert compact_key("  مَدرسة  كوچك‌ ۱۲ ") == compact_key("مدرسه کوچک 12") == "مدرسهکوچک12"


def test_search_matches_across_spelling_variants():
    title = "طرح حمایت از خانواده‌های كم برخوردار محله ۵"
    assert matches_search(title, "کم‌برخوردار")
    assert matches_search(title, "کمبرخوردار")
    assert matches_search(title, "خانوادههای")
    assert matches_search(title, "محله 5")
    assert not matches_search(title, "پرخوردار")


def test_empty_query_matches_everything():
    assert matches_search("هر متنی", "")
    assert matches_search("هر متنی", None)


def test_direction_controls_are_stripped_and_marks_kept():
    from core.text import strip_direction_controls

    assert strip_direction_controls("\u202eabc\u2066د\u2069") == "abcد"
    assert strip_direction_controls("۱۲\u200fکیلو") == "۱۲\u200fکیلو"  # RLM only nudges
