"""Search keys that make spelling variants of the same Persian text meet."""

import pytest

from core.text import (
    compact_key,
    has_search_match,
    mark_search_matches,
    matches_search,
    normalize_for_search,
    search_character_folds,
    search_excerpt,
    search_form,
    search_words,
)


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


# --- The word-aware search form ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["خانه\u200cهای", "خانههای", "خانه های", "خانه\u200c های"])
def test_the_forms_of_one_word_give_one_search_word(query):
    assert search_words(query) == ["خانههای"]


def test_a_compound_is_one_word_and_two_words_are_two():
    assert search_words("کم\u200cبرخوردار") == ["کمبرخوردار"]
    assert search_words("کم برخوردار") == ["کم", "برخوردار"]


def test_the_search_form_keeps_words_apart_and_joins_their_parts():
    assert search_form("دست\u200cکم برخوردار") == "دستکم برخوردار"
    assert "کمبرخوردار" not in search_form("دست\u200cکم برخوردار")
    assert "کمبرخوردار" in search_form("محله\u200cهای کم\u200cبرخوردار")


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("مي روم", "میروم"),  # a prefix written apart, with an Arabic yeh
        ("نمی\u200cتوان", "نمیتوان"),
        ("بزرگ تر و بزرگ\u200cترین", "بزرگتر و بزرگترین"),
        ("رفته اند", "رفتهاند"),
        ("خانه، ها", "خانه ها"),  # punctuation is a boundary: nothing is joined across it
        ("ها", "ها"),  # a suffix with no word before it stays a word
    ],
)
def test_affixes_written_apart_are_joined_to_their_word(text, form):
    assert search_form(text) == form


def test_the_search_form_folds_like_compact_key():
    assert search_form("كتـــاب مُحَمَّد ١٢ ۳۴ ﻛﺘﺎﺏ Tehran") == "کتاب محمد 12 34 کتاب tehran"
    assert search_form("\u200fپار\u200dک\u00ad\u202e") == "پارک"


def test_punctuation_and_control_characters_separate_words():
    assert search_form("«خانه»،محله.\x00کوچه\x1b(۱۲)") == "خانه محله کوچه 12"
    assert search_words("\x00") == []
    assert search_words(None) == []
    assert search_form("") == ""


def test_query_words_are_given_once_and_can_be_limited():
    assert search_words("محله محله كوچه باغ", limit=2) == ["محله", "کوچه"]


def test_has_search_match_looks_for_any_word():
    assert has_search_match("خانه\u200cهای محله", ["کوچه", "خانههای"])
    assert not has_search_match("دست\u200cکم برخوردار", ["کمبرخوردار"])


def test_marks_wrap_the_text_as_written():
    marked = mark_search_matches("بازسازی خانه های فرسودهٔ مُحَمَّد", search_words("خانه‌های محمد"))
    assert marked == "بازسازی <mark>خانه های</mark> فرسودهٔ <mark>مُحَمَّد</mark>"


def test_marks_cover_part_of_a_word_and_merge_across_a_zwnj():
    assert mark_search_matches("کارخانه\u200cها", ["خانه"]) == "کار<mark>خانه</mark>\u200cها"
    marked = mark_search_matches("مهدی\u200cشهر", ["مهدی", "شهر"])
    assert marked == "<mark>مهدی\u200cشهر</mark>"


def test_marks_across_words_for_names_matched_without_spaces():
    assert mark_search_matches("کوی زرین", ["کویزرین"]) == "کوی زرین"
    assert (
        mark_search_matches("کوی زرین", ["کویزرین"], across_words=True) == "<mark>کوی زرین</mark>"
    )


def test_marked_text_is_escaped_and_safe_for_a_template():
    marked = mark_search_matches("<b>خانه</b> & \"کوچه\" 'x'", ["خانه"])
    assert marked == "&lt;b&gt;<mark>خانه</mark>&lt;/b&gt; &amp; &quot;کوچه&quot; &#x27;x&#x27;"
    assert hasattr(marked, "__html__")
    assert mark_search_matches("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
    assert mark_search_matches(None, ["x"]) == ""


def test_the_excerpt_is_around_the_first_found_word():
    text = " ".join(f"w{n}" for n in range(100))
    excerpt = search_excerpt(text, ["w50"], max_words=10)
    assert excerpt == "… w48 w49 w50 w51 w52 w53 w54 w55 w56 w57 …"
    assert search_excerpt(text, ["w98"], max_words=4) == "… w96 w97 w98 w99"
    assert search_excerpt(text, ["none"], max_words=3) == "w0 w1 w2 …"
    assert search_excerpt("کوتاه", ["x"]) == "کوتاه"
    assert search_excerpt("", ["x"]) == ""


@pytest.mark.parametrize(
    "name", ["مهدي\u200cشهر", "كرمانشاه", "مؤمن آباد", "دامغان\u200d", "شاهـرود"]
)
def test_the_database_folds_give_the_compact_key_of_a_name(name):
    folded = name.lower()
    for old, new in search_character_folds():
        folded = folded.replace(old, new)
    assert folded == compact_key(name)
