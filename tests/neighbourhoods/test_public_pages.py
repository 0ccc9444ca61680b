"""The public neighbourhood pages: the list by city, a city, and one neighbourhood."""

import pytest

from agencies.access import SYSTEM
from agencies.models import ServiceRecord
from coordination.division import responsibility_save
from coordination.models import Responsibility
from tests.factories import add_records, build_places, record_service

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


# --- The list ---------------------------------------------------------------------------


def test_list_groups_neighbourhoods_under_their_city(client, places):
    html = html_of(client.get("/neighbourhoods/"))
    assert html.index(">سمنان</a>") < html.index("کوی زرین") < html.index(">شاهرود</a>")
    assert html.index(">شاهرود</a>") < html.index("کوثر")
    assert 'href="/neighbourhoods/SMN-001/"' in html
    assert 'href="/neighbourhoods/city/semnan/"' in html
    assert "۲ محله در ۲ شهر" in html
    assert "۴٬۲۰۰ نفر" in html


def test_search_finds_a_neighbourhood_however_it_is_spelt(client, places):
    html = html_of(client.get("/neighbourhoods/", {"q": "كوي‌زرين"}))
    assert "کوی زرین" in html
    assert "کوثر" not in html
    assert "نتیجهٔ جست‌وجوی «كوي‌زرين»" in html


def test_search_without_a_match_says_so(client, places):
    html = html_of(client.get("/neighbourhoods/", {"q": "ناکجاآباد"}))
    assert "محله‌ای با نام «ناکجاآباد» پیدا نشد" in html


def test_demo_notice_shows_only_for_demo_neighbourhoods(client, db):
    build_places(demo=True)
    html = html_of(client.get("/neighbourhoods/"))
    assert "فهرست نمایشی" in html
    assert "demo-badge" in html


def test_real_neighbourhoods_have_no_demo_notice(client, places):
    html = html_of(client.get("/neighbourhoods/"))
    assert "فهرست نمایشی" not in html
    assert "demo-badge" not in html


def test_city_page_lists_only_that_city(client, places):
    html = html_of(client.get("/neighbourhoods/city/shahrud/"))
    assert "محله‌های شاهرود" in html
    assert "کوثر" in html
    assert "کوی زرین" not in html
    assert client.get("/neighbourhoods/city/nowhere/").status_code == 404


def test_empty_list_says_so(client, db):
    assert "هنوز محله‌ای در سامانه ثبت نشده است" in html_of(client.get("/neighbourhoods/"))


# --- One neighbourhood ------------------------------------------------------------------


def test_profile_shows_place_and_figures(client, places):
    html = html_of(client.get("/neighbourhoods/SMN-001/"))
    assert "<h1" in html and "کوی زرین" in html
    assert "شهر سمنان، شهرستان سمنان، استان سمنان" in html
    assert "۴٬۲۰۰ نفر" in html
    assert "۱٬۱۵۰" in html
    assert "محله‌ای قدیمی در شمال شهر." in html
    assert "نمایشی" not in html


def test_the_four_houses_with_address_phone_and_manager(client, places):
    html = html_of(client.get("/neighbourhoods/SMN-001/"))
    for house in ["خانه احسان", "خانه امداد", "خانه هلال", "خانه بهزیستی"]:
        assert house in html
    assert "سمنان، کوی زرین، کوچهٔ ۲" in html
    assert "۰۲۳-۳۳۴۵-۰۰۰۲" in html
    assert "مسئول خانه امداد" in html
    assert 'href="/agencies/emdad/"' in html


def test_totals_count_only_live_records_of_this_neighbourhood(client, places):
    response = client.get("/neighbourhoods/SMN-001/")
    total = response.context["total"]
    assert (total.records, total.beneficiaries.value, total.households.value, total.cost) == (
        3,
        60,
        13,
        17_500_000,
    )
    html = html_of(response)
    assert "۱۷٫۵" in html  # 17,500,000 Rials shown in millions
    assert "۶۰</td>" in html
    assert "۱٬۰۶۰" not in html  # with the deleted record's 1,000 beneficiaries
    assert "۵۶۰" not in html  # with Kowsar's 500


