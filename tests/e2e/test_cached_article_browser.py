"""A reader who gets the article page from the cache comments on it, with and without
JavaScript (news.views.ArticleDetailView, static/js/comments.js)."""

import urllib.request

import pytest

from core.digits import to_persian_digits
from news.captcha import expected_answer
from news.models import Comment
from tests.e2e.conftest import PHONE, screenshot
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

THANKS = "نظر شما ثبت شد و پس از تأیید نمایش داده می‌شود"


@pytest.fixture
def cached_article(live_server):
    article = make_article(title="بازگشایی کتابخانهٔ محلهٔ سرچشمه پس از نوسازی")
    # An earlier reader, at the address the browser uses: the page is in the cache now.
    with urllib.request.urlopen(live_server.url + article.get_absolute_url()) as response:
        assert response.headers["X-Page-Cache"] == "miss"
    return article


def test_a_reader_of_the_cached_page_comments(live_server, page, cached_article):
    response = page.goto(live_server.url + cached_article.get_absolute_url())
    assert response.headers["x-page-cache"] == "hit"

    page.locator("#comment-form").scroll_into_view_if_needed()
    page.wait_for_function("() => !document.querySelector('[data-comment-form] fieldset').disabled")
    key = page.locator('input[name="captcha_0"]').input_value()
    assert key in page.locator("[data-captcha-image]").get_attribute("src")
    page.locator("#id_name").fill("زهرا")
    page.locator("#id_text").fill("ساعت کار کتابخانه در روزهای تعطیل چیست؟")
    page.locator("#id_captcha_1").fill(to_persian_digits(expected_answer(key)))
    screenshot(page, "news-cached-article-form")
    page.get_by_role("button", name="ارسال نظر").click()

    page.wait_for_url("**sent=1**")
    assert THANKS in page.content()
    assert Comment.objects.get().name == "زهرا"


def test_without_javascript_the_reader_opens_a_form_of_their_own(
    live_server, chromium, cached_article
):
    context = chromium.new_context(
        viewport=PHONE, java_script_enabled=False, locale="fa-IR", timezone_id="Asia/Tehran"
    )
    try:
        page = context.new_page()
        response = page.goto(live_server.url + cached_article.get_absolute_url())
        assert response.headers["x-page-cache"] == "hit"
        assert page.locator("#id_text").is_disabled()  # the form waits for a script

        page.get_by_role("link", name="فرم نظر را باز کنید").click()
        page.wait_for_url("**comment=1**")
        key = page.locator('input[name="captcha_0"]').input_value()
        page.locator("#id_name").fill("علی")
        page.locator("#id_text").fill("بدون جاوااسکریپت هم می‌شود نظر داد؟")
        page.locator("#id_captcha_1").fill(str(expected_answer(key)))
        page.get_by_role("button", name="ارسال نظر").click()

        page.wait_for_url("**sent=1**")
        assert THANKS in page.content()
        assert Comment.objects.get().name == "علی"
    finally:
        context.close()
