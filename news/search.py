"""Search over news with the Persian spelling variants folded away.

Each article stores two normalised copies of its text (title, kicker, lead and body without
markup), written by ``services.article_save``:

* ``search_text`` — :func:`core.text.normalize_for_search`, words still separated;
* ``search_compact`` — :func:`core.text.compact_key`, every space removed.

A query matches when every word of it, compacted the same way, occurs in ``search_compact``.
Because both sides lose their spaces and ZWNJs, «کم‌برخوردار», «کم برخوردار» and «کمبرخوردار»
all meet the stored «کم‌برخوردار»; Arabic ي/ك and Persian/Arabic-Indic/Latin digits are folded
by the same functions.  This works on every database (a plain ``LIKE``).

On PostgreSQL the pg_trgm extension adds two things (migration 0003 creates the extension and
GIN trigram indexes, and does nothing on SQLite): the ``LIKE`` conditions are answered from a
trigram index instead of a table scan, and a query with a small typo still finds the article
through trigram word similarity (``search_text %> word``, per word), with results ranked by
the similarity of the whole query.  Full-text search was not chosen: PostgreSQL has no
Persian dictionary, so its ``simple`` configuration would only split words and could not
bridge the spacing variants.
"""

import html
import re

import nh3
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q, Value

from core.text import compact_key, normalize_for_search

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def plain_text(body_html: str) -> str:
    """Return the words of sanitised *body_html* without any markup or entities."""
    # Block ends become spaces first so words from two paragraphs do not run together.
    spaced = _BLOCK_END.sub(" ", body_html or "")
    return html.unescape(nh3.clean(spaced, tags=set()))


def search_columns(*parts: str) -> tuple[str, str]:
    """Return ``(search_text, search_compact)`` for the given pieces of an article."""
    text = normalize_for_search(" ".join(part for part in parts if part))
    return text, text.replace(" ", "")


def query_words(query: str) -> list[str]:
    """Split a typed query into compact keys, at most ``MAX_QUERY_WORDS`` of them."""
    normalised = normalize_for_search((query or "")[:MAX_QUERY_LENGTH])
    words = [compact_key(word) for word in normalised.split()]
    return [word for word in words if word][:MAX_QUERY_WORDS]


def filter_articles(queryset, query: str):
    """Narrow *queryset* to articles matching *query*; an empty query gives no articles.

    Every word of the query must match.  On PostgreSQL a word also matches when the text has a
    word similar to it (a small typo), and results are ranked by trigram similarity.
    """
    words = query_words(query)
    if not words:
        return queryset.none()
    on_postgresql = connection.vendor == "postgresql"
    every_word = Q()
    for word in words:
        matches = Q(search_compact__contains=word)
        if on_postgresql:
            matches |= Q(TrigramWordSimilar(F("search_text"), Value(word)))
        every_word &= matches
    matching = queryset.filter(every_word)
    if not on_postgresql:
        return matching.order_by("-publish_at", "-news_code")
    typed = normalize_for_search(query[:MAX_QUERY_LENGTH])
    return matching.annotate(rank=TrigramWordSimilarity(Value(typed), "search_text")).order_by(
        "-rank", "-publish_at", "-news_code"
    )
