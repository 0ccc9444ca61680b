"""Drafts and scheduled articles stay hidden everywhere until their time; then they appear
by themselves, with no job to run and no stale cached page."""

import datetime

import pytest
from django.utils import timezone

from core.caching import page_timeout
from news.models import Article
from tests.factories import make_article, make_neighbourhood

pytestmark = pytest.mark.django_db

SECRET = "پروژهٔ زمان‌بندی‌شدهٔ محله"


@pytest.fixture
def scheduled():
    return make_article(
        title=f"{SECRET} در راه است",
        tags=["برچسب-آینده"],
        publish_at=timezone.now() + datetime.timedelta(hours=1),
    )


@pytest.fixture
def visible():
    return make_article(title="خبر منتشرشدهٔ دیروز", tags=["برچسب-آینده-نه"])


def public_urls(article):
    return [
        "/news/",
        f"/news/search/?q={SECRET}",
        "/news/feed/rss/",
        "/news/feed/atom/",
        "/sitemap.xml",
        article.get_short_url(),
    ]


def test_scheduled_article_is_not_in_published_queryset(scheduled, visible):
    assert list(Article.objects.published()) == [visible]
    assert list(Article.objects.scheduled()) == [scheduled]


def test_scheduled_article_page_print_view_and_short_link_are_not_found(client, scheduled):
    for url in [scheduled.get_absolute_url(), scheduled.get_print_url(), scheduled.get_short_url()]:
        assert client.get(url).status_code == 404, url


def test_draft_article_page_is_not_found(client):
    draft = make_article(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_short_url()).status_code == 404


def test_scheduled_article_is_absent_from_lists_search_feeds_and_sitemap(
    client, scheduled, visible
):
    for url in public_urls(scheduled):
        body = client.get(url).content.decode()
        assert "در راه است" not in body, url
        assert scheduled.get_absolute_url() not in body, url
    assert "خبری برای" in client.get(f"/news/search/?q={SECRET}").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert scheduled.get_absolute_url() not in sitemap
    assert visible.get_absolute_url() in sitemap


def test_tag_used_only_by_a_scheduled_article_is_not_revealed(client, scheduled):
    assert client.get("/news/tag/برچسب-آینده/").status_code == 404
    assert client.get("/news/tag/برچسب-آینده/rss/").status_code == 404
    assert "برچسب-آینده/" not in client.get("/sitemap.xml").content.decode()


def test_scheduled_article_is_not_related_news_nor_in_neighbourhood_lists(client, visible):
    place = make_neighbourhood()
    scheduled = make_article(
        title=f"{SECRET} در محله",
        tags=["برچسب-آینده-نه"],
        neighbourhoods=[place],
        publish_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    assert SECRET not in client.get(visible.get_absolute_url()).content.decode()
    assert scheduled not in Article.objects.published().about_neighbourhood(place)


def test_scheduled_article_appears_by_itself_when_its_time_comes(client, monkeypatch, scheduled):
    first = client.get("/news/")
    assert SECRET not in first.content.decode()
    assert client.get("/news/")["X-Page-Cache"] == "hit"

    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    for url in public_urls(scheduled)[:5]:
        assert scheduled.get_absolute_url() in client.get(url).content.decode(), url
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert client.get(scheduled.get_short_url()).status_code == 301


def test_cached_news_pages_expire_no_later_than_the_next_scheduled_article(
    scheduled, django_capture_on_commit_callbacks
):
    assert page_timeout() <= 3600
    with django_capture_on_commit_callbacks(execute=True):
        make_article(publish_at=timezone.now() + datetime.timedelta(seconds=90))
    assert 0 < page_timeout() <= 90


def test_without_scheduled_articles_pages_are_cached_for_the_usual_time(settings, visible):
    assert page_timeout() == settings.PUBLIC_PAGE_CACHE_SECONDS
