"""A cached page is gzipped once, when it is stored; every visit from the cache sends that copy,
with the headers the visit that stored it had (core/caching.py, core/compression.py)."""

import gzip
import os

import pytest
from csp.utils import build_policy

from tests.factories import make_article

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
PLAIN = {"HTTP_ACCEPT_ENCODING": "identity"}


def _headers(response) -> dict:
    """Every header of an answer but the page cache's own note of where it came from."""
    return {name: value for name, value in response.items() if name != "X-Page-Cache"}


@pytest.fixture
def article_url():
    return make_article(title="جشن کتاب‌خوانی کوی ارغوان").get_absolute_url()


@pytest.mark.parametrize("url", ["/", "article"])
def test_a_hit_sends_the_stored_gzip_that_decompresses_to_the_page(client, url, article_url):
    url = article_url if url == "article" else url
    miss = client.get(url, **GZIP)
    hit = client.get(url, **GZIP)

    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert hit["Content-Encoding"] == "gzip"
    assert hit.content == miss.content  # the copy stored with the page, not a new one
    plain = client.get(url, **PLAIN)
    assert gzip.decompress(hit.content) == plain.content
    assert 'dir="rtl"' in plain.content.decode()


def test_a_browser_without_gzip_gets_the_plain_page_from_the_cache(client, article_url):
    client.get(article_url, **GZIP)  # stored by a visitor whose browser takes gzip
    hit = client.get(article_url, **PLAIN)

    assert hit["X-Page-Cache"] == "hit"
    assert not hit.has_header("Content-Encoding")
    assert "جشن کتاب‌خوانی کوی ارغوان" in hit.content.decode()
    assert hit["Content-Length"] == str(len(hit.content))


@pytest.mark.parametrize("encoding", [GZIP, PLAIN], ids=["gzip", "plain"])
def test_a_hit_has_the_headers_of_the_miss_that_stored_it(client, encoding, article_url):
    for url in ("/", article_url, "/news/feed/rss/"):
        miss = client.get(url, **encoding)
        hit = client.get(url, **encoding)

        assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
        assert _headers(hit) == _headers(miss)
        assert hit["Vary"] == miss["Vary"]
        assert "Accept-Encoding" in hit["Vary"]
        assert hit["Content-Length"] == str(len(hit.content))
        assert hit["Content-Security-Policy"] == build_policy()


def test_a_page_stored_for_a_plain_browser_is_sent_gzipped_to_the_next(client):
    plain = client.get("/", **PLAIN)
    hit = client.get("/", **GZIP)

    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == plain.content


def test_a_body_too_short_or_too_random_to_gain_is_kept_as_it_is():
    from core.compression import gzipped

    page = "<p>صفحهٔ محله</p>".encode() * 50
    assert gzip.decompress(gzipped(page)) == page
    assert gzipped(b"<p>ok</p>") is None  # under 200 bytes: Django's middleware sends it so
    assert gzipped(os.urandom(4000)) is None  # no shorter compressed


def test_a_body_changed_on_its_way_out_is_compressed_anew(rf):
    """The stored copy is sent only for the body it was made from: were a middleware to change
    the page after the cache, the visitor would get the changed page, not the stored one."""
    from django.http import HttpResponse

    from core.compression import PublicGZipMiddleware, gzipped

    page = "<p>صفحهٔ محله</p>".encode() * 50
    changed = page + "<p>خبر تازه</p>".encode()

    def view(request):
        response = HttpResponse(page)
        response.gzipped_content = (page, gzipped(page))
        response.content = changed
        return response

    response = PublicGZipMiddleware(view)(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == changed
