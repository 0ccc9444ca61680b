"""Editors write, preview and publish articles in the staff panel."""

import datetime

import pytest
from django.utils import timezone

from core.digits import to_persian_digits
from core.jalali import format_date
from news.models import Article, ArticleStatus
from tests.factories import make_agency, make_article, make_category, make_neighbourhood, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return make_category(name="سلامت")


def form_data(category, **fields):
    data = {
        "kicker": "خانهٔ هلال",
        "title": "آموزش کمک‌های اولیه به مادران محله",
        "lead": "سی مادر در دو روز کمک‌های اولیه را آموختند.",
        "body": '<p onclick="x()">بند نخست</p><script>alert(1)</script>',
        "category": category.pk,
        "tags": "کمک‌های اولیه, هلال‌احمر",
        "status": "published",
        "publish_at_0": "",
        "publish_at_1": "",
        "slug": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("url", ["/panel/news/", "/panel/news/new/"])
def test_panel_pages_need_editor_rights(client, url, moderator):
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == 403


def test_editor_publishes_an_article_now(client, editor, category):
    place, agency = make_neighbourhood(), make_agency()
    client.force_login(editor)
    data = form_data(category, neighbourhoods=[place.pk], agencies=[agency.pk])
    response = client.post("/panel/news/new/", data, follow=True)
    article = Article.objects.get()
    code = to_persian_digits(article.news_code)
    assert f"خبر با کد {code} ذخیره و منتشر شد." in response.content.decode()
    assert article.is_live
    assert article.author == editor
    assert article.body == "<p>بند نخست</p>"
    assert sorted(article.tags.names()) == ["هلال‌احمر", "کمک‌های اولیه"]
    assert list(article.neighbourhoods.all()) == [place]
    assert list(article.agencies.all()) == [agency]
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_schedules_with_a_jalali_date_and_time_in_persian_digits(client, editor, category):
    client.force_login(editor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = form_data(category, publish_at_0=format_date(tomorrow), publish_at_1="۰۹:۳۰")
    client.post("/panel/news/new/", data)
    article = Article.objects.get()
    assert article.is_scheduled
    local = timezone.localtime(article.publish_at)
    assert (local.date(), local.hour, local.minute) == (tomorrow, 9, 30)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_invalid_form_keeps_what_was_typed_and_explains(client, editor, category):
    client.force_login(editor)
    response = client.post(
        "/panel/news/new/",
        form_data(category, title="", publish_at_0="۱۴۰۵/۰۱/۰۱", publish_at_1="۲۵:۰۰"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "این فیلد لازم است." in page
    assert "ساعت را به شکل ۱۴:۳۰ وارد کنید." in page
    assert "سی مادر در دو روز" in page
    assert Article.objects.count() == 0


def test_save_and_preview_shows_a_draft_as_readers_would_see_it(client, editor, category):
    client.force_login(editor)
    response = client.post("/panel/news/new/", form_data(category, status="draft", preview="1"))
    article = Article.objects.get()
    assert response["Location"] == f"/panel/news/{article.pk}/preview/"
    page = client.get(response["Location"]).content.decode()
    assert "پیش‌نویس است" in page
    assert "آموزش کمک‌های اولیه به مادران محله" in page
    assert "<p>بند نخست</p>" in page
    assert "<script>alert(1)</script>" not in page


def test_editing_keeps_the_news_code(client, editor, category):
    article = make_article(category=category)
    client.force_login(editor)
    client.post(f"/panel/news/{article.pk}/edit/", form_data(category, title="تیتر تازه"))
    article.refresh_from_db()
    assert article.title == "تیتر تازه"
    assert Article.objects.get().news_code == article.news_code


def test_edit_form_shows_the_publish_time_in_jalali(client, editor, category):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 21, 14, 5))
    article = make_article(category=category, publish_at=moment)
    client.force_login(editor)
    page = client.get(f"/panel/news/{article.pk}/edit/").content.decode()
    assert 'value="۱۴۰۵/۰۱/۰۱"' in page
    assert 'value="۱۴:۰۵"' in page


def test_article_list_shows_drafts_and_scheduled_and_finds_by_code(client, editor):
    draft = make_article(published=False, title="پیش‌نویس گزارش")
    scheduled = make_article(
        title="خبر فردا", publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(editor)
    page = client.get("/panel/news/").content.decode()
    assert "پیش‌نویس گزارش" in page and "خبر فردا" in page
    assert "زمان‌بندی‌شده" in page
    code = to_persian_digits(scheduled.news_code)
    found = client.get("/panel/news/", {"q": code}).content.decode()
    assert "خبر فردا" in found and "پیش‌نویس گزارش" not in found
    assert draft.status == ArticleStatus.DRAFT


def test_editor_sees_the_news_link_in_the_panel_nav(client, editor):
    client.force_login(editor)
    html = client.get("/panel/").content.decode()
    assert 'href="/panel/news/"' in html
    assert 'href="/panel/news/comments/"' not in html
