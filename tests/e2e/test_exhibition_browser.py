"""The exhibition as a visitor sees it on a phone and a desktop: the booths, an exhibit's
gallery, and the full-screen viewer driven by keyboard and touch."""

import io
import os
import re
from pathlib import Path

import pytest

from demo import exhibition as demo
from exhibition.models import Exhibit, Exhibition
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_agency, make_city, make_neighbourhood

pytestmark = pytest.mark.django_db(transaction=True)

HOUSES = {
    "ehsan": "خانه احسان",
    "emdad": "خانه امداد",
    "helal": "خانه هلال",
    "behzisti": "خانه بهزیستی",
}


@pytest.fixture
def showcase(media_root):
    for order, (slug, house) in enumerate(HOUSES.items()):
        make_agency(slug=slug, house_name=house, short_name=house, order=order)
    for name, city in (("باغ‌ملک", "سمنان"), ("چشمه‌سار", "دامغان"), ("سنگ‌فرش", "شاهرود")):
        make_neighbourhood(name=name, city=make_city(name=city), is_demo=True)
    demo.seed(with_users=False, stdout=io.StringIO())
    return Exhibition.objects.get()


def watch_console(page) -> list[str]:
    """Script errors, CSP refusals and failed requests (the site has no favicon yet)."""
    problems = []

    def on_console(message):
        if message.type == "error" and "favicon.ico" not in message.location.get("url", ""):
            problems.append(message.text)

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def load_every_image(page) -> None:
    """Lazy images below the fold would be blank in a full-page screenshot; load them all."""
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_function("[...document.images].every(i => i.complete)")


