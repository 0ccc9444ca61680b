"""Search over news with the Persian spelling variants folded away.

Each article stores two normalised copies of its text (title, kicker, lead and body without
markup), written by ``services.article_save`` (and, for rows saved before, by migration 0004):

* ``search_text`` — :func:`core.text.search_form`: letters folded (Arabic ي/ك, diacritics,
  tatweel, direction marks, digits of every script), the parts of a word joined (the ZWNJ and
  the other joiners removed, and the suffixes and prefixes written apart, «خانه های», «می رود»,
  joined to their word) and the words separated by single spaces.  Public search looks here.
* ``search_compact`` — :func:`core.text.compact_key`, every space removed; the staff panel's
  search looks there (news/panel_views.py).

Why the ZWNJ is removed rather than turned into a space: it joins the parts of one word, so
«خانه‌های» and «خانههای» must be the same word, and a space must stay a word boundary, so that
«کم‌برخوردار» typed as one word is not found in «دست‌کم برخوردار» («دستکم برخوردار»: the
letters «کم» and «برخوردار» are there, but in two words).

A query matches when every word of it (:func:`core.text.search_words`) occurs inside
``search_text``; a word is never split, so the parts of a compound must stand together in one
word of the article.  «خانه‌های», «خانههای» and «خانه های» give the same word, «خانههای», and
find the same articles.  This is a plain ``LIKE`` and works alike on SQLite and PostgreSQL; the
normalising is done once in Python when the article is saved, not in SQL at every search.

On PostgreSQL the pg_trgm extension adds two things (migration 0003 creates the extension and
GIN trigram indexes, and does nothing on SQLite): the ``LIKE`` conditions are answered from a
trigram index instead of a table scan, and a query that finds nothing as typed may still find
articles through trigram similarity (a small typo in a long word: strict word similarity of at
least ``NEAR_SIMILARITY`` for a word of at least ``MIN_FUZZY_LENGTH`` letters), ranked by the
similarity of the whole query.  Trigram similarity cannot tell a typo from a neighbouring word
well (plain word similarity finds «کمبرخوردار» 64% like «دستکم برخوردار»; the strict kind,
which compares whole words, 54%), so near matches are only a fallback: a single query keeps
them out whenever an article matches exactly (``NOT EXISTS``), and they carry
``exact_match = False`` so the page says they are near matches.  Full-text search was not
chosen: PostgreSQL has no Persian dictionary, so its ``simple`` configuration would only split
words and could not bridge the spacing variants.

Results are marked (:func:`mark_results`): the found words of the title, the kicker and an
excerpt (the lead, or the part of the body around the first found word) are wrapped in
``<mark>`` by :func:`core.text.mark_search_matches`, which escapes the text itself.
"""

import html
import re

import nh3
from django.contrib.postgres.lookups import TrigramStrictWordSimilar
from django.contrib.postgres.search import TrigramStrictWordSimilarity, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Value,
    When,
)
from django.db.models.lookups import GreaterThanOrEqual

from core.digits import to_persian_digits
from core.text import (
    compact_key,
    has_search_match,
    mark_search_matches,
    search_excerpt,
    search_form,
    search_words,
)

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
MIN_FUZZY_LENGTH = 4
# Strict word similarity a near match needs: a letter too many in «توانمندسازیی» is 0.79; «کم»
# glued to the word «برخوردار» of «دستکم برخوردار» is 0.54 (pg_trgm's own threshold is 0.5).
NEAR_SIMILARITY = 0.6
EXCERPT_WORDS = 32

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def plain_text(body_html: str) -> str:
    """Return the words of sanitised *body_html* without any markup or entities."""
    # Block ends become spaces first so words from two paragraphs do not run together.
    spaced = _BLOCK_END.sub(" ", body_html or "")
    return html.unescape(nh3.clean(spaced, tags=set()))


def search_columns(*parts: str) -> tuple[str, str]:
    """Return ``(search_text, search_compact)`` for the given pieces of an article."""
    text = " ".join(part for part in parts if part)
    return search_form(text), compact_key(text)


def query_words(query: str) -> list[str]:
    """The words of a typed query in search form, at most ``MAX_QUERY_WORDS`` of them."""
    return search_words((query or "")[:MAX_QUERY_LENGTH], limit=MAX_QUERY_WORDS)


def filter_articles(queryset, query: str):
    """Narrow *queryset* to articles matching *query*; an empty query gives no articles.

    Every word of the query must occur in ``search_text``.  On PostgreSQL, when no article
    matches so, articles with a word similar to each typed word are given instead, ranked by
    similarity; each article carries ``exact_match`` (``False`` for those near matches).
    """
    words = query_words(query)
    if not words:
        return queryset.none()
    exact = Q()
    for word in words:
        exact &= Q(search_text__contains=word)
    if connection.vendor != "postgresql":
        return (
            queryset.filter(exact)
            .annotate(exact_match=Value(True))
            .order_by("-publish_at", "-news_code")
        )
    near = Q()
    for word in words:
        similar = Q(search_text__contains=word)
        if len(word) >= MIN_FUZZY_LENGTH:
            # The operator can use the trigram index; the function sets the stricter bar.
            similar |= Q(TrigramStrictWordSimilar(F("search_text"), Value(word))) & Q(
                GreaterThanOrEqual(
                    TrigramStrictWordSimilarity(word, "search_text"), NEAR_SIMILARITY
                )
            )
        near &= similar
    # One query: the exact matches, or, only when there are none, the near ones.
    # The cheap test first: PostgreSQL evaluates the terms of an AND inside an OR in order, and
    # the near test (trigram similarity over the whole text) is the dear one.
    matching = queryset.filter(exact | (~Exists(queryset.filter(exact)) & near))
    typed = " ".join(words)
    # Exact matches newest first, as on SQLite; only near matches are ranked by similarity
    # (computed for them alone: over the whole text of the 5,600 of 20,000 articles a common
    # word finds, it took longer than the rest of the search).
    return matching.annotate(
        exact_match=ExpressionWrapper(exact, output_field=BooleanField()),
        rank=Case(
            When(exact, then=Value(1.0)),
            default=TrigramWordSimilarity(Value(typed), "search_text"),
            output_field=FloatField(),
        ),
    ).order_by("-rank", "-publish_at", "-news_code")


def mark_results(articles, query: str) -> None:
    """Give each of *articles* (a page of search results) ``marked_title``,
    ``marked_kicker`` and ``marked_excerpt``: safe HTML with the found words in ``<mark>``.

    The excerpt is the lead when a word was found there (or nowhere in the body), else the
    words of the body around the first one found, so the reader sees why the article came up.
    Digits are Persian already: the template shows these as they are.
    """
    words = query_words(query)
    for article in articles:
        if has_search_match(article.lead, words):
            excerpt = search_excerpt(article.lead, words, max_words=EXCERPT_WORDS)
        else:
            body = plain_text(article.body)
            source = body if has_search_match(body, words) else article.lead
            excerpt = search_excerpt(source, words, max_words=EXCERPT_WORDS)
        # Persian digits before escaping: a filter after it would turn &#x27; into &#x۲۷;.
        article.marked_title = mark_search_matches(to_persian_digits(article.title), words)
        article.marked_kicker = mark_search_matches(to_persian_digits(article.kicker), words)
        article.marked_excerpt = mark_search_matches(to_persian_digits(excerpt), words)
