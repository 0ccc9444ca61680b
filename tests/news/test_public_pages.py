"""What readers see: the list with pages and categories, an article with its code, Jalali date,
tags, related news, short link, print view and OpenGraph tags, and tag pages."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from core.digits import to_persian_digits
from news.models import Article
from tests.factories import (
    make_agency,
    make_article,
    make_category,
    make_comment,
    make_neighbourhood,
)

pytestmark = pytest.mark.django_db


def test_list_pages_twelve_articles_at_a_time_newest_first(client):
    base = timezone.now() - datetime.timedelta(days=1)
    articles = [make_article(publish_at=base + datetime.timedelta(minutes=i)) for i in range(14)]
    first = client.get("/news/").content.decode()
    assert articles[-1].get_absolute_url() in first
    assert articles[1].get_absolute_url() not in first
    assert '<span class="page-link">۱</span>' in first  # the current page, in Persian digits
    assert 'href="?page=2">۲</a>' in first
    second = client.get("/news/", {"page": "2"}).content.decode()
    assert articles[0].get_absolute_url() in second and articles[1].get_absolute_url() in second


@pytest.mark.parametrize("page", ["abc", "999", "-1", "۲"])
def test_odd_page_numbers_show_a_page_instead_of_an_error(client, page):
    for _ in range(13):
        make_article()
    assert client.get("/news/", {"page": page}).status_code == 200


def test_category_filter_shows_only_that_category(client):
    health, jobs = (
        make_category(name="سلامت", slug="health"),
        make_category(name="اشتغال", slug="jobs"),
    )
    checkup = make_article(title="معاینهٔ رایگان", category=health)
    workshop = make_article(title="کارگاه نان‌پزی", category=jobs)
    html = client.get("/news/", {"category": "health"}).content.decode()
    assert checkup.get_absolute_url() in html
    assert workshop.get_absolute_url() not in html
    assert 'aria-current="page" href="/news/?category=health"' in html
    assert client.get("/news/", {"category": "no-such"}).status_code == 404


def test_article_page_shows_code_and_jalali_date_and_time_in_persian_digits(client):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 21, 14, 5))
    article = make_article(publish_at=moment)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"<dt>کد خبر:</dt><dd><bdi>{to_persian_digits(article.news_code)}</bdi></dd>" in html
    assert "۱ فروردین ۱۴۰۵، ساعت ۱۴:۰۵" in html


def test_tags_link_to_tag_pages_which_list_the_articles(client):
    article = make_article(tags=["غربالگری", "سلامت دهان"])
    other = make_article(tags=["مسکن"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/news/tag/%D8%BA%D8%B1%D8%A8%D8%A7%D9%84%DA%AF%D8%B1%DB%8C/" rel="tag"' in html
    tag_page = client.get("/news/tag/غربالگری/").content.decode()
    assert article.get_absolute_url() in tag_page
    assert other.get_absolute_url() not in tag_page
    assert client.get("/news/tag/ناموجود/").status_code == 404


def test_related_news_share_tags_most_shared_first(client):
    article = make_article(tags=["مسکن", "بهسازی", "سمنان"])
    close = make_article(title="خبر با دو برچسب مشترک", tags=["مسکن", "بهسازی"])
    far = make_article(title="خبر با یک برچسب مشترک", tags=["سمنان"])
    unrelated = make_article(title="خبر بی‌ربط", tags=["ورزش"])
    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index("خبرهای مرتبط") :]
    assert related.index(close.title) < related.index(far.title)
    assert unrelated.title not in related
    assert list(Article.objects.related_to(article, article.tags.values_list("pk", flat=True))) == [
        close,
        far,
    ]


def test_short_link_and_wrong_slug_lead_to_the_canonical_address(client):
    article = make_article(title="جشن نیکوکاری در گرمسار")
    response = client.get(f"/n/{article.news_code}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    wrong = client.get(f"/news/{article.news_code}/old-title/?reply_to=3")
    assert wrong.status_code == 301
    assert wrong["Location"] == article.get_absolute_url() + "?reply_to=3"
    assert client.get("/n/999999/").status_code == 404


def test_print_view_is_the_article_alone(client):
    article = make_article(title="مانور آمادگی در برابر زلزله", body="<p>متن کامل مانور</p>")
    html = client.get(article.get_print_url()).content.decode()
    assert "مانور آمادگی در برابر زلزله" in html
    assert "<p>متن کامل مانور</p>" in html
    assert 'class="site-header"' not in html and 'id="comment-form"' not in html
    assert to_persian_digits(article.news_code) in html
    assert 'dir="rtl"' in html


def test_article_page_has_opengraph_and_canonical_tags(client):
    article = make_article(
        title="بازگشایی خانهٔ بهزیستی", lead="خانهٔ تازه در محلهٔ شمالی.", tags=["بهزیستی"]
    )
    html = client.get(article.get_absolute_url()).content.decode()
    absolute = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{absolute}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="بازگشایی خانهٔ بهزیستی">' in html
    assert '<meta property="og:description" content="خانهٔ تازه در محلهٔ شمالی.">' in html
    assert f'<meta property="og:url" content="{absolute}">' in html
    assert '<meta property="article:tag" content="بهزیستی">' in html
    assert f'<link rel="shortlink" href="http://testserver/n/{article.news_code}/">' in html


def test_article_page_links_its_neighbourhoods_and_agencies(client):
    place, agency = make_neighbourhood(name="محلهٔ باغ‌فردوس"), make_agency(house_name="خانهٔ هلال")
    article = make_article(neighbourhoods=[place], agencies=[agency])
    html = client.get(article.get_absolute_url()).content.decode()
    assert place.get_absolute_url() in html and "محلهٔ باغ‌فردوس" in html
    assert agency.get_absolute_url() in html and "خانهٔ هلال" in html


def test_news_about_a_neighbourhood_or_an_agency(client):
    place, agency = make_neighbourhood(), make_agency()
    about_place = make_article(neighbourhoods=[place])
    about_agency = make_article(agencies=[agency])
    make_article()
    assert list(Article.objects.published().about_neighbourhood(place)) == [about_place]
    assert list(Article.objects.published().about_agency(agency)) == [about_agency]


def test_compact_list_include_for_other_pages():
    article = make_article(title="خبر کوتاه برای صفحهٔ محله")
    html = render_to_string(
        "news/includes/article_list_compact.html",
        {"articles": Article.objects.published().for_cards()},
    )
    assert article.title in html and article.get_absolute_url() in html
    assert "هنوز خبری منتشر نشده است." in render_to_string(
        "news/includes/article_list_compact.html", {"articles": []}
    )


def test_empty_news_list_says_so_in_persian(client):
    html = client.get("/news/").content.decode()
    assert "هنوز خبری منتشر نشده است." in html


def test_digits_typed_in_latin_are_shown_in_persian(client):
    article = make_article(title="توزیع 320 بسته", lead="برای 45 خانوار")
    make_comment(article=article, name="کاربر 7", text="ساعت 10 صبح")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "توزیع ۳۲۰ بسته" in html and "برای ۴۵ خانوار" in html
    assert "کاربر ۷" in html and "ساعت ۱۰ صبح" in html
    assert "توزیع ۳۲۰ بسته" in client.get("/news/").content.decode()