def test_tables_by_domain_and_agency_are_shown(client, places):
    html = html_of(client.get("/neighbourhoods/SMN-001/"))
    assert "به تفکیک حوزه" in html
    assert "به تفکیک دستگاه" in html
    assert "ذی‌نفعان هر حوزه در هر خانه" in html
    assert "table-responsive" in html
    for domain in ["درمان و سلامت", "اشتغال", "مسکن"]:
        assert domain in html


def test_never_shows_a_person_or_a_note(client, places):
    ServiceRecord.objects.update(notes="خانم فاطمه رضایی، کوچهٔ سوم")
    html = html_of(client.get("/neighbourhoods/SMN-001/"))
    assert "فاطمه" not in html


def test_a_neighbourhood_without_records_says_so(client, places):
    ServiceRecord.objects.filter(house__neighbourhood=places.kowsar).delete()
    html = html_of(client.get("/neighbourhoods/SHR-001/"))
    assert "کوثر" in html
    assert "هنوز خدمتی برای این محله ثبت نشده است" in html
    assert "به تفکیک حوزه" not in html


def test_demo_neighbourhood_page_has_a_badge_and_a_notice(client, db):
    build_places(demo=True)
    html = html_of(client.get("/neighbourhoods/SMN-001/"))
    assert 'class="badge demo-badge' in html
    assert "این محله نمایشی است" in html


def test_unknown_code_is_404(client, places):
    assert client.get("/neighbourhoods/NOPE-1/").status_code == 404


def test_get_absolute_url_leads_to_the_page(client, places):
    assert client.get(places.zarrin.get_absolute_url()).status_code == 200


@pytest.fixture
def own_cache(settings):
    """A cache of this test process alone: other test runs may share the file cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "neighbourhood-page-tests",
        }
    }


def test_a_new_record_shows_on_the_next_anonymous_visit(
    client, own_cache, places, django_capture_on_commit_callbacks
):
    assert client.get("/neighbourhoods/SMN-001/").context["total"].records == 3
    assert client.get("/neighbourhoods/SMN-001/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        record_service(
            house=places.houses["behzisti"],
            service_type=places.workshop,
            beneficiaries=7,
            households=1,
        )
    response = client.get("/neighbourhoods/SMN-001/")
    assert response["X-Page-Cache"] == "miss"
    assert response.context["total"].beneficiaries.value == 67


def lead(places, domain, agency, *supporters):
    """*agency* leads *domain* in «کوی زرین», through the service (so the page cache hears)."""
    return responsibility_save(
        responsibility=Responsibility(
            neighbourhood=places.zarrin, domain=domain, lead=places.agencies[agency]
        ),
        supporters=[places.agencies[slug] for slug in supporters],
        user=SYSTEM,
    )


def test_a_change_in_the_division_shows_on_the_next_anonymous_visit(
    client, own_cache, places, django_capture_on_commit_callbacks
):
    assert "هنوز تعیین نشده" in client.get("/neighbourhoods/SMN-001/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        lead(places, places.health, "helal", "behzisti")
    response = client.get("/neighbourhoods/SMN-001/")
    assert response["X-Page-Cache"] == "miss"
    assert response.context["division"][0].lead == places.agencies["helal"]


@pytest.mark.parametrize("extra", [4, 80])
def test_neighbourhood_page_queries_do_not_grow_with_records(
    client, places, extra, django_assert_max_num_queries
):
    add_records(places, extra)
    lead(places, places.health, "helal", "behzisti", "ehsan")
    lead(places, places.jobs, "emdad", "ehsan")
    # 9 for the page, 3 for its division (domains, leads, supporters), 1 for its news, 1-2 for
    # exhibit cards (exhibits, then their photos)
    with django_assert_max_num_queries(15):
        response = client.get("/neighbourhoods/SMN-001/")
    assert response.context["total"].records == 3 + extra


@pytest.mark.parametrize("extra", [4, 80])
def test_list_queries_do_not_grow_with_records(
    client, places, extra, django_assert_max_num_queries
):
    add_records(places, extra)
    # 3 for the page, 1 for the page cache's next scheduled change (asked once, then cached)
    with django_assert_max_num_queries(4):
        assert client.get("/neighbourhoods/").status_code == 200
