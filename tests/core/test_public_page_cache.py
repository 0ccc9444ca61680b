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
