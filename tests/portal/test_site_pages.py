"""The Persian base every page shares: home, errors, health check, login, admin."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from tests.factories import make_neighbourhood

pytestmark = pytest.mark.django_db


def test_home_is_persian_and_rtl(client):
    for _ in range(12):
        make_neighbourhood()
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "در ۱۲ محلهٔ کم‌برخوردار" in html  # counted from the rows, in Persian digits


def test_home_links_to_every_section(client):
    html = client.get("/").content.decode()
    for href in ["/neighbourhoods/", "/agencies/", "/exhibition/", "/news/", "/panel/login/"]:
        assert f'href="{href}"' in html, href


def test_sections_answer_in_persian(client):
    for url in ["/neighbourhoods/", "/agencies/", "/exhibition/", "/news/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'dir="rtl"' in response.content.decode()


def test_home_loads_font_and_css_from_the_site_itself(client):
    html = client.get("/").content.decode()
    refs = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert refs
    for ref in refs:
        assert not ref.startswith(("http:", "https:", "//")), f"outside request: {ref}"
    static_refs = [ref for ref in refs if ref.startswith("/static/")]
    assert "/static/vendor/bootstrap/bootstrap.rtl.min.css" in static_refs
    assert "/static/vendor/vazirmatn/vazirmatn.css" in static_refs
    for ref in static_refs:
        assert finders.find(ref.removeprefix("/static/")), f"missing static file {ref}"


def test_vendored_css_asks_no_outside_host():
    for name in ["vendor/vazirmatn/vazirmatn.css", "vendor/bootstrap/bootstrap.rtl.min.css"]:
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        urls = re.findall(r"url\(([^)]+)\)", text)
        for url in urls:
            url = url.strip("'\"")
            assert url.startswith("data:") or not re.match(r"^(https?:)?//", url), url


def test_unknown_page_gets_persian_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "پیدا نشد" in html
    assert 'lang="fa"' in html


def test_error_pages_render_without_request_context():
    # Django renders 500.html with an empty context when something already broke.
    html = render_to_string("500.html")
    assert "مشکلی در سامانه" in html
    assert 'dir="rtl"' in html
    assert "اجازه" in render_to_string("403.html")


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_admin_speaks_persian(admin_client):
    response = admin_client.get("/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa"' in html
    assert 'dir="rtl"' in html
    assert "مدیریت درگاه" in html


def test_login_with_wrong_password_says_so_in_persian(client, superuser):
    response = client.post("/panel/login/", {"username": "admin", "password": "wrong"})
    assert response.status_code == 200
    assert "نام کاربری یا گذرواژه درست نیست" in response.content.decode()


def test_login_then_panel(client, superuser):
    response = client.post(
        "/panel/login/", {"username": "admin", "password": "admin-pass-1405"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/panel/"
    assert "پنل کارکنان" in response.content.decode()


def test_panel_requires_login(client):
    response = client.get("/panel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/panel/login/")


def test_repeated_wrong_passwords_lock_the_account(client, superuser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/panel/login/", {"username": "admin", "password": "wrong"})
    response = client.post("/panel/login/", {"username": "admin", "password": "admin-pass-1405"})
    assert response.status_code == 429
    assert "موقتاً بسته شد" in response.content.decode()


def test_pages_send_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_home_counts_what_was_delivered(client):
    from tests.factories import make_record

    make_record(beneficiaries=1200)
    make_record(beneficiaries=34)
    html = client.get("/").content.decode()
    assert "۱٬۲۳۴" in html
    assert "نفر بهره‌مند" in html


def test_home_does_not_count_the_first_few_people(client):
    from tests.factories import make_record

    make_record(beneficiaries=3)
    figures = {f.label: f.value for f in client.get("/").context["figures"]}
    assert (figures["خدمت تأییدشده"], figures["نفر بهره‌مند"]) == (1, "کمتر از ۵")


def test_panel_home_shows_this_years_figures_in_the_users_scope(client):
    import datetime

    from tests.factories import StaffRole, make_agency, make_house, make_record, make_user

    agency = make_agency()
    today = datetime.date.today()
    make_record(house=make_house(agency=agency), beneficiaries=321, delivered_on=today)
    make_record(beneficiaries=999, delivered_on=today)  # another agency's work
    client.force_login(make_user(role=StaffRole.AGENCY_STAFF, agency=agency))
    html = client.get("/panel/").content.decode()
    assert "۳۲۱" in html
    assert "۹۹۹" not in html
    assert "ثبت خدمت تازه" in html


def test_panel_home_tells_a_user_without_a_role_what_to_do(client):
    from tests.factories import make_user

    client.force_login(make_user())
    assert "نقشی در طرح" in client.get("/panel/").content.decode()
