"""The service-records panel in a real browser, on a phone and on a desktop."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from agencies.choices import RecordStatus
from core.jalali import format_date
from tests.e2e.conftest import screenshot
from tests.factories import (
    StaffRole,
    edited,
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
def staff():
    """An Emdad staff member with 30 records over two neighbourhoods and two domains."""
    emdad = make_agency(slug="emdad", short_name="امداد", house_name="خانه امداد")
    semnan = make_city(name="سمنان")
    houses = [
        make_house(agency=emdad, neighbourhood=make_neighbourhood(city=semnan, name=name))
        for name in ("کوی زرین", "محله‌ی اسدآباد شمالی و بلوار امام رضا")
    ]
    shahrud = make_city(name="شاهرود")
    make_house(agency=emdad, neighbourhood=make_neighbourhood(city=shahrud, name="کوی فرهنگیان"))
    health = make_domain(name="درمان و سلامت")
    jobs = make_domain(name="اشتغال")
    types = [
        make_service_type(domain=health, name="ویزیت رایگان پزشک عمومی"),
        make_service_type(domain=jobs, name="کارگاه آموزش خیاطی و دوخت"),
    ]
    for n in range(30):
        make_record(
            house=houses[n % 2],
            service_type=types[n % 2],
            delivered_on=dt.date(2025, 4, 1) + dt.timedelta(days=3 * n),
            beneficiaries=10 + n,
            cost_rials=1_250_000 * (n + 1),
            status=RecordStatus.SUBMITTED,
        )
    return make_user(
        username="maryam", role=StaffRole.AGENCY_STAFF, agency=emdad, first_name="مریم"
    )


def _log_in(page, live_server, user):
    """Sign the browser in with a session made by Django's test client (axes-safe)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_records_list_fits_phone_and_desktop(live_server, page, staff):
    _log_in(page, live_server, staff)
    page.goto(live_server.url + "/panel/records/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "records-list")
    assert page.get_by_role("heading", level=1).inner_text() == "خدمات ثبت‌شده"
    assert page.locator("table.records-table tbody tr").count() == 25
    assert page.get_by_text("۳۰ خدمت").is_visible()
    assert _fits_width(page)

    # Filters are one tap away on a phone and always open on a desktop.
    if page.width_name == "phone":
        page.get_by_role("button", name="جست‌وجو و فیلترها").click()
        # Bootstrap's collapse is animated: wait until it has finished opening.
        page.locator("#record-filters.collapse.show").wait_for()
    # Choosing a city leaves only its neighbourhoods to choose from.
    page.get_by_label("شهر").select_option(label="شاهرود")
    visible = page.locator("#id_neighbourhood option:not([hidden])").all_inner_texts()
    assert visible == ["همهٔ محله‌ها", "کوی فرهنگیان (شاهرود)"]
    page.get_by_label("شهر").select_option(label="همهٔ شهرها")
    page.get_by_label("جست‌وجو").fill("خياطي")  # Arabic letters find the Persian name
    page.get_by_role("button", name="نمایش", exact=True).click()
    page.wait_for_url("**q=*")
    assert page.locator("table.records-table tbody tr").count() == 15
    assert _fits_width(page)


def test_form_with_a_validation_error_keeps_what_was_typed(live_server, page, staff):
    _log_in(page, live_server, staff)
    page.goto(live_server.url + "/panel/records/")
    page.get_by_role("link", name="ثبت خدمت تازه").click()
    page.wait_for_url("**/panel/records/new/")

    page.get_by_label("خانه").select_option(label="خانه امداد کوی زرین (سمنان)")
    page.get_by_label("نوع خدمت").select_option(label="ویزیت رایگان پزشک عمومی")

    # The Jalali picker opens when the date field gets focus.
    date = page.get_by_label("تاریخ ارائه")
    date.click()
    picker = page.locator("jdp-container")
    picker.wait_for(state="visible")
    assert picker.is_visible()
    page.wait_for_timeout(500)  # let the opening animation finish before the picture
    screenshot(page, "record-form-date-picker")
    date.fill("۱۴۰۴/۰۷/۰۹")  # typing still works with the picker open
    picker.locator(".jdp-btn-close").click()
    picker.wait_for(state="hidden")

    page.get_by_label("تعداد ذی‌نفعان").fill("۲۰")
    page.get_by_label("مرد", exact=True).fill("۸")
    page.get_by_label("زن", exact=True).fill("۱۱")  # 8 + 11 is not 20
    page.get_by_label("کودک (زیر ۱۸ سال)").fill("۵")
    page.get_by_label("بزرگسال (۱۸ تا ۵۹ سال)").fill("10")
    page.get_by_label("سالمند (۶۰ سال و بیشتر)").fill("۵")
    page.get_by_label("هزینه (ریال)").fill("۱۲٬۵۰۰٬۰۰۰")
    page.get_by_label("توضیحات").fill("ویزیت در حسینیهٔ محل")
    page.get_by_role("button", name="ثبت و ارسال برای تأیید").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "record-form-error")

    assert page.get_by_text("جمع مردان و زنان (۱۹) با تعداد ذی‌نفعان (۲۰) برابر نیست.").is_visible()
    assert page.get_by_text("خدمت ذخیره نشد؛ خطاهای فرم را درست کنید.").is_visible()
    assert page.get_by_label("زن", exact=True).input_value() == "۱۱"
    assert page.get_by_label("بزرگسال (۱۸ تا ۵۹ سال)").input_value() == "10"
    assert page.get_by_label("تاریخ ارائه").input_value() == "۱۴۰۴/۰۷/۰۹"
    assert page.get_by_label("هزینه (ریال)").input_value() == "۱۲٬۵۰۰٬۰۰۰"
    assert page.get_by_label("توضیحات").input_value() == "ویزیت در حسینیهٔ محل"
    assert "is-invalid" in page.get_by_label("زن", exact=True).get_attribute("class")
    assert _fits_width(page)

    # Correcting the one number saves the record.
    page.get_by_label("زن", exact=True).fill("۱۲")
    page.get_by_role("button", name="ثبت و ارسال برای تأیید").click()
    page.wait_for_url("**/panel/records/*/")
    assert page.get_by_text("خدمت ثبت و برای تأیید فرستاده شد.").is_visible()
    assert get_user_model().objects.get(username="maryam")  # still signed in as the same user


