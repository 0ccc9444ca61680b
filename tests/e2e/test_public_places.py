"""Neighbourhood and agency pages, and the import page, in a real browser at phone and
desktop width: nothing may stick out sideways, wide tables scroll inside their box."""

import pytest

from tests.e2e.conftest import screenshot
from tests.factories import StaffRole, add_records, build_places, make_user
from tests.samples import GOOD_ROWS, csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def demo_places(transactional_db):
    """The public pages' province as demo data, with six more records in «کوی زرین»."""
    places = build_places(demo=True)
    add_records(places, 6)
    return places


def test_neighbourhood_page_fits_and_shows_totals(live_server, page, demo_places):
    page.goto(live_server.url + "/neighbourhoods/SMN-001/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "neighbourhood")

    assert page.get_by_role("heading", level=1).inner_text().startswith("کوی زرین")
    assert page.evaluate(FITS)
    # Every table sits in a box that scrolls on its own rather than widening the page.
    assert page.evaluate(
        "[...document.querySelectorAll('main table')]"
        ".every(t => t.closest('.table-responsive') !== null)"
    )
    assert page.locator(".house-card").count() == 4
    # Every number a visitor reads is in Persian digits; only the Latin code is left.
    text = page.inner_text("main").replace("SMN-001", "")
    assert not [ch for ch in text if ch.isascii() and ch.isdigit()]


def test_neighbourhood_list_and_search_fit(live_server, page, demo_places):
    page.goto(live_server.url + "/neighbourhoods/")
    screenshot(page, "neighbourhoods")
    assert page.evaluate(FITS)
    assert page.get_by_text("فهرست نمایشی").is_visible()
    page.get_by_label("جست‌وجوی محله").fill("كوثر")
    page.get_by_role("button", name="جست‌وجو").click()
    page.wait_for_url("**/neighbourhoods/?q=*")
    assert page.get_by_role("link", name="کوثر").is_visible()
    assert page.get_by_role("link", name="کوی زرین").count() == 0


def test_agency_pages_fit(live_server, page, demo_places):
    page.goto(live_server.url + "/agencies/")
    screenshot(page, "agencies")
    assert page.evaluate(FITS)
    page.get_by_role("link", name="خانه امداد").click()
    page.wait_for_url("**/agencies/emdad/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "agency")
    assert page.evaluate(FITS)
    assert page.get_by_role("heading", level=1).inner_text() == "خانه امداد"


def test_import_dry_run_report_fits(live_server, page, demo_places, tmp_path):
    make_user(username="hamahang", role=StaffRole.COORDINATOR)
    bad = csv_bytes([*GOOD_ROWS, ["تهران", "کوی نو", "SMN-001", "صد", "", "", ""]], bom=True)
    path = tmp_path / "mahalle-ha.csv"
    path.write_bytes(bad)

    page.goto(live_server.url + "/panel/login/?next=/panel/neighbourhoods/import/")
    page.get_by_label("نام کاربری").fill("hamahang")
    page.get_by_label("گذرواژه").fill("pass-1405-x")
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url("**/panel/neighbourhoods/import/")
    page.get_by_label("فایل فهرست محله‌ها").set_input_files(str(path))
    page.get_by_role("button", name="بررسی فایل").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "import-report")

    assert page.evaluate(FITS)
    assert page.get_by_text("شهر «تهران» در سامانه نیست").first.is_visible()
    assert page.get_by_role("button", name="ذخیرهٔ فهرست").count() == 0
