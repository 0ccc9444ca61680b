"""From entry to the public page: a clerk submits, the supervisor approves from the list, and
the neighbourhood's public total grows, in a real browser on a phone and on a desktop."""

import datetime as dt

import pytest

from tests.e2e.conftest import screenshot, sign_in
from tests.factories import (
    StaffRole,
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def emdad():
    """Emdad's house in «کوی زرین» with 40 approved beneficiaries, a clerk and a supervisor."""
    agency = make_agency(slug="emdad", short_name="امداد", house_name="خانه امداد")
    zarrin = make_neighbourhood(city=make_city(name="سمنان"), name="کوی زرین", code="SMN-001")
    house = make_house(agency=agency, neighbourhood=zarrin)
    visit = make_service_type(domain=make_domain(name="درمان و سلامت"), name="ویزیت رایگان")
    make_record(house=house, service_type=visit, beneficiaries=40, delivered_on=dt.date(2025, 5, 1))
    clerk = make_user(
        username="maryam", role=StaffRole.AGENCY_STAFF, agency=agency, first_name="مریم"
    )
    supervisor = make_user(
        username="zahra", role=StaffRole.SUPERVISOR, agency=agency, first_name="زهرا"
    )
    return zarrin, clerk, supervisor


def _public_total(page, live_server, neighbourhood) -> str:
    page.goto(live_server.url + neighbourhood.get_absolute_url())
    return page.locator(".place-figures .figure-value").nth(1).inner_text()


def test_a_submitted_record_reaches_the_public_page_once_approved(live_server, page, emdad):
    zarrin, clerk, supervisor = emdad
    sign_in(page, live_server, None)
    assert _public_total(page, live_server, zarrin) == "۴۰"

    # The clerk enters the service and sends it for approval.
    sign_in(page, live_server, clerk)
    page.goto(live_server.url + "/panel/records/new/")
    page.get_by_label("خانه").select_option(label="خانه امداد کوی زرین (سمنان)")
    page.get_by_label("نوع خدمت").select_option(label="ویزیت رایگان")
    page.get_by_label("تاریخ ارائه").fill("۱۴۰۴/۰۷/۰۹")
    # Moving on to the next field closes the picker, so it cannot cover the Save button.
    page.get_by_label("تعداد ذی‌نفعان").fill("۲۵")
    page.locator("jdp-container").wait_for(state="hidden")
    page.get_by_label("مرد", exact=True).fill("۱۰")
    page.get_by_label("زن", exact=True).fill("۱۵")
    page.get_by_label("کودک (زیر ۱۸ سال)").fill("۵")
    page.get_by_label("بزرگسال (۱۸ تا ۵۹ سال)").fill("۱۵")
    page.get_by_label("سالمند (۶۰ سال و بیشتر)").fill("۵")
    page.get_by_role("button", name="ثبت و ارسال برای تأیید").click()
    page.wait_for_url("**/panel/records/*/")
    assert page.get_by_text("خدمت ثبت و برای تأیید فرستاده شد.").is_visible()
    assert page.locator(".status-badge").inner_text() == "ارسال‌شده"

    # Not public yet.
    sign_in(page, live_server, None)
    assert _public_total(page, live_server, zarrin) == "۴۰"

    # The supervisor approves it from the list of submitted records.
    sign_in(page, live_server, supervisor)
    page.goto(live_server.url + "/panel/records/?status=submitted")
    page.wait_for_load_state("networkidle")
    screenshot(page, "approval-list")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("input[name=records]").check()
    page.get_by_role("button", name="تأیید خدمت‌های علامت‌خورده").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("۱ خدمت تأیید شد.").is_visible()
    screenshot(page, "approval-done")

    sign_in(page, live_server, None)
    assert _public_total(page, live_server, zarrin) == "۶۵"
