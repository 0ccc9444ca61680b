"""RSS and Atom feeds (all news and per tag) and sitemap.xml parse back as valid documents."""

import datetime
import email.utils
import xml.etree.ElementTree as ET

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def articles():
    older = make_article(title="کارگاه خیاطی در سرخه", tags=["اشتغال", "سرخه"], kicker="خانهٔ امداد")
    newer = make_article(
        title="غربالگری فشار خون در بسطام",
        tags=["سلامت"],
        publish_at=older.publish_at + datetime.timedelta(minutes=5),
    )
    return older, newer


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, under test


def check_rss(root, *, expected_links):
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description", "language"):
        assert (channel.findtext(name) or "").strip(), name
    assert channel.findtext("language") == "fa"
    items = channel.findall("item")
    links = [item.findtext("link") for item in items]
    assert links == expected_links
    for item in items:
        for name in ("title", "link", "description", "pubDate", "guid"):
            assert (item.findtext(name) or "").strip(), name
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
    return items


def check_atom(root, *, expected_links):
    assert root.tag == f"{ATOM}feed"
    for name in ("title", "id", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert root.find(f"{ATOM}link[@rel='alternate']") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}link").get("href") for entry in entries] == expected_links
    for entry in entries:
        for name in ("title", "id", "updated", "published", "summary"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    return entries


def absolute(article):
    return f"http://testserver{article.get_absolute_url()}"


def test_rss_feed_of_all_news_is_valid_and_newest_first(client, articles):
    older, newer = articles
    items = check_rss(
        parse(client.get("/news/feed/rss/")), expected_links=[absolute(newer), absolute(older)]
    )
    assert items[1].findtext("title") == "خانهٔ امداد: کارگاه خیاطی در سرخه"
    assert {c.text for c in items[1].findall("category")} >= {"اشتغال", "سرخه"}


def test_atom_feed_of_all_news_is_valid(client, articles):
    older, newer = articles
    check_atom(
        parse(client.get("/news/feed/atom/")), expected_links=[absolute(newer), absolute(older)]
    )


def test_tag_feeds_carry_only_that_tags_articles(client, articles):
    older, _newer = articles
    check_rss(parse(client.get("/news/tag/اشتغال/rss/")), expected_links=[absolute(older)])
    check_atom(parse(client.get("/news/tag/اشتغال/atom/")), expected_links=[absolute(older)])


def test_feed_of_an_unknown_tag_is_not_found(client, articles):
    assert client.get("/news/tag/هیچ/rss/").status_code == 404


def test_feed_text_is_escaped_not_injected(client):
    make_article(title="<script>alert(1)</script> خبر", lead="لید <b>پررنگ</b>")
    body = client.get("/news/feed/rss/").content.decode()
    assert "<script>" not in body
    parse(client.get("/news/feed/rss/"))  # still well-formed XML


def test_sitemap_lists_published_articles_the_list_and_tag_pages(client, articles):
    older, newer = articles
    draft = make_article(published=False, tags=["پیش‌نویس"])
    root = parse(client.get("/sitemap.xml"))
    assert root.tag == f"{SITEMAP}urlset"
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert absolute(older) in locations and absolute(newer) in locations
    assert absolute(draft) not in locations
    assert "http://testserver/news/" in locations
    assert any("/news/tag/" in loc for loc in locations)
    assert not any("%D9%BE%DB%8C%D8%B4" in loc for loc in locations)  # the draft's tag
    for url in root.findall(f"{SITEMAP}url"):
        if (
            "/news/tag/" not in url.findtext(f"{SITEMAP}loc")
            and url.findtext(f"{SITEMAP}loc") != "http://testserver/news/"
        ):
            assert url.findtext(f"{SITEMAP}lastmod")
