"""The same aid twice, in a real browser: Helal's clerk lists on her record a household that
Emdad registered, typing its national ID; Emdad gave it the same visit forty days ago, so the
form warns, naming only the house and the Jalali date; she confirms with a reason; the
coordinator finds the household in the coordination report, without its ID or name."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.choices import RecordStatus
from agencies.models import ServiceRecord
from core.jalali import to_jalali
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import (
    StaffRole,
    link_households,
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_household,
    make_neighbourhood,
    make_record,
    make_service_type,
    make_user,
    valid_national_id,
)

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "پزشک خانوار ویزیت دوم را لازم دانسته است"
NAME = "زینب نیک‌خواه"


def _persian(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _jalali(day: dt.date) -> str:
    j = to_jalali(day)
    return _persian(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")


@pytest.fixture
def zarrin():
    emdad = make_agency(slug="emdad", short_name="امداد", house_name="خانه امداد")
    helal = make_agency(slug="helal", short_name="هلال", house_name="خانه هلال")
    place = make_neighbourhood(city=make_city(name="سمنان"), name="کوی زرین", code="SMN-001")
    make_house(agency=helal, neighbourhood=place)
    visit = make_service_type(domain=make_domain(name="درمان و سلامت"), name="ویزیت رایگان")
    household = make_household(
        neighbourhood=place,
        agency=emdad,
        national_id=valid_national_id(5_120_034),
        name=NAME,
        members=4,
    )
    earlier = make_record(
        house=make_house(agency=emdad, neighbourhood=place),
        service_type=visit,
        beneficiaries=4,
        households=1,
        delivered_on=timezone.localdate() - dt.timedelta(days=40),
        status=RecordStatus.APPROVED,
    )
    link_households(earlier, household)
    clerk = make_user(username="reza", role=StaffRole.AGENCY_STAFF, agency=helal)
    coordinator = make_user(username="sara", role=StaffRole.COORDINATOR, first_name="سارا")
    return household, earlier, clerk, coordinator


def test_a_clerk_links_another_agencys_household_is_warned_and_the_coordinator_sees_it(
    live_server, page, zarrin
):
    household, earlier, clerk, coordinator = zarrin
    today = timezone.localdate()

    sign_in(page, live_server, clerk)
    page.goto(live_server.url + "/panel/records/new/")
    page.locator("#id_house").select_option(label="خانه هلال کوی زرین (سمنان)")
    page.get_by_label("نوع خدمت").select_option(label="ویزیت رایگان")
    page.get_by_label("تاریخ ارائه").fill(_jalali(today))
    page.get_by_label("تعداد ذی‌نفعان").fill("۳")
    page.locator("jdp-container").wait_for(state="hidden")
    page.get_by_label("خانوارهای بهره‌مند", exact=True).fill("۱")
    page.get_by_label("مرد", exact=True).fill("۱")
    page.get_by_label("زن", exact=True).fill("۲")
    page.get_by_label("بزرگسال (۱۸ تا ۵۹ سال)").fill("۳")
    page.get_by_label("کد ملی خانوارهای بهره‌مند").fill(_persian(household.national_id))
    page.get_by_role("button", name="ثبت و ارسال برای تأیید").click()
    page.wait_for_load_state()

    warning = page.locator("#repeat-warning")
    assert warning.is_visible()
    text = warning.inner_text()
    assert (
        f"این خانوار در تاریخ {_jalali(earlier.delivered_on)} از خانه امداد همین خدمت را گرفته است."
    ) in text
    assert NAME not in page.content()
    screenshot(page, "household-same-aid-warning")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not ServiceRecord.objects.filter(house__agency__slug="helal").exists()

    reason = page.get_by_label("چرا این خانوار باز هم این کمک را می‌گیرد؟")
    assert reason.evaluate("element => element === document.activeElement")
    reason.fill(REASON)
    page.get_by_role("button", name="ثبت و ارسال برای تأیید").click()
    page.wait_for_url("**/panel/records/*/")
    saved = ServiceRecord.objects.get(house__agency__slug="helal")
    assert saved.repeat_reason == REASON
    assert list(saved.household_links.values_list("household_id", flat=True)) == [household.pk]

    # The coordinator finds the household in the report, by its row number only.
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/panel/coordination/")
    section = page.locator("#household-repeats")
    row = section.locator("tr", has_text=household.reference)
    assert row.count() == 1
    row_text = row.inner_text()
    assert "امداد" in row_text and "هلال" in row_text
    assert REASON in row_text
    html = page.content()
    assert household.national_id not in html and _persian(household.national_id) not in html
    assert NAME not in html
    screenshot(page, "household-repeats-report")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
