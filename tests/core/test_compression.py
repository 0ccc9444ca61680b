"""Pages are gzipped for anonymous visitors, never when they hold a secret (core/compression.py)."""

import gzip

import pytest

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_an_anonymous_public_page_is_compressed(client):
    response = client.get("/neighbourhoods/", **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert 'dir="rtl"' in gzip.decompress(response.content).decode()


def test_a_page_with_a_csrf_token_is_not_compressed(client):
    # The second time the browser already holds the CSRF cookie: still not compressed.
    for _visit in range(2):
        response = client.get("/panel/login/", **GZIP)
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert not response.has_header("Content-Encoding")


def test_a_signed_in_user_gets_public_pages_uncompressed(client, superuser):
    client.force_login(superuser)
    response = client.get("/neighbourhoods/", **GZIP)
    assert not response.has_header("Content-Encoding")
    assert 'dir="rtl"' in response.content.decode()


def test_a_browser_that_asks_for_no_compression_gets_none(client):
    response = client.get("/neighbourhoods/", HTTP_ACCEPT_ENCODING="identity")
    assert not response.has_header("Content-Encoding")
