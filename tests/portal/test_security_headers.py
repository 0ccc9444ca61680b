"""The smaller guards: a Persian page for a refused form, feeds that carry text as text,
browser features the site never asks for, staff pages no cache keeps, a health check a load
balancer can read over plain HTTP."""

import pytest
from django.test import Client

from tests.factories import StaffRole, make_article, make_category, make_user

pytestmark = pytest.mark.django_db


def test_a_form_sent_without_its_token_gets_a_persian_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/panel/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "این فرم دیگر پذیرفته نمی‌شود" in text
    assert 'dir="rtl"' in text


def test_a_lead_with_markup_reaches_feed_readers_as_text(client):
    make_article(category=make_category(), lead="برنامه <script>alert(1)</script> & بیشتر")
    xml = client.get("/news/feed/rss/").content.decode()
    # Escaped once for HTML and once for XML: a reader shows the «<», never runs it.
    assert "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; بیشتر" in xml
    assert "<script>" not in xml


def test_every_page_refuses_camera_microphone_and_location(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_staff_pages_are_kept_by_no_cache(client):
    client.force_login(make_user(role=StaffRole.COORDINATOR))
    for url in ("/panel/", "/panel/records/", "/panel/dashboard/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_healthz_answers_plain_http_in_production(tmp_path):
    from tests.portal.test_production_mode import PRODUCTION_ENV, run_manage

    probe = (
        "shell",
        "-c",
        "from django.test import Client; c = Client(); "
        "print(c.get('/healthz').status_code, c.get('/news/').status_code)",
    )
    result = run_manage(
        tmp_path, *probe, env=PRODUCTION_ENV | {"DJANGO_ALLOWED_HOSTS": "testserver"}
    )
    assert result.returncode == 0, result.stderr
    # /healthz is answered over HTTP; every other page is sent to HTTPS.
    assert result.stdout.split()[-2:] == ["200", "301"]
