"""Views are counted once per reader, in the cache, and written to the database by
`manage.py flush_view_counts`, never by a page view."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import view_counts
from news.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def visit(client, article, ip):
    return client.get(article.get_absolute_url(), REMOTE_ADDR=ip)


def fresh_page(client, article, ip):
    """A copy of the page made for this reader (the cached copy shows the count when made)."""
    return client.get(article.get_absolute_url(), {"comment": "1"}, REMOTE_ADDR=ip)


def test_a_reader_refreshing_the_page_counts_once(client, article):
    for _ in range(5):
        visit(client, article, "203.0.113.1")
    assert view_counts.pending_views(article.news_code) + Article.objects.get().view_count == 1


def test_page_shows_views_including_those_not_yet_written(client, article):
    for i in range(3):
        visit(client, article, f"203.0.113.{i}")
    html = fresh_page(client, article, "203.0.113.99").content.decode()
    assert "<dt>بازدید:</dt><dd>۴</dd>" in html


def test_many_readers_cause_no_database_write(client, article):
    readers = 65
    with CaptureQueriesContext(connection) as queries:
        for i in range(readers):
            visit(client, article, f"198.51.100.{i}")
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert Article.objects.get().view_count == 0
    assert view_counts.pending_views(article.news_code) == readers


def test_flush_moves_pending_views_to_the_database(article):
    for i in range(5):
        view_counts.record_view(article.news_code, f"reader-{i}")
    assert view_counts.pending_views(article.news_code) == 5
    assert view_counts.flush(article.news_code) == 5
    assert view_counts.pending_views(article.news_code) == 0
    assert Article.objects.get().view_count == 5


def test_the_command_flushes_every_article_with_pending_views(client, article, capsys):
    other, quiet = make_article(), make_article()
    for i in range(3):
        visit(client, article, f"203.0.113.{i}")
    visit(client, other, "203.0.113.9")
    with CaptureQueriesContext(connection) as queries:
        call_command("flush_view_counts")
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # one per article that was read; none for the quiet one
    assert capsys.readouterr().out.strip() == "۴ بازدید در پایگاه داده نوشته شد."
    counts = dict(Article.objects.values_list("pk", "view_count"))
    assert (counts[article.pk], counts[other.pk], counts[quiet.pk]) == (3, 1, 0)
    assert view_counts.pending_views(article.news_code) == 0
    # The page shows the same total before and after the flush.
    assert (
        "<dt>بازدید:</dt><dd>۴</dd>" in fresh_page(client, article, "203.0.113.50").content.decode()
    )


def test_views_of_one_article_do_not_touch_another(client, article):
    other = make_article()
    visit(client, article, "203.0.113.5")
    assert (
        view_counts.pending_views(other.news_code) + Article.objects.get(pk=other.pk).view_count
        == 0
    )


def test_the_first_reader_sees_their_own_view(client, article):
    html = visit(client, article, "203.0.113.50").content.decode()
    assert "<dt>بازدید:</dt><dd>۱</dd>" in html
