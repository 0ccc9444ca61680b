"""Parallel work in a real browser: a clerk records a service another agency recorded four
days earlier in the same neighbourhood, is warned, confirms with a reason; the coordinator
finds the pair in the coordination report and marks it reviewed."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.choices import RecordStatus
from agencies.models import ServiceRecord
from coordination.models import FindingReview, Verdict
from core.jalali import to_jalali
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

REASON = "برای خانوارهای کوچهٔ دوم که در نوبت هلال نبودند"


def _persian(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _jalali(day: dt.date) -> str:
    j = to_jalali(day)
    return _persian(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")


@pytest.fixture
def zarrin():
    """Helal recorded a free doctor's visit in «کوی زرین» four days before today; Emdad works
    there too."""
    emdad = make_agency(slug="emdad", short_name="امداد", house_name="خانه امداد")
    helal = make_agency(slug="helal", short_name="هلال", house_name="خانه هلال")
    place = make_neighbourhood(city=make_city(name="سمنان"), name="کوی زرین", code="SMN-001")
    make_house(agency=emdad, neighbourhood=place)
    visit = make_service_type(domain=make_domain(name="درمان و سلامت"), name="ویزیت رایگان")
    today = timezone.localdate()
    earlier = make_record(
        house=make_house(agency=helal, neighbourhood=place),
        service_type=visit,
        beneficiaries=30,
        delivered_on=today - dt.timedelta(days=4),
        status=RecordStatus.APPROVED,
    )
    clerk = make_user(username="maryam", role=StaffRole.AGENCY_STAFF, agency=emdad)
    coordinator = make_user(username="sara", role=StaffRole.COORDINATOR, first_name="سارا")
    return earlier, today, clerk, coordinator


def test_a_clerk_is_warned_confirms_and_the_coordinator_reviews_it(live_server, page, zarrin):
    earlier, today, clerk, coordinator = zarrin

    sign_in(page, live_server, clerk)
    page.goto(live_server.url + "/panel/records/new/")
    page.locator("#id_house").select_option(label="خانه امداد کوی زرین (سمنان)")
    page.get_by_label("نوع خدمت").select_option(label="ویزیت رایگان")
    page.get_by_label("تاریخ ارائه").fill(_jalali(today))
    page.get_by_label("تعداد ذی‌نفعان").fill("۱۲")
    page.locator("jdp-container").wait_for(state="hidden")
    page.get_by_label("مرد", exact=True).fill("۵")
    page.get_by_label("زن", exact=True).fill("۷")
    page.get_by_label("بزرگسال (۱۸ تا ۵۹ سال)").fill("۱۲")
    page.get_by_role("button", name="ثبت و ارسال برای تأیید").click()
    page.wait_for_load_state()

    warning = page.locator("#parallel-warning")
    assert warning.is_visible()
    assert f"خانه هلال: «ویزیت رایگان» در {_jalali(earlier.delivered_on)} برای ۳۰ نفر" in (
        warning.inner_text()
    )
    screenshot(page, "parallel-warning")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not ServiceRecord.objects.filter(house__agency__slug="emdad").exists()

    reason = page.get_by_label("چرا این خدمت با وجود کار دستگاه دیگر لازم است؟")
    assert reason.evaluate("element => element === document.activeElement")
    reason.fill(REASON)
    page.get_by_role("button", name="ثبت و ارسال برای تأیید").click()
    page.wait_for_url("**/panel/records/*/")
    assert page.get_by_text("خدمت ثبت و برای تأیید فرستاده شد.").is_visible()
    saved = ServiceRecord.objects.get(house__agency__slug="emdad")
    assert saved.parallel_reason == REASON

    # The coordinator finds the pair in the report, with the clerk's reason, and marks it.
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/panel/coordination/")
    finding = page.locator(f"#finding-overlap-{earlier.pk}-{saved.pk}")
    text = finding.inner_text()
    assert f"هلال — {_jalali(earlier.delivered_on)}" in text
    assert f"امداد — {_jalali(today)}" in text
    assert f"دلیل ثبت‌کننده: {REASON}" in text
    assert "۴ روز" in text
    screenshot(page, "parallel-report")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finding.locator("summary").click()
    finding.get_by_label("بررسی شد، موجه است").check()
    finding.get_by_label("یادداشت").fill("دو گروه جدا از خانوارها؛ هماهنگ شد.")
    finding.get_by_role("button", name="ذخیرهٔ بررسی").click()
    page.wait_for_load_state()
    assert (
        page.locator(f"#finding-overlap-{earlier.pk}-{saved.pk}").count() == 0
    )  # justified: hidden
    review = FindingReview.objects.get()
    assert (review.key, review.verdict) == (f"overlap:{earlier.pk}:{saved.pk}", Verdict.JUSTIFIED)
    assert review.reviewed_by == coordinator
