"""Anonymous public pages come from the shared cache until the content behind them changes."""

import pytest

from tests.factories import make_record, make_user, record_service

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_cache(client):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_new_service_record_shows_on_the_next_visit(client, django_capture_on_commit_callbacks):
    make_record(beneficiaries=10)
    assert "۱۰" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        record_service(beneficiaries=7000)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "۷٬۰۱۰" in response.content.decode()


def test_signed_in_staff_never_get_a_cached_page(client):
    client.get("/")
    client.force_login(make_user())
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "خروج" in response.content.decode()  # their own header, not the anonymous one


def test_pages_with_a_form_token_are_not_stored(client):
    # The login page carries a per-visitor CSRF token, so it must never be shared.
    for _ in range(2):
        assert client.get("/panel/login/").get("X-Page-Cache") is None


def test_public_page_decorator_skips_responses_that_used_csrf(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from core.caching import public_page

    calls = []

    @public_page
    def form_page(request):
        calls.append(1)
        return HttpResponse(get_token(request))

    for _ in range(2):
        request = rf.get("/form/")
        request.user = AnonymousUser()
        form_page(request)
    assert len(calls) == 2


def _entries() -> int:
    """How many entries the test run's cache holds (file cache or Redis)."""
    from pathlib import Path

    from django.conf import settings
    from django.core.cache import cache

    default = settings.CACHES["default"]
    if default["BACKEND"].endswith("FileBasedCache"):
        return len(list(Path(default["LOCATION"]).glob("*.djcache")))
    client = cache._cache.get_client()
    return len(client.keys(f"{default.get('KEY_PREFIX', '')}*"))


def test_a_thousand_junk_query_strings_store_nothing(client):
    client.get("/neighbourhoods/")
    before = _entries()
    for n in range(1000):
        response = client.get(f"/neighbourhoods/?junk={n}")
        assert response.status_code == 200
    assert "X-Page-Cache" not in response  # answered fresh, not stored
    assert _entries() - before <= 2


def test_the_parameters_a_page_reads_share_one_entry_whatever_their_order(client):
    from tests.factories import make_article, make_category

    slug = make_article(category=make_category()).category.slug
    assert client.get(f"/news/?category={slug}&page=1")["X-Page-Cache"] == "miss"
    assert client.get(f"/news/?page=1&category={slug}")["X-Page-Cache"] == "hit"


def test_each_host_name_gets_its_own_copy(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example", "other.example"]
    assert client.get("/sitemap.xml", HTTP_HOST="portal.example")["X-Page-Cache"] == "miss"
    response = client.get("/sitemap.xml", HTTP_HOST="other.example")
    assert response["X-Page-Cache"] == "miss"
    assert "other.example" in response.content.decode()


def test_an_approved_record_leaves_the_news_pages_cached(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import make_article

    make_article(title="گزارش کار خانهٔ محله")
    for url in ("/news/", "/news/feed/rss/", "/"):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        record_service(beneficiaries=12)

    assert client.get("/news/")["X-Page-Cache"] == "hit"
    assert client.get("/news/feed/rss/")["X-Page-Cache"] == "hit"
    assert "گزارش کار خانهٔ محله" in client.get("/news/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "miss"  # the home page counts the records


def _count_cache_calls(monkeypatch):
    from django.core.cache import cache

    calls, depth = [], [0]
    for name in ("get", "get_many", "set", "add", "delete", "set_many"):
        real = getattr(cache, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            if not depth[0]:  # the file cache's get_many calls get; Redis sends one MGET
                calls.append(_name)
            depth[0] += 1
            try:
                return _real(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(cache, name, counted)
    return calls


def test_a_cached_page_costs_one_read_of_the_cache(client, monkeypatch):
    client.get("/news/")
    calls = _count_cache_calls(monkeypatch)

    response = client.get("/news/")

    assert response["X-Page-Cache"] == "hit"
    assert calls == ["get_many"]


def test_a_cached_feed_is_sent_as_one_body(client):
    from tests.factories import make_article

    for n in range(5):
        make_article(title=f"خبر شمارهٔ {n}")
    first = client.get("/news/feed/rss/")
    again = client.get("/news/feed/rss/")

    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert len(again._container) == 1


def test_while_one_worker_rebuilds_a_stale_page_the_others_serve_the_old_copy(
    client, django_capture_on_commit_callbacks
):
    """The lock a rebuilding worker holds, taken here as another worker would."""
    from django.core.cache import cache

    from core.caching import _key  # the page's key, as any worker computes it

    make_record(beneficiaries=10)
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        record_service(beneficiaries=7000)
    request = client.get("/").wsgi_request  # rebuilt: the cache now holds the new page
    with django_capture_on_commit_callbacks(execute=True):
        record_service(beneficiaries=5)
    cache.add(f"{_key(request, ())}:rebuilding", 1, 10)

    stale = client.get("/")
    assert stale["X-Page-Cache"] == "stale"
    assert "۷٬۰۱۰" in stale.content.decode()

    cache.delete(f"{_key(request, ())}:rebuilding")
    fresh = client.get("/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "۷٬۰۱۵" in fresh.content.decode()


def _later(monkeypatch, seconds: int):
    """Move the clock the page cache and the file cache read *seconds* on."""
    import datetime as dt

    from django.core.cache.backends import filebased

    from core import caching

    real_now, real_time = caching.timezone.now, filebased.time.time
    monkeypatch.setattr(caching.timezone, "now", lambda: real_now() + dt.timedelta(seconds=seconds))
    monkeypatch.setattr(filebased.time, "time", lambda: real_time() + seconds)


def test_a_page_unasked_for_ten_minutes_is_served_old_while_one_worker_rebuilds_it(
    client, settings, monkeypatch
):
    """Past its five minutes a page is still kept, for the visitors who come while one worker
    builds it again: a crowd arriving at a page nobody read for a while does not make every
    worker build it at once (the national statistics page takes seconds)."""
    from django.core.cache import cache

    from core.caching import _key

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    make_record(beneficiaries=10)
    request = client.get("/").wsgi_request
    _later(monkeypatch, 600)
    cache.add(f"{_key(request, ())}:rebuilding", 1, 10)  # another worker is rebuilding it

    old = client.get("/")
    assert old["X-Page-Cache"] == "stale"
    assert "۱۰" in old.content.decode()


def test_a_page_nobody_has_is_built_by_one_worker_while_the_others_wait_for_it(client):
    """The others get the copy the first one stores, and do not build it side by side."""
    import threading

    from django.core.cache import cache

    from core.caching import _key

    make_record(beneficiaries=10)
    built = client.get("/")
    key = _key(built.wsgi_request, ())
    entry = cache.get(key)
    cache.delete(key)
    cache.add(f"{key}:rebuilding", 1, 10)  # the first worker, building it

    def first_worker_stores_it():
        cache.set(key, entry, 60)
        cache.delete(f"{key}:rebuilding")

    threading.Timer(0.3, first_worker_stores_it).start()
    make_record(beneficiaries=5)  # in the database now, but not in the copy being built
    waited = client.get("/")
    assert waited["X-Page-Cache"] == "hit"
    assert waited.content == built.content


def test_a_worker_waiting_for_a_page_builds_it_when_the_first_lets_go_without_storing(client):
    """A page the first worker did not store (it was not to be cached) is built by the next."""
    import threading

    from django.core.cache import cache

    from core.caching import _key

    make_record(beneficiaries=10)
    key = _key(client.get("/").wsgi_request, ())
    cache.delete(key)
    cache.add(f"{key}:rebuilding", 1, 10)
    threading.Timer(0.3, cache.delete, args=[f"{key}:rebuilding"]).start()

    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "۱۰" in response.content.decode()
