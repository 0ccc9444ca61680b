"""The article page a crowd arrives at is served from the cache, and commenting still works.

The plain address, read anonymously, is one copy for everyone: no CSRF token or captcha of a
reader in it. A reader's script fetches both from /captcha/refresh/ when the form comes into
view (static/js/comments.js, done here by hand); a reader without JavaScript follows the link
to ?comment=1, a page made for them.
"""

import pytest
from django.test import Client

from news import view_counts
from news.captcha import INVALID_MESSAGE
from news.models import Comment, CommentStatus
from tests.factories import make_article, make_user
from tests.samples import CAPTCHA_KEY, comment_data, comment_data_fetched

pytestmark = pytest.mark.django_db

THANKS = "نظر شما ثبت شد و پس از تأیید نمایش داده می‌شود"


@pytest.fixture
def article():
    return make_article(title="بازگشایی خانهٔ سلامت محله")


def reader(address):
    return Client(REMOTE_ADDR=address)


def test_a_second_reader_gets_the_page_from_the_cache_and_can_comment(article):
    url = article.get_absolute_url()
    assert reader("203.0.113.1").get(url)["X-Page-Cache"] == "miss"
    second = reader("203.0.113.2")
    page = second.get(url)
    assert page["X-Page-Cache"] == "hit"

    challenge = second.get("/captcha/refresh/").json()
    sent = second.post(url, comment_data_fetched(challenge, text="کی دوباره باز می‌شود؟"))

    assert sent.status_code == 302
    assert THANKS in second.get(sent["Location"]).content.decode()
    assert list(Comment.objects.values_list("text", "status")) == [
        ("کی دوباره باز می‌شود؟", CommentStatus.PENDING)
    ]


def test_a_captcha_fetched_for_the_cached_page_cannot_be_used_twice(article):
    url = article.get_absolute_url()
    reader("203.0.113.1").get(url)
    second = reader("203.0.113.2")
    assert second.get(url)["X-Page-Cache"] == "hit"
    challenge = second.get("/captcha/refresh/").json()
    assert second.post(url, comment_data_fetched(challenge)).status_code == 302

    replay = second.post(url, comment_data_fetched(challenge, text="همان پاسخ، دوباره"))

    assert replay.status_code == 200
    assert INVALID_MESSAGE in replay.content.decode()
    assert Comment.objects.count() == 1


def test_the_cached_page_carries_no_readers_token_or_captcha(article):
    url = article.get_absolute_url()
    first, second = reader("203.0.113.1").get(url), reader("203.0.113.2").get(url)

    assert first.content == second.content
    assert "csrftoken" not in first.cookies
    html = first.content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in html
    assert CAPTCHA_KEY.search(html) is None  # captcha_0 is empty until the script fills it
    assert "disabled data-waiting" in html  # the form waits for them


def test_a_form_posted_without_the_fetched_token_is_refused_and_stores_nothing(article):
    url = article.get_absolute_url()
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(url)
    challenge = visitor.get("/captcha/refresh/").json()
    data = comment_data_fetched(challenge)
    data["csrfmiddlewaretoken"] = ""  # the value the cached page carries

    assert visitor.post(url, data).status_code == 403
    assert Comment.objects.count() == 0


def test_with_the_fetched_token_the_csrf_check_passes(article):
    url = article.get_absolute_url()
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(url)
    challenge = visitor.get("/captcha/refresh/").json()

    assert visitor.post(url, comment_data_fetched(challenge)).status_code == 302
    assert Comment.objects.count() == 1


def test_without_javascript_the_link_opens_a_form_made_for_the_reader(article):
    url = article.get_absolute_url()
    visitor = reader("203.0.113.7")
    shared = visitor.get(url).content.decode()
    assert f'href="{url}?comment=1#comment-form"' in shared  # inside <noscript>

    own = visitor.get(url, {"comment": "1"})
    assert "X-Page-Cache" not in own
    sent = visitor.post(url, comment_data(own.content.decode()))
    assert sent.status_code == 302
    assert Comment.objects.count() == 1


def test_visits_answered_by_the_cache_are_counted(article):
    url = article.get_absolute_url()
    for n in range(1, 6):
        reader(f"198.51.100.{n}").get(url)

    assert view_counts.pending_views(article.news_code) == 5


def test_staff_get_the_form_filled_in_for_them(client, article):
    client.force_login(make_user())
    html = client.get(article.get_absolute_url()).content.decode()

    assert CAPTCHA_KEY.search(html)
    assert "data-waiting" not in html
