"""The public agency pages and the named queries behind them (agencies/selectors.py)."""

import pytest

from agencies import selectors
from tests.factories import add_records, record_service

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def figures(rows):
    return {
        row.subject.slug: (row.records, row.beneficiaries, row.households, row.cost) for row in rows
    }


# --- Selectors --------------------------------------------------------------------------


def test_overview_counts_active_houses_and_live_records(places):
    places.houses["behzisti"].is_active = False
    places.houses["behzisti"].save()
    overview = selectors.agencies_overview()
    assert [s.agency.slug for s in overview] == ["ehsan", "emdad", "helal", "behzisti"]
    assert {s.agency.slug: s.house_count for s in overview} == {
        "ehsan": 1,
        "emdad": 2,
        "helal": 1,
        "behzisti": 0,
    }
    assert figures(s.totals for s in overview) == {
        "ehsan": (0, 0, 0, 0),  # its one record is deleted
        "emdad": (3, 530, 97, 57_500_000),
        "helal": (1, 30, 6, 0),
        "behzisti": (0, 0, 0, 0),
    }


def test_agency_totals_by_domain_list_every_domain(places):
    rows = selectors.agency_totals_by_domain(places.agencies["emdad"])
    assert figures(rows) == {
        "health": (2, 510, 92, 45_000_000),
        "jobs": (1, 20, 5, 12_500_000),
        "housing": (0, 0, 0, 0),
    }


def test_agency_totals_by_city_cover_the_cities_of_its_houses(places):
    assert figures(selectors.agency_totals_by_city(places.agencies["emdad"])) == {
        "semnan": (2, 30, 7, 17_500_000),
        "shahrud": (1, 500, 90, 40_000_000),
    }
    assert figures(selectors.agency_totals_by_city(places.agencies["ehsan"])) == {
        "semnan": (0, 0, 0, 0)
    }


def test_agency_houses_are_ordered_by_city_then_neighbourhood(places):
    houses = selectors.agency_houses(places.agencies["emdad"])
    assert [h.neighbourhood.city.name for h in houses] == ["سمنان", "شاهرود"]


# --- Pages ------------------------------------------------------------------------------


def test_index_shows_the_four_agencies_with_houses_and_totals(client, places):
    html = html_of(client.get("/agencies/"))
    for slug, house in [("ehsan", "خانه احسان"), ("emdad", "خانه امداد"), ("helal", "خانه هلال")]:
        assert f'href="/agencies/{slug}/"' in html
        assert house in html
    assert "house-emdad" in html  # the agency's colour comes from a class, not a style
    assert "۵۳۰" in html  # Emdad's beneficiaries
    assert "۵۶۰" in html  # all agencies together
    assert "۱٬۵۶۰" not in html  # never with the deleted record


def test_the_index_never_shows_an_agencys_handful_of_beneficiaries(client, places):
    # Behzisti served three people: the card does not say how many, and its guard (the
    # smallest other non-zero figure, Helal's 30) is withheld so the total tells nothing.
    record_service(
        house=places.houses["behzisti"], service_type=places.workshop, beneficiaries=3, households=1
    )
    response = client.get("/agencies/")
    shown = {
        summary.agency.slug: cells.beneficiaries for summary, cells in response.context["overview"]
    }
    assert [str(shown[slug]) for slug in ("ehsan", "emdad", "helal", "behzisti")] == [
        "۰",
        "۵۳۰",
        "پنهان",
        "کمتر از ۵",
    ]
    assert str(response.context["total"].beneficiaries) == "۵۶۳"


def test_detail_shows_houses_by_city_and_totals(client, places):
    response = client.get("/agencies/emdad/")
    html = html_of(response)
    assert "<h1" in html and "خانه امداد" in html
    assert "کمیته امداد امام خمینی (ره)" in html
    houses = html[html.index('id="houses-title"') :]
    assert houses.index(">سمنان<") < houses.index("کوی زرین") < houses.index(">شاهرود<")
    assert 'href="/neighbourhoods/SHR-001/"' in html
    assert 'href="/neighbourhoods/city/shahrud/"' in html  # the by-city table links the city
    assert "به تفکیک حوزه" in html and "به تفکیک شهر" in html
    assert "۵۷٫۵" in html  # 57,500,000 Rials in millions
    assert response.context["total"].beneficiaries.value == 530


def test_detail_of_an_agency_without_records_says_so(client, places):
    html = html_of(client.get("/agencies/behzisti/"))
    assert "هنوز خدمتی از این دستگاه ثبت نشده است" in html


def test_unknown_agency_is_404(client, places):
    assert client.get("/agencies/no-such-agency/").status_code == 404


def test_get_absolute_url_leads_to_the_page(client, places):
    assert client.get(places.agencies["helal"].get_absolute_url()).status_code == 200


def test_a_new_record_shows_on_the_next_anonymous_visit(
    client, places, django_capture_on_commit_callbacks
):
    assert client.get("/agencies/helal/").context["total"].records == 1
    with django_capture_on_commit_callbacks(execute=True):
        record_service(
            house=places.houses["helal"],
            service_type=places.workshop,
            beneficiaries=5,
            households=1,
        )
    assert client.get("/agencies/helal/").context["total"].records == 2


def test_empty_index_says_so(client, db):
    assert "هنوز دستگاهی در سامانه ثبت نشده است" in html_of(client.get("/agencies/"))


@pytest.mark.parametrize("extra", [4, 80])
def test_agency_pages_queries_do_not_grow_with_records(
    client, places, extra, django_assert_max_num_queries
):
    add_records(places, extra)
    # 2 for the page, 1 for the page cache's next scheduled change (asked once, then cached)
    with django_assert_max_num_queries(3):
        assert client.get("/agencies/").status_code == 200
    # 6 for the page, 1 for its news, 1-2 for exhibit cards (exhibits, then their photos)
    with django_assert_max_num_queries(9):
        response = client.get("/agencies/emdad/")
    assert response.context["total"].records == 3 + extra // 4
