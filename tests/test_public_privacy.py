"""Nothing private reaches a visitor, on any page a visitor can reach.

The crawl starts at the home page, the sitemap and the feeds and follows every link and image
on the site's own pages, as a visitor (or a search engine) would, and searches every answer for
what must never be public: a commenter's email, a comment still waiting for moderation, and the
files of a photo shown without recorded consent. The households' IDs and names are searched
for by tests/test_household_privacy.py, and small counts by the suppression tests.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.factories import (
    make_article,
    make_booth,
    make_comment,
    make_exhibit,
    make_neighbourhood,
    make_photo,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|src|srcset)="([^"]+)"|<loc>([^<]+)</loc>|<link>([^<]+)</link>')
NOT_PUBLIC = ("/panel/", "/admin/", "/static/", "/captcha/image/")
CRAWL_LIMIT = 400


@pytest.fixture
def secrets(media_root):
    place = make_neighbourhood(name="کوی فرهنگ")
    article = make_article(title="بازدید از خانهٔ محلهٔ کوی فرهنگ", neighbourhoods=[place])
    make_comment(article=article, name="مینا", email="mina.approved@example.org")
    make_comment(
        article=article,
        approved=False,
        name="کامران",
        email="kamran.pending@example.org",
        text="این نظر هنوز در صف بررسی است و نباید دیده شود",
    )
    exhibit = make_exhibit(booth=make_booth(), neighbourhood=place)
    hidden = make_photo(exhibit=exhibit, shows_people=True, consent_recorded=False, order=0)
    make_photo(exhibit=exhibit, order=1)
    return [
        "mina.approved@example.org",
        "kamran.pending@example.org",
        "این نظر هنوز در صف بررسی است",
        *hidden.image_file_names(),
    ]


def _links(body: str) -> list[str]:
    found = []
    for match in LINK.finditer(body):
        for value in filter(None, match.groups()):
            for part in value.split(","):  # srcset: "url 320w, url 640w"
                url = part.strip().split(" ")[0]
                parts = urlsplit(url)
                if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
                    query = f"?{parts.query}" if parts.query else ""
                    found.append(urldefrag(parts.path + query)[0])
    return [url for url in found if url.startswith("/")]


def _crawl(client):
    seen, answers = set(), {}
    queue = deque(["/", "/sitemap.xml", "/news/feed/rss/", "/news/feed/atom/", "/amar/data.csv"])
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in seen or url.startswith(NOT_PUBLIC):
            continue
        seen.add(url)
        response = client.get(url)
        if url.startswith("/media/"):
            answers[url] = response.status_code
            continue
        assert response.status_code in (200, 301, 302), (url, response.status_code)
        if response.status_code != 200:
            queue.append(response["Location"])
            continue
        body = (b"".join(response) if response.streaming else response.content).decode(
            errors="replace"
        )
        answers[url] = body
        queue.extend(_links(body))
    return answers


def test_no_page_a_visitor_can_reach_shows_an_email_a_pending_comment_or_a_hidden_photo(
    client, secrets
):
    answers = _crawl(client)

    pages = {url: body for url, body in answers.items() if isinstance(body, str)}
    assert any(url.startswith("/news/") for url in pages)  # the crawl reached the article,
    assert any(url.startswith("/exhibition/") for url in pages)  # the exhibit,
    assert any("مینا" in body for body in pages.values())  # and the approved comment
    leaks = [(url, secret) for url, body in pages.items() for secret in secrets if secret in body]
    assert leaks == []
