"""Views are counted once per reader and written to the database in batches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import view_counts
from news.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def visit(client, article, ip):
    return client.get(article.get_absolute_url(), REMOTE_ADDR=ip)


def test_a_reader_refreshing_the_page_counts_once(client, article):
    for _ in range(5):
        visit(client, article, "203.0.113.1")
    assert view_counts.pending_views(article.pk) + Article.objects.get().view_count == 1


def test_page_shows_views_including_those_not_yet_written(client, article):
    for i in range(3):
        visit(client, article, f"203.0.113.{i}")
    html = visit(client, article, "203.0.113.99").content.decode()
    assert "<dt>بازدید:</dt><dd>۴</dd>" in html


def test_many_readers_cause_few_database_writes(client, article):
    readers = 3 * view_counts.FLUSH_EVERY + 5
    with CaptureQueriesContext(connection) as queries:
        for i in range(readers):
            visit(client, article, f"198.51.100.{i}")
    updates = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "news_article"')]
    # The first view flushes at once (nothing was flushed yet); then one write per batch.
    assert len(updates) <= 1 + readers // view_counts.FLUSH_EVERY
    stored = Article.objects.get().view_count
    assert stored + view_counts.pending_views(article.pk) == readers
    assert view_counts.pending_views(article.pk) < view_counts.FLUSH_EVERY


def test_flush_moves_pending_views_to_the_database(article):
    view_counts.record_view(article.pk, "first")  # flushes: the first flush of the period
    for i in range(4):
        view_counts.record_view(article.pk, f"reader-{i}")
    assert view_counts.pending_views(article.pk) == 4
    assert view_counts.flush(article.pk) == 4
    assert view_counts.pending_views(article.pk) == 0
    assert Article.objects.get().view_count == 5


def test_views_of_one_article_do_not_touch_another(client, article):
    other = make_article()
    visit(client, article, "203.0.113.5")
    assert view_counts.pending_views(other.pk) + Article.objects.get(pk=other.pk).view_count == 0


def test_the_first_reader_sees_their_own_view(client, article):
    html = visit(client, article, "203.0.113.50").content.decode()
    assert "<dt>بازدید:</dt><dd>۱</dd>" in html
