"""At most five comments per client in ten minutes, counted in the shared cache."""

import pytest

from news import ratelimit
from news.models import Comment
from tests.samples import comment_data

pytestmark = pytest.mark.django_db

REFUSED = "نظرهای زیادی فرستاده شده است"


def post_comment(client, article, ip="203.0.113.7", **fields):
    html = client.get(article.get_absolute_url(), {"comment": "1"}).content.decode()
    return client.post(article.get_absolute_url(), comment_data(html, **fields), REMOTE_ADDR=ip)


def test_sixth_comment_in_ten_minutes_is_refused_keeping_the_text(client, article):
    for i in range(5):
        assert post_comment(client, article, text=f"نظر شمارهٔ {i}").status_code == 302
    refused = post_comment(client, article, text="ششمین نظر که باید بماند")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert REFUSED in page
    assert "ششمین نظر که باید بماند" in page
    assert Comment.objects.count() == 5


def test_other_clients_are_not_held_back(client, article):
    for _ in range(5):
        post_comment(client, article, ip="203.0.113.7")
    assert post_comment(client, article, ip="198.51.100.20").status_code == 302
    assert Comment.objects.count() == 6


def test_limit_lifts_when_the_window_has_passed(client, article, monkeypatch):
    for _ in range(5):
        post_comment(client, article)
    assert post_comment(client, article).status_code == 429
    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 601)
    assert post_comment(client, article).status_code == 302


def test_refused_comments_do_not_count_against_later_ones(client, article, monkeypatch):
    for _ in range(5):
        post_comment(client, article)
    for _ in range(3):
        post_comment(client, article)
    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 601)
    for _ in range(5):
        assert post_comment(client, article).status_code == 302


def test_client_address_comes_from_the_configured_proxy_header(client, article, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(5):
        post_comment(client, article, HTTP_X_REAL_IP="192.0.2.1")
    html = client.get(article.get_absolute_url(), {"comment": "1"}).content.decode()
    other = client.post(
        article.get_absolute_url(),
        comment_data(html),
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_REAL_IP="192.0.2.2",
    )
    assert other.status_code == 302


def test_limit_is_kept_in_the_shared_cache():
    from django.core.cache import cache

    client_key = "a-client"
    for _ in range(5):
        assert ratelimit.take(client_key)
    assert not ratelimit.take(client_key)
    assert len(cache.get(f"news:comment-rate:{client_key}")) == 5
