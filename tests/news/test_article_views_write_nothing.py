"""Viewing an article 100 times writes no row to the database (issue 13).

Reading the site must not write: the captcha lives in the signed form (news/captcha.py) and
views are counted in the cache (news/view_counts.py). Every INSERT, UPDATE or DELETE the page
sends is caught, on SQLite and on PostgreSQL alike (`.ci/run` runs this file on both).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import view_counts
from news.models import Article
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")


def _writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


@pytest.fixture
def read_article():
    article = make_article(tags=["سلامت", "غربالگری"])
    make_article(tags=["سلامت"])
    make_comment(article=article, text="ممنون از داوطلبان.")
    return article


def test_one_visitor_viewing_an_article_100_times_writes_nothing(client, read_article):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(100):
            response = client.get(read_article.get_absolute_url())
            assert response.status_code == 200
    assert _writes(queries) == []
    assert len(queries) > 0  # the pages did read: the capture was working


def test_100_different_visitors_write_nothing(client, read_article):
    with CaptureQueriesContext(connection) as queries:
        for i in range(100):
            client.cookies.clear()
            address = f"198.51.{i // 50}.{i % 50 + 1}"
            response = client.get(read_article.get_absolute_url(), REMOTE_ADDR=address)
            assert response.status_code == 200
    assert _writes(queries) == []
    # The views were counted all the same, in the cache (the 99 answered from the page cache
    # too), and a copy of the page made now shows them; the cached one, its count when made.
    assert Article.objects.get(pk=read_article.pk).view_count == 0
    assert view_counts.pending_views(read_article.news_code) == 100
    fresh = client.get(read_article.get_absolute_url() + "?comment=1", REMOTE_ADDR=address)
    assert "<dt>بازدید:</dt><dd>۱۰۰</dd>" in fresh.content.decode()


def test_the_other_ways_to_an_article_write_nothing(client, read_article):
    urls = [
        read_article.get_short_url(),
        read_article.get_absolute_url().replace(read_article.slug, "old-slug"),
        read_article.get_absolute_url() + "print/",
        read_article.get_absolute_url() + "?reply_to=1",
    ]
    with CaptureQueriesContext(connection) as queries:
        for _ in range(25):
            for url in urls:
                assert client.get(url).status_code in (200, 301)
    assert _writes(queries) == []
