"""Every staff page on a phone: at 360 px no panel page is wider than the screen.

The pages are not listed here: they are the /panel/ patterns of the URL resolver, each opened
with the arguments and by the roles of tests/test_permission_matrix.py, so a new panel page is
walked as soon as it has its row there (and fails the matrix until it has one). Downloads
(spreadsheets, the PDF, a photo's file) are told apart by their content type and left out.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.choices import RecordStatus
from coordination.models import Responsibility, Target
from core.jalali import to_jalali
from news.roles import MODERATOR_GROUP, ensure_groups
from tests.e2e.conftest import PHONE, screenshot, sign_in, watched_context
from tests.factories import (
    link_households,
    make_agency,
    make_article,
    make_comment,
    make_house,
    make_household,
    make_record,
    make_service_type,
)
from tests.test_permission_matrix import (
    MATRIX,
    _url_value,
    emdad_world,  # noqa: F401  (one of everything a panel URL names)
    panel_url_names,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Who walks the panel: a coordinator and one agency's clerk, as the issue asks; the news roles,
# whose pages are theirs alone; and a visitor not signed in, who sees the login page.
WALKERS = ["anonymous", "coordinator", "clerk", "editor", "moderator"]

# What makes a page too wide in real use: long names, and strings with nowhere to break.
CASE_CODE = "SMN-1405-EMDAD-PRJ-000123456789012345"
EMAIL = "fatemeh.mohammadzadeh.khorasani@emdad-semnan-province.example.ir"
ADDRESS = "semnan-province-social-program.example.ir/houses/asadabad-shomali/emdad"
NEIGHBOURHOOD = "محله‌ی اسدآباد شمالی و بلوار امام رضا"
SERVICE = "کارگاه آموزش خیاطی و دوخت لباس محلی برای بانوان سرپرست خانوار"

# What sticks out of the screen, for the failure message: the innermost elements past either
# edge that no scrolling box of their own holds.
STICKING_OUT = """() => {
    const past = (el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.left < -0.5 || box.right > innerWidth + 0.5);
    };
    const scrolls = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    return [...document.body.querySelectorAll("*")]
        .filter((el) => past(el) && !scrolls(el) && ![...el.children].some(past))
        .slice(0, 5)
        .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> `
            + `«${el.textContent.trim().slice(0, 40)}»`);
}"""

# Tables that neither turn into cards nor scroll inside a box of their own: on a phone they
# are as wide as their content, so the next long name widens the page. A table of fixed layout
# (the report's bars) is as wide as its box whatever it holds.
LOOSE_TABLES = """() => [...document.querySelectorAll("main table")]
    .filter((table) => getComputedStyle(table).display === "table")
    .filter((table) => getComputedStyle(table).tableLayout !== "fixed")
    .filter((table) => {
        for (let up = table.parentElement; up; up = up.parentElement) {
            if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) return false;
        }
        return true;
    })
    .map((table) => `<table class="${table.className}" id="${table.id}">`)"""


@pytest.fixture
def busy_world(emdad_world):  # noqa: F811
    """The matrix's world with a month of work in it: full lists, a parallel finding, a
    household two agencies served, long names and unbroken codes where people type them."""
    users, objects = emdad_world
    neighbourhood, house = objects["neighbourhood"], objects["house"]
    neighbourhood.name = NEIGHBOURHOOD
    neighbourhood.save()
    agency = house.agency
    agency.name = "کمیتهٔ امداد امام خمینی (ره) استان سمنان"
    agency.save()
    house.address, house.manager_name = ADDRESS, "فاطمه محمدزاده خراسانی"
    house.save()
    for name in ("exhibition", "booth", "exhibit"):
        objects[name].title = f"{SERVICE} ({CASE_CODE})"
        objects[name].save()
    account = objects["account"]
    account.username, account.email = EMAIL.split("@")[0], EMAIL
    account.first_name, account.last_name = "فاطمه", "محمدزاده خراسانی"
    account.save()
    helal = make_agency(name="جمعیت هلال‌احمر استان سمنان", short_name="هلال‌احمر")
    helal_house = make_house(agency=helal, neighbourhood=neighbourhood)
    sewing = make_service_type(name=SERVICE)
    Responsibility.objects.create(neighbourhood=neighbourhood, domain=sewing.domain, lead=helal)
    today = timezone.localdate()
    Target.objects.create(
        year=to_jalali(today).year, neighbourhood=neighbourhood, domain=sewing.domain, value=120
    )
    household = objects["household"]
    for n in range(30):
        day = today - datetime.timedelta(days=2 * n)
        record = make_record(
            house=house,
            service_type=sewing,
            delivered_on=day,
            beneficiaries=1200 + n,
            cost_rials=987_654_321_000 + n,
            status=RecordStatus.SUBMITTED,
            notes=f"پروندهٔ {CASE_CODE}{n}",
        )
        if n < 3:  # Helal did the same in the same week: parallel work, one household twice
            other = make_record(house=helal_house, service_type=sewing, delivered_on=day)
            link_households(record, household)
            link_households(other, household)
    for _ in range(3):
        make_household(neighbourhood=neighbourhood, agency=agency, members=12)
    for n in range(26):
        article = make_article(
            title=f"برگزاری {SERVICE} در {NEIGHBOURHOOD} با حضور {n} نفر",
            tags=[CASE_CODE],
        )
    article.title = f"گزارش کامل در {ADDRESS}"
    article.save()
    make_comment(article=article, approved=False, text=f"پرونده را با کد {CASE_CODE} پیگیری کنید")
    return users, objects


def pages_for(role: str) -> list[str]:
    """The names of the panel pages *role* may open: a GET the matrix answers 200."""
    names = panel_url_names()
    assert sorted(set(names) - set(MATRIX)) == [], "add these to MATRIX"
    return [name for name in names if MATRIX[name][0] == "get" and MATRIX[name][2][role] == 200]


@pytest.mark.parametrize("role", WALKERS)
def test_every_panel_page_fits_a_phone(chromium, live_server, media_root, busy_world, role):
    users, objects = busy_world
    opened, too_wide = [], []
    label = f"panel-phone-{role}"
    with watched_context(chromium, live_server.url, viewport=PHONE, label=label) as context:
        page = context.new_page()
        page.width_name = "phone"
        sign_in(page, live_server, users.get(role))
        for name in pages_for(role):
            kwargs = {key: _url_value(objects, value) for key, value in MATRIX[name][1].items()}
            url = live_server.url + reverse(name, kwargs=kwargs)
            # Asked first without the page: a download would end the navigation instead.
            answer = context.request.get(url, max_redirects=0)
            assert answer.status == 200, (name, answer.status)
            if not answer.headers.get("content-type", "").startswith("text/html"):
                continue
            assert page.goto(url).status == 200, name
            screenshot(page, f"panel-{role}-{name.replace(':', '-')}")
            assert page.evaluate("document.documentElement.dir") == "rtl", name
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{name}: {width} px, {page.evaluate(STICKING_OUT)}")
            loose = page.evaluate(LOOSE_TABLES)
            if loose:
                too_wide.append(f"{name}: {loose}")
            opened.append(name)
        assert not too_wide, "wider than the phone:\n" + "\n".join(too_wide)
    assert opened  # the walk reached the pages at all


def test_the_walk_reaches_every_panel_page_someone_may_open():
    """The walkers between them open every page the matrix lets anyone open; a page only
    another role may see needs that role added to WALKERS."""
    walked = {name for role in WALKERS for name in pages_for(role)}
    pages = {
        name
        for name, (method, _kwargs, expected) in MATRIX.items()
        if method == "get" and 200 in expected.values()
    }
    assert sorted(pages - walked) == []


def test_a_long_section_row_scrolled_to_its_end_keeps_the_page_narrow(
    chromium, live_server, media_root, busy_world
):
    """A coordinator who also moderates comments has the longest row of section links; on the
    comments page the row scrolls to its last link, past the pending comments' badge, and the
    badge's hidden label once widened the page to 877 px."""
    users, _objects = busy_world
    coordinator = users["coordinator"]
    coordinator.groups.add(ensure_groups()[MODERATOR_GROUP])
    with watched_context(chromium, live_server.url, viewport=PHONE, label="panel-nav") as context:
        page = context.new_page()
        page.width_name = "phone"
        sign_in(page, live_server, coordinator)
        assert page.goto(live_server.url + reverse("news_panel:comments")).status == 200
        row = page.locator(".panel-nav .nav")
        assert row.evaluate("(row) => row.scrollWidth > row.clientWidth")  # the row does scroll
        assert page.locator(".news-pending-badge").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
