"""The home page as a person sees it on a phone and on a desktop."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_fits_the_screen_and_uses_vazirmatn(live_server, page):
    outside_requests = []

    def note_outside(request):
        if not request.url.startswith(live_server.url):
            outside_requests.append(request.url)

    page.on("request", note_outside)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "home")

    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    # Nothing wider than the viewport: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert outside_requests == []


def test_phone_menu_opens_and_leads_to_news(live_server, page):
    page.goto(live_server.url + "/")
    if page.width_name == "phone":
        page.get_by_role("button", name="نمایش فهرست").click()
    page.get_by_role("navigation").get_by_role("link", name="اخبار").click()
    page.wait_for_url("**/news/")
    assert page.get_by_role("heading", level=1).inner_text() == "اخبار"


def test_panel_tab_of_the_current_section_is_in_view(live_server, page, client):
    from django.conf import settings

    from tests.factories import make_user

    client.force_login(make_user(superuser=True))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(live_server.url + "/panel/neighbourhoods/import/")
    page.wait_for_load_state("networkidle")
    tab = page.locator(".panel-nav .nav-link.active")
    box = tab.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1
