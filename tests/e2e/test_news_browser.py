"""An article with a comment thread, replying in place and posting, in a real browser at
360 px and 1280 px."""

import pytest

from core.digits import to_persian_digits
from news.captcha import expected_answer
from news.models import Comment
from tests.e2e.conftest import screenshot
from tests.factories import make_article, make_category, make_comment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article_with_thread():
    article = make_article(
        title="روز غربالگری سلامت در محلهٔ سرچشمه؛ فشار خون ۲۱۰ نفر اندازه‌گیری شد",
        kicker="در خانهٔ هلال محله",
        lead="داوطلبان هلال‌احمر و کارشناسان بهزیستی فشار خون، قند و بینایی ساکنان را بررسی کردند.",
        body=(
            "<p>غربالگری از ساعت هشت صبح آغاز شد و تا نزدیک ظهر ادامه داشت.</p>"
            "<h2>گام بعدی</h2><p>این برنامه هر سه ماه یک بار تکرار می‌شود.</p>"
        ),
        tags=["غربالگری", "سلامت", "هلال‌احمر"],
    )
    make_article(title="مانور زلزله در دبستان محله", tags=["هلال‌احمر"])
    first = make_comment(
        article=article,
        name="فاطمه",
        text="ممنون از داوطلبان. مادرم هم آن روز آمد و گفتند فشارش بالاست.",
    )
    second = make_comment(
        article=article, parent=first, name="رضا", text="برگهٔ ارجاع را کجا ببریم؟"
    )
    third = make_comment(article=article, parent=second, name="فاطمه", text="مرکز سلامت کنار مسجد.")
    make_comment(article=article, parent=third, name="رضا", text="ممنون، همین شنبه می‌رویم.")
    make_comment(article=article, name="حسین", text="کاش یک نوبت عصر هم بگذارید.")
    return article, second


def test_reader_replies_to_a_comment_and_posts_it(live_server, page, article_with_thread):
    article, answered = article_with_thread
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on(
        "response",
        lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )

    page.goto(live_server.url + article.get_absolute_url())
    assert (
        f"کد خبر:\n{to_persian_digits(article.news_code)}\n"
        in page.locator(".news-meta").inner_text()
    )
    assert page.locator(".comment-level-3").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    banner = page.locator("[data-reply-banner]")
    assert not banner.is_visible()
    page.locator(f"#comment-{answered.pk} .comment-reply-link").first.click()
    assert banner.is_visible()
    assert "در حال پاسخ به نظر" in banner.inner_text()
    assert "برگهٔ ارجاع را کجا ببریم؟" in banner.inner_text()
    assert page.locator('input[name="parent"]').input_value() == str(answered.pk)
    # The page came from the cache: the text box takes the focus once the form has fetched
    # this reader's captcha.
    page.wait_for_function("() => document.activeElement.name === 'text'")
    assert f"reply_to={answered.pk}" in page.url
    page.locator("#id_name").fill("مریم")
    page.locator("#id_text").fill("ما هم شنبه رفتیم و پذیرش داشتند.")
    page.wait_for_timeout(400)  # let the smooth scroll settle before the picture is taken
    screenshot(page, "news-article-reply-open")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator("[data-reply-cancel]").click()
    assert not banner.is_visible()
    assert page.locator('input[name="parent"]').input_value() == ""
    page.locator(f"#comment-{answered.pk} .comment-reply-link").first.click()

    old_key = page.locator('input[name="captcha_0"]').input_value()
    page.locator("[data-captcha-refresh]").click()
    page.wait_for_function(
        "key => document.querySelector('input[name=captcha_0]').value !== key", arg=old_key
    )
    key = page.locator('input[name="captcha_0"]').input_value()
    assert key in page.locator("[data-captcha-image]").get_attribute("src")
    page.locator("#id_captcha_1").fill(to_persian_digits(expected_answer(key)))
    page.get_by_role("button", name="ارسال نظر").click()
    page.wait_for_url("**sent=1**")
    assert "نظر شما ثبت شد و پس از تأیید نمایش داده می‌شود" in page.content()
    reply = Comment.objects.get(name="مریم")
    assert reply.parent_id == answered.pk and reply.status == "pending"
    screenshot(page, "news-article-sent")
    assert errors == []


def test_news_list_and_search_fit_the_screen(live_server, page, article_with_thread):
    page.goto(live_server.url + "/news/")
    screenshot(page, "news-list")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#news-search-q").fill("سرچشمه")
    page.get_by_role("button", name="جست‌وجو").click()
    page.wait_for_url("**/news/search/**")
    assert page.locator(".news-card").count() == 1
    screenshot(page, "news-search")


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/panel/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pass-1405-x")
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url("**/panel/")


def test_moderator_approves_comments_in_bulk(live_server, page, article_with_thread, moderator):
    article, answered = article_with_thread
    for text in ["نظر تازه‌ای که منتظر بررسی است", "پرسشی دربارهٔ زمان برنامهٔ بعدی"]:
        make_comment(article=article, parent=answered, approved=False, text=text)
    sign_in(page, live_server, moderator.username)
    badge = page.locator(".news-pending-badge")
    assert "۲" in badge.inner_text()
    page.locator(".panel-nav").get_by_role("link", name="نظرها").click()
    page.wait_for_url("**/panel/news/comments/")
    assert page.locator(".moderation-item").count() == 2
    page.locator("[data-select-all]").check()
    screenshot(page, "news-moderation-queue")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="انجام").click()
    page.get_by_text("۲ نظر تأیید شد.").wait_for()
    assert Comment.objects.pending().count() == 0


def test_editor_formats_the_body_with_the_toolbar(live_server, page, editor):
    make_category(name="سلامت")
    sign_in(page, live_server, editor.username)
    page.goto(live_server.url + "/panel/news/new/")
    body = page.locator("#id_body")
    body.fill("غربالگری سلامت")
    body.evaluate("area => area.setSelectionRange(0, area.value.length)")
    page.locator("[data-editor-toolbar]").get_by_role("button", name="پررنگ").click()
    assert body.input_value() == "<strong>غربالگری سلامت</strong>"
    screenshot(page, "news-article-form")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_editors_article_list_fits_a_phone(live_server, page, article_with_thread, editor):
    article, _reply = article_with_thread
    sign_in(page, live_server, editor.username)
    page.goto(live_server.url + "/panel/news/")
    assert page.get_by_role("link", name=article.title).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