def test_detail_history_and_deleted_pages_fit_the_screen(live_server, page, staff):
    from agencies.models import ServiceRecord
    from agencies.services import service_record_delete, service_record_update

    record, other = ServiceRecord.objects.order_by("-delivered_on")[:2]
    service_record_update(
        record=edited(record, cost_rials=40_000_000, notes="هزینهٔ داروها هم افزوده شد"),
        user=staff,
        version=1,
    )
    service_record_delete(record=other, user=staff)
    coordinator = make_user(username="hq", role=StaffRole.COORDINATOR, first_name="علی")
    _log_in(page, live_server, coordinator)

    for name, path in [
        ("record-detail", f"/panel/records/{record.pk}/"),
        ("record-history", f"/panel/records/{record.pk}/history/"),
        ("records-deleted", "/panel/records/deleted/"),
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        screenshot(page, name)
        assert _fits_width(page), name

    page.get_by_role("button", name="بازگرداندن").click()
    page.wait_for_url(f"**/panel/records/{other.pk}/")
    assert page.get_by_text("خدمت بازگردانده شد.").is_visible()


def test_the_date_picker_writes_persian_digits_and_opens_on_the_day_written(
    live_server, page, staff
):
    _log_in(page, live_server, staff)
    page.goto(live_server.url + "/panel/records/new/")
    date = page.get_by_label("تاریخ ارائه")
    assert date.input_value() == ""
    date.focus()
    picker = page.locator("jdp-container")
    picker.wait_for(state="visible")
    page.wait_for_timeout(500)  # the picker shows itself once more 300 ms after it opens
    picker.locator(".jdp-btn-today").click()
    picker.wait_for(state="hidden")
    today = format_date(timezone.localdate())  # ۱۴۰۵/۰۹/۱۲: Persian digits, as the form shows
    assert date.input_value() == today
    # Opened again, the picker reads the Persian digits and marks the day written.
    page.get_by_label("تعداد ذی‌نفعان").focus()
    picker.wait_for(state="hidden")
    date.focus()
    picker.wait_for(state="visible")
    assert picker.locator(".jdp-day.selected").inner_text() == today.split("/")[-1].lstrip("۰")
    assert date.input_value() == today
