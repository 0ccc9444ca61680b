"""News shows up where readers look for it: the home page, a neighbourhood's and an
agency's page; a scheduled article appears there by itself once its time comes."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_agency, make_article, make_neighbourhood

pytestmark = pytest.mark.django_db


def test_home_lists_the_latest_published_news(client):
    article = make_article(title="پایش سلامت سالمندان در کوی نصر")
    make_article(title="خبر پیش‌نویس", published=False)
    html = client.get("/").content.decode()
    assert "تازه‌ترین اخبار" in html
    assert article.get_absolute_url() in html
    assert "خبر پیش‌نویس" not in html


def test_neighbourhood_page_lists_news_about_it_only(client):
    neighbourhood, other = make_neighbourhood(), make_neighbourhood()
    about = make_article(title="کارگاه مهارت در محله", neighbourhoods=[neighbourhood])
    elsewhere = make_article(title="خبر محله‌ای دیگر", neighbourhoods=[other])
    html = client.get(neighbourhood.get_absolute_url()).content.decode()
    assert about.get_absolute_url() in html
    assert elsewhere.get_absolute_url() not in html


def test_agency_page_lists_news_about_it(client):
    agency = make_agency()
    article = make_article(title="مانور امداد و نجات", agencies=[agency])
    assert article.get_absolute_url() in client.get(agency.get_absolute_url()).content.decode()


def test_cached_neighbourhood_page_does_not_outlive_the_next_scheduled_article(client, monkeypatch):
    from django.core.cache import cache

    neighbourhood = make_neighbourhood()
    soon = timezone.now() + datetime.timedelta(minutes=2)
    article = make_article(neighbourhoods=[neighbourhood], publish_at=soon)
    stored = {}
    real_set = cache.set

    def remember_validity(key, value, timeout=None, *args, **kwargs):
        if key.startswith("page:") and not key.endswith(":rebuilding"):
            _stamp, valid_until, *_response = value
            stored[key] = valid_until - timezone.now().timestamp()  # seconds the copy may be served
        return real_set(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(cache, "set", remember_validity)
    html = client.get(neighbourhood.get_absolute_url()).content.decode()
    assert article.get_absolute_url() not in html
    assert stored, "the page was not cached at all"
    assert all(0 < seconds <= 120 for seconds in stored.values()), stored
