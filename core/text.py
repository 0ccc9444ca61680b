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

Public search uses a third, word-aware form (:func:`search_form`, :func:`search_words`, see
the section "Search words" below): the parts of one word are joined but words stay apart, so
«خانه‌های», «خانههای» and «خانه های» meet while «کم‌برخوردار» no longer matches the two words
«دست‌کم برخوردار».  :func:`mark_search_matches` and :func:`search_excerpt` show where a result
matched.
"""

import re
import unicodedata
from functools import reduce

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


# --- Search words: the parts of a word joined, the words kept apart -------------------------
#
# compact_key() makes «کم‌برخوردار», «کم برخوردار» and «کمبرخوردار» meet by dropping every
# space, but then any two neighbouring words run together: «دست‌کم برخوردار» becomes
# «دستکمبرخوردار», which contains «کمبرخوردار».  The search form below keeps the difference
# between the two kinds of gap:
#
# * inside a word (ZWNJ and the other joiners, tatweel, diacritics, direction marks) nothing is
#   left: «خانه‌های» and «خانههای» are the same word, «خانههای»;
# * between words (whitespace, punctuation, control characters such as NUL) a space is left,
#   so a word of a query can only be found inside one word of the text;
# * the suffixes and prefixes that Persian writes either joined, with a ZWNJ or with a space
#   («خانه‌های»/«خانه های», «می‌رود»/«می رود», «بزرگ‌تر»/«بزرگ تر») are joined to their word
#   when only whitespace separates them, on both sides, so «خانه های» is one word too.
#
# A query matches a text when each of its words occurs inside the text's search form, so the
# parts of a compound typed in the query («کم» and «برخوردار») must stand next to each other in
# one word of the text.  Word characters are letters, digits, combining marks and format
# characters (Unicode categories L, N, M and Cf); everything else separates words.

# Written apart or with a ZWNJ after their word, and joined to it.  Each is a whole word of its
# own too rarely for the join to lose a search (a query word is found inside longer words).
SEARCH_SUFFIXES = frozenset(
    {
        "ها",
        "های",
        "هایی",
        "هایم",
        "هایت",
        "هایش",
        "هایمان",
        "هایتان",
        "هایشان",
        "تر",
        "ترین",
        "اند",
    }
)
# Written apart or with a ZWNJ before their verb, and joined to it.
SEARCH_PREFIXES = frozenset({"می", "نمی"})

_FOLDED: dict[str, str] = {}


def _fold_char(char: str) -> str:
    """The search form of one character: ``''`` for a joiner or a mark, else its folded form."""
    folded = _FOLDED.get(char)
    if folded is None:
        if unicodedata.category(char) == "Cf":  # ZWNJ, ZWJ, direction marks, BOM, soft hyphen
            folded = ""
        else:
            folded = unicodedata.normalize("NFKC", char).translate(_LETTER_FOLDS)
            folded = _DIACRITICS.sub("", folded.translate(_INVISIBLES)).replace(_ZWNJ, "")
            folded = to_latin_digits(folded).casefold().replace(" ", "")
        if len(_FOLDED) < 10_000:
            _FOLDED[char] = folded
    return folded


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Cf"


class _Word:
    """One word of a text: its search form and, for each character of it, where it came from."""

    __slots__ = ("end", "key", "origins", "start")

    def __init__(self, key: str, origins: list[int], start: int, end: int):
        self.key, self.origins, self.start, self.end = key, origins, start, end

    def join(self, other: "_Word") -> "_Word":
        return _Word(self.key + other.key, self.origins + other.origins, self.start, other.end)


def _raw_words(text: str):
    """The runs of word characters of *text*, as ``_Word``s (empty ones left out)."""
    key: list[str] = []
    origins: list[int] = []
    start = None
    for index, char in enumerate(text + " "):
        if index < len(text) and _is_word_char(char):
            if start is None:
                start = index
            folded = _fold_char(char)
            key.append(folded)
            origins.extend([index] * len(folded))
            continue
        if start is not None:
            if origins:
                yield _Word("".join(key), origins, start, index)
            key, origins, start = [], [], None


def _words(text: str) -> list[_Word]:
    """The words of *text* (already NFC), with the affixes written apart joined to their word."""
    words: list[_Word] = []
    pending_prefix = None
    for word in _raw_words(text):
        if pending_prefix is not None:
            if text[pending_prefix.end : word.start].isspace():
                word = pending_prefix.join(word)
            else:
                words.append(pending_prefix)
            pending_prefix = None
        if word.key in SEARCH_SUFFIXES and words and text[words[-1].end : word.start].isspace():
            words[-1] = words[-1].join(word)
        elif word.key in SEARCH_PREFIXES:
            pending_prefix = word
        else:
            words.append(word)
    if pending_prefix is not None:
        words.append(pending_prefix)
    return words


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def search_form(text) -> str:
    """Return the search form of *text*: its words, folded and joined as described above,
    separated by single spaces.  Store it, and look for :func:`search_words` of a query in it.

    >>> search_form("خانه‌های  كم برخوردار، دست‌کم")
    'خانههای کم برخوردار دستکم'
    """
    return " ".join(word.key for word in _words(_nfc(text)))


def search_words(query, *, limit: int | None = None) -> list[str]:
    """Return the words of *query* in search form, each once, in the order typed.

    «خانه‌های», «خانههای» and «خانه های» all give ``['خانههای']``; «کم‌برخوردار» gives
    ``['کمبرخوردار']`` (one word that must be found whole), «کم برخوردار» two words.
    """
    words = list(dict.fromkeys(word.key for word in _words(_nfc(query))))
    return words if limit is None else words[:limit]


def _only_joiners(gap: str) -> bool:
    return all(unicodedata.category(char) in ("Cf", "Mn") for char in gap)


def _match_spans(text: str, words, *, across_words=False) -> list[tuple[int, int]]:
    """Where in *text* (already NFC) the search *words* occur, as merged ``(start, end)``;
    *across_words* looks in the words run together, as :func:`compact_key` compares."""
    spans = []
    text_words = _words(text)
    if across_words and text_words:
        text_words = [reduce(_Word.join, text_words)]
    for word in text_words:
        for key in words:
            if not key:
                continue
            found = word.key.find(key)
            while found != -1:
                start = word.origins[found]
                end = word.origins[found + len(key) - 1] + 1
                # Diacritics after the last letter belong to it; a ZWNJ does not.
                while end < len(text) and unicodedata.category(text[end]) == "Mn":
                    end += 1
                spans.append((start, end))
                found = word.key.find(key, found + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        # Overlapping marks become one, and so do marks only a ZWNJ or a mark keeps apart.
        if merged and (start <= merged[-1][1] or _only_joiners(text[merged[-1][1] : start])):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def has_search_match(text, words) -> bool:
    """Tell whether any of the search *words* occurs in *text*."""
    form = search_form(text)
    return any(key and key in form for key in words)


def mark_search_matches(text, words, *, across_words=False) -> SafeString:
    """Return *text*, HTML-escaped, with every occurrence of the search *words* wrapped in
    ``<mark>``, as a safe string for a template.

    The result is put together from escaped pieces of *text* and the literal tags only, so
    markup in *text* stays text.  The text is returned in NFC, which looks the same.  With
    *across_words* a search word may also span words of *text* («کویزرین» marks «کوی زرین»),
    for names that were matched by :func:`compact_key`.
    """
    text = _nfc(text)
    pieces = []
    position = 0
    for start, end in _match_spans(text, words, across_words=across_words):
        pieces.append(escape(text[position:start]))
        pieces.append("<mark>" + escape(text[start:end]) + "</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of the text is escaped


_CHUNK = re.compile(r"\S+")


def search_excerpt(text, words, *, max_words: int = 32) -> str:
    """Return about *max_words* words of *text* around the first occurrence of the search
    *words*, with «…» where text was left out; the start of *text* when nothing matches."""
    text = _nfc(text)
    chunks = list(_CHUNK.finditer(text))
    if not chunks:
        return ""
    spans = _match_spans(text, words)
    first = 0
    if spans:
        first = next(i for i, chunk in enumerate(chunks) if chunk.end() > spans[0][0])
        first = max(0, first - max_words // 4)
    first = max(0, min(first, len(chunks) - max_words))
    last = min(len(chunks), first + max_words)
    excerpt = text[chunks[first].start() : chunks[last - 1].end()]
    return ("… " if first else "") + excerpt + (" …" if last < len(chunks) else "")


def search_character_folds() -> tuple[tuple[str, str], ...]:
    """The part of :func:`compact_key` a database can do on a short name, as ``(old, new)``
    pairs for nested ``REPLACE`` calls (after a ``LOWER`` for Latin letters): the Arabic letter
    variants, the ZWNJ, ZWJ and tatweel, and the spaces.

    Diacritics, direction marks, digits and NFKC are left out: names typed into a list do not
    carry them, and each pair is one more level of nesting; SQLite's parser gives up at about
    thirty nested calls ("parser stack overflow").  Use it on names, not on running text.
    """
    return _CHARACTER_FOLDS


_CHARACTER_FOLDS = (
    *((chr(old), new) for old, new in _LETTER_FOLDS.items()),
    (_ZWNJ, ""),
    ("\u200d", ""),  # zero-width joiner
    ("\u0640", ""),  # tatweel
    ("\u00a0", ""),  # no-break space
    (" ", ""),
)
