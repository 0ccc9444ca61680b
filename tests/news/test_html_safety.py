"""XSS payloads in article bodies and in comments come out inert."""

import pytest

from news.html import sanitize_body
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">کلیک</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">بند</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">داده</a>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="https://evil.example/"><input name="q"></form>',
]
DANGEROUS = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "javascript:",
    "<iframe",
    "<svg",
    "style=",
    "data:text",
    "<form",
    "<math",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_removes_scripts_handlers_and_bad_urls(payload):
    cleaned = sanitize_body(payload).lower()
    for marker in DANGEROUS:
        assert marker not in cleaned, marker


def test_sanitiser_keeps_the_editors_formatting_and_direction():
    html = (
        '<h2>میان‌تیتر</h2><p dir="ltr">Red Crescent <strong>drill</strong></p>'
        "<ul><li>یک</li></ul><blockquote>نقل</blockquote>"
    )
    assert sanitize_body(html) == html


def test_sanitiser_drops_unknown_direction_values():
    assert sanitize_body('<p dir="x">بند</p>') == "<p>بند</p>"


def test_links_are_marked_nofollow_and_keep_safe_targets():
    cleaned = sanitize_body('<a href="https://example.org/" target="_blank">منبع</a>')
    assert cleaned == '<a href="https://example.org/" rel="noopener noreferrer nofollow">منبع</a>'


def test_article_body_is_sanitised_when_saved_and_page_shows_it_inert(client):
    article = make_article(body="<p>متن</p>" + "".join(PAYLOADS))
    assert "<script" not in article.body
    html = client.get(article.get_absolute_url()).content.decode().lower()
    body = html[html.index('class="news-body"') : html.index('class="news-tools')]
    for marker in DANGEROUS:
        assert marker not in body, marker


def test_title_and_lead_are_escaped(client):
    article = make_article(title="<script>alert(1)</script>", lead='<img src=x onerror="alert(1)">')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(۱)&lt;/script&gt;" in html  # shown as text, digits Persian
    assert '<img src=x onerror="alert(1)">' not in html


def test_comment_name_and_text_are_plain_text(client):
    article = make_article()
    make_comment(
        article=article,
        name="<b>مهاجم</b>",
        text='<script>alert(1)</script>\nببینید https://evil.example/ و <a href="https://evil.example">این</a>',
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(۱)&lt;/script&gt;" in html
    assert "&lt;b&gt;مهاجم&lt;/b&gt;" in html
    assert 'href="https://evil.example' not in html  # neither the tag nor urlize made a link
    assert "https://evil.example/" in html  # the text itself is still there, as text
    assert "<br>" in html[html.index("comment-text") :][:400]  # line breaks kept


def test_moderation_queue_shows_comments_as_plain_text(client, moderator):
    article = make_article()
    make_comment(article=article, approved=False, text='<img src=x onerror="alert(1)"> سلام')
    client.force_login(moderator)
    html = client.get("/panel/news/comments/").content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x" in html
