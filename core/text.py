"""Normalisation of Persian text for search and duplicate detection.

The same Persian word reaches the site in several spellings that look identical on screen:
Arabic keyboards produce ``ي`` and ``ك`` instead of Persian ``ی`` and ``ک``, copy-pasted text
brings diacritics and tatweel (kashida), and digits come in three scripts.  Compound words are
the hardest case: «کم‌برخوردار» (with a zero-width non-joiner), «کم برخوردار» (with a space) and
«کمبرخوردار» (with nothing) are all in everyday use for the same word.

Two levels of normalisation are offered:

* :func:`normalize_for_search` folds letters, strips marks, unifies digits, turns the ZWNJ into
  a plain space and collapses whitespace.  Its output still has word boundaries, so it is fit
  for display-free uses such as splitting a query into words.
* :func:`compact_key` is the same with every space removed.  Search compares the compact key
  of the query with the compact key of the stored text (substring match, see
  :func:`matches_search`), and duplicate detection compares compact keys for equality; that
  way the three spacing variants above meet, whichever one was typed.
"""

import re
import unicodedata

from core.digits import to_latin_digits

_LETTER_FOLDS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # Arabic alef maksura, also typed for a final yeh
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above (ezafe), often written as a plain heh
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",  # alef wasla
        "ؤ": "و",
    }
)

# Invisible characters that only steer joining, hyphenation or direction; they are not part of
# the word.  ZWNJ is deliberately absent: it separates parts of a word, so it becomes a space.
_INVISIBLES = dict.fromkeys(
    map(
        ord,
        "\u0640"  # tatweel
        "\u00ad"  # soft hyphen
        "\u200b\u200d\ufeff"  # zero-width space, zero-width joiner, byte order mark
        "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)

_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")

# Embeddings, overrides and isolates: they reorder what follows them on screen, so a name with
# U+202E can show itself backwards or turn the text after it around. The marks LRM, RLM and ALM
# only nudge one neutral character and stay.
_DIRECTION_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def strip_direction_controls(text: str) -> str:
    """*text* without the characters that reorder the text around them (U+202A–E, U+2066–9)."""
    return str(text or "").translate(_DIRECTION_CONTROLS)


_ZWNJ = "\u200c"


def normalize_for_search(text) -> str:
    """Return a search form of *text* that keeps word boundaries.

    Arabic letter variants are folded to Persian ones, diacritics, tatweel and invisible marks
    are removed, digits become Latin, the ZWNJ becomes a space, runs of whitespace collapse to
    one space, and Latin letters are case-folded.  ``None`` gives ``''``.
    """
    if text is None:
        return ""
    # NFKC first so Arabic presentation forms (common in text copied from PDFs) become ordinary
    # letters and decomposed sequences such as alef + madda compose before any folding.
    result = unicodedata.normalize("NFKC", str(text))
    result = result.translate(_LETTER_FOLDS).translate(_INVISIBLES)
    result = _DIACRITICS.sub("", result)
    result = to_latin_digits(result).replace(_ZWNJ, " ")
    return " ".join(result.split()).casefold()


def compact_key(text) -> str:
    """Return :func:`normalize_for_search` of *text* with all spaces removed.

    Use it for matching and duplicate detection, so that «کم‌برخوردار», «کم برخوردار» and
    «کمبرخوردار» give the same key.
    """
    return normalize_for_search(text).replace(" ", "")


def matches_search(text, query) -> bool:
    """Tell whether *query* occurs in *text*, ignoring the spelling variants described above.

    An empty query matches everything, as an empty search box means "no filter".
    """
    return compact_key(query) in compact_key(text)
