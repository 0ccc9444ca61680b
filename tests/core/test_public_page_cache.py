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