def viewport_shot(page, name: str) -> None:
    """The screen as the visitor sees it (the viewer covers the viewport, not the page)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{page.width_name}.png")


def images_loaded(page) -> bool:
    return page.evaluate(
        "[...document.images].filter(i => i.loading !== 'lazy' || i.getBoundingClientRect().top"
        " < innerHeight).every(i => i.complete && i.naturalWidth > 0)"
    )


def test_exhibition_page_shows_booths_and_filters(live_server, page, showcase):
    problems = watch_console(page)
    page.goto(live_server.url + showcase.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert images_loaded(page)  # those on screen, before anything is forced
    load_every_image(page)
    screenshot(page, "exhibition-page")

    assert page.get_by_role("heading", level=1).inner_text() == showcase.title
    assert page.locator(".booth-card").count() == 5
    assert fits_the_screen(page)
    assert not re.search(r"[0-9]", page.locator("main").inner_text())  # Persian digits only

    page.get_by_label("گونهٔ اثر").select_option("handicraft")
    page.get_by_role("button", name="نمایش غرفه‌ها").click()
    page.wait_for_url("**kind=handicraft**")
    assert page.locator(".booth-card").count() == 3
    load_every_image(page)
    screenshot(page, "exhibition-filtered")

    # The booth keeps the kind the visitor chose.
    page.locator(".booth-card a").first.click()
    page.wait_for_url("**/booths/**kind=handicraft")
    assert page.locator(".kind-chip.active").inner_text() == "صنایع دستی"
    assert fits_the_screen(page)
    load_every_image(page)
    screenshot(page, "booth-page")
    assert problems == []


def open_viewer(page, live_server, exhibit):
    page.goto(live_server.url + exhibit.get_absolute_url())
    page.wait_for_load_state("networkidle")
    page.locator("[data-gallery-item]").first.click()
    viewer = page.locator("#gallery-viewer")
    viewer.wait_for(state="visible")
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-gv-img]');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    return viewer


def counter(page) -> str:
    return page.locator("[data-gv-counter]").inner_text()


def test_gallery_viewer_opens_full_screen_and_works_by_keyboard(live_server, page, showcase):
    problems = watch_console(page)
    exhibit = Exhibit.objects.get(title__startswith="سفال")
    page.goto(live_server.url + exhibit.get_absolute_url())
    page.wait_for_load_state("networkidle")
    load_every_image(page)
    screenshot(page, "exhibit-gallery")
    assert fits_the_screen(page)
    assert page.locator("[data-gallery-item]").count() == 3

    viewer = open_viewer(page, live_server, exhibit)
    viewport_shot(page, "exhibit-viewer-open")
    box = viewer.bounding_box()
    size = page.viewport_size
    assert (box["width"], box["height"]) == (size["width"], size["height"])
    assert counter(page) == "عکس ۱ از ۳"
    assert page.evaluate("document.activeElement.matches('[data-gv-close]')")
    # The viewer asked for a rendition that fits the screen, in WebP.
    current = page.evaluate("document.querySelector('[data-gv-img]').currentSrc")
    assert current.endswith(".webp")

    # Right to left: the left arrow goes forward, the right arrow back.
    page.keyboard.press("ArrowLeft")
    assert counter(page) == "عکس ۲ از ۳"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert counter(page) == "عکس ۳ از ۳"
    page.keyboard.press("Home")
    assert counter(page) == "عکس ۱ از ۳"

    # Tab stays inside the viewer.
    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#gallery-viewer') !== null")

    page.keyboard.press("Escape")
    viewer.wait_for(state="hidden")
    assert page.evaluate("document.activeElement === document.querySelector('[data-gallery-item]')")
    assert problems == []


def test_viewer_follows_a_swipe_and_the_buttons(live_server, page, showcase):
    exhibit = Exhibit.objects.get(title__startswith="سفال")
    open_viewer(page, live_server, exhibit)
    swipe = """([dx]) => {
        const stage = document.querySelector('[data-gv-stage]');
        const touch = (x) => new Touch({identifier: 1, target: stage, clientX: x, clientY: 300});
        stage.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(150)],
            changedTouches: [touch(150)], bubbles: true}));
        stage.dispatchEvent(new TouchEvent('touchend', {touches: [],
            changedTouches: [touch(150 + dx)], bubbles: true}));
    }"""
    page.evaluate(swipe, [120])  # pulled to the right: the next photo in RTL
    assert counter(page) == "عکس ۲ از ۳"
    page.evaluate(swipe, [-120])
    assert counter(page) == "عکس ۱ از ۳"
    page.get_by_role("button", name="عکس قبلی").click()
    assert counter(page) == "عکس ۳ از ۳"
    page.get_by_role("button", name="بستن").click()
    page.locator("#gallery-viewer").wait_for(state="hidden")


def test_photo_without_consent_is_not_in_the_gallery(live_server, page, showcase):
    exhibit = Exhibit.objects.get(title__startswith="نان محلی")
    assert exhibit.photos.count() == 3
    page.goto(live_server.url + exhibit.get_absolute_url())
    assert page.locator("[data-gallery-item]").count() == 2
    assert "ایستاده‌اند" not in page.content()


def test_staff_upload_several_photos_in_the_panel(live_server, page, showcase, tmp_path):
    from demo.images import paint
    from tests.factories import StaffRole, make_user

    exhibit = Exhibit.objects.get(title__startswith="سفال")
    user = make_user(role=StaffRole.AGENCY_STAFF, agency=exhibit.booth.agency)
    sign_in(page, live_server, user)
    files = []
    for n, motif in enumerate(("jars", "bread")):
        path = tmp_path / f"photo-{n}.jpg"
        path.write_bytes(paint(motif))
        files.append(str(path))
    (tmp_path / "notes.jpg").write_text("متن است، نه عکس")

    page.goto(live_server.url + f"/panel/exhibition/exhibits/{exhibit.pk}/")
    page.locator("#id_images").set_input_files([*files, str(tmp_path / "notes.jpg")])
    page.get_by_label("متن جایگزین").fill("شیشه‌های مربا و سینی نان")
    page.get_by_label("هیچ فرد قابل شناسایی‌ای در عکس نیست").check()
    page.get_by_role("button", name="بارگذاری عکس‌ها").click()
    page.wait_for_load_state("networkidle")
    assert "«notes.jpg» تصویر نیست" in page.content()
    assert exhibit.photos.count() == 3
    screenshot(page, "panel-upload-refused")

    page.locator("#id_images").set_input_files(files)
    page.get_by_label("هیچ فرد قابل شناسایی‌ای در عکس نیست").check()
    page.get_by_role("button", name="بارگذاری عکس‌ها").click()
    page.wait_for_load_state("networkidle")
    assert "۲ عکس افزوده شد." in page.content()
    assert exhibit.photos.count() == 5
    assert fits_the_screen(page)
    load_every_image(page)
    screenshot(page, "panel-exhibit")


def test_coordinator_exhibition_form_has_the_jalali_date_picker(live_server, page):
    from tests.factories import StaffRole, make_user

    problems = watch_console(page)
    sign_in(page, live_server, make_user(role=StaffRole.COORDINATOR))
    page.goto(live_server.url + "/panel/exhibition/new/")
    page.get_by_label("تاریخ آغاز").click()
    page.locator("jdp-container").wait_for(state="visible")
    assert fits_the_screen(page)
    screenshot(page, "panel-exhibition-form")
    assert problems == []
