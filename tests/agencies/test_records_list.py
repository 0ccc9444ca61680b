"""The records list: filters in the URL, sorting, pagination and a query count that stays put."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import make_house, make_neighbourhood, make_record, make_service_type

LIST = reverse("agencies_panel:list")


def _shown(response):
    return [record.pk for record in response.context["records"]]


@pytest.fixture
def records(program):
    """Four records: two agencies, two cities, two domains, dates a month apart."""
    return {
        "emdad_semnan": make_record(
            house=program.emdad_semnan,
            service_type=program.visit,
            delivered_on=dt.date(2025, 5, 1),
            beneficiaries=30,
            cost_rials=1_000,
            notes="ویزیت ۱۲ سالمند در مسجد",
        ),
        "emdad_shahrud": make_record(
            house=program.emdad_shahrud,
            service_type=program.workshop,
            delivered_on=dt.date(2025, 6, 1),
            beneficiaries=10,
            cost_rials=9_000,
            notes="كلاس خياطي براي بانوان",  # typed with an Arabic keyboard
        ),
        "helal_semnan": make_record(
            house=program.helal_semnan,
            service_type=program.workshop,
            delivered_on=dt.date(2025, 7, 1),
            beneficiaries=20,
            cost_rials=5_000,
        ),
        "helal_shahrud": make_record(
            house=program.helal_shahrud,
            service_type=program.visit,
            delivered_on=dt.date(2025, 8, 1),
            beneficiaries=40,
            cost_rials=2_000,
        ),
    }


def test_agency_staff_list_only_their_agency(client, people, records):
    client.force_login(people.staff)
    response = client.get(LIST)
    assert _shown(response) == [records["emdad_shahrud"].pk, records["emdad_semnan"].pk]


def test_city_limited_staff_list_only_their_cities(client, people, records):
    client.force_login(people.city_staff)
    assert _shown(client.get(LIST)) == [records["emdad_semnan"].pk]


def test_filter_choices_come_from_the_users_scope(client, program, people, records):
    client.force_login(people.city_staff)
    form = client.get(LIST).context["filter_form"]
    assert list(form.fields["city"].queryset) == [program.semnan]
    assert list(form.fields["neighbourhood"].queryset) == [program.zarrin]
    assert "agency" not in form.fields  # one agency: nothing to choose


def test_coordinator_chooses_among_all_agencies(client, program, people, records):
    client.force_login(people.coordinator)
    form = client.get(LIST).context["filter_form"]
    assert set(form.fields["agency"].queryset) == {program.emdad, program.helal}
    assert set(form.fields["city"].queryset) == {program.semnan, program.shahrud}


def test_filter_value_outside_the_scope_is_an_error_not_a_leak(client, program, people, records):
    client.force_login(people.city_staff)
    response = client.get(LIST, {"city": program.shahrud.pk})
    assert "city" in response.context["filter_form"].errors
    assert _shown(response) == [records["emdad_semnan"].pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"city": "semnan"}, ["helal_semnan", "emdad_semnan"]),
        ({"neighbourhood": "kowsar"}, ["helal_shahrud", "emdad_shahrud"]),
        ({"agency": "helal"}, ["helal_shahrud", "helal_semnan"]),
        ({"domain": "jobs"}, ["helal_semnan", "emdad_shahrud"]),
        ({"service_type": "visit"}, ["helal_shahrud", "emdad_semnan"]),
        ({"date_from": "۱۴۰۴/۰۳/۱۱", "date_to": "1404/4/9"}, ["emdad_shahrud"]),
        ({"date_from": "1404/3/11", "date_to": "۱۴۰۴/۰۴/۱۰"}, ["helal_semnan", "emdad_shahrud"]),
        ({"city": "semnan", "domain": "jobs"}, ["helal_semnan"]),
    ],
)
def test_filters(client, program, people, records, params, expected):
    client.force_login(people.coordinator)
    query = {
        key: getattr(program, value).pk if hasattr(program, value) else value
        for key, value in params.items()
    }
    response = client.get(LIST, query)
    assert _shown(response) == [records[name].pk for name in expected]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("زرين", ["helal_semnan", "emdad_semnan"]),  # Arabic yeh finds «کوی زرین»
        ("کویزرین", ["helal_semnan", "emdad_semnan"]),  # spacing does not matter
        ("ویزیت", ["helal_shahrud", "emdad_semnan"]),  # service type name
        ("درمان", ["helal_shahrud", "emdad_semnan"]),  # domain name
        ("خیاطی", ["emdad_shahrud"]),  # notes typed with Arabic letters
        ("12 سالمند", ["emdad_semnan"]),  # notes with Persian digits, query with Latin ones
    ],
)
def test_free_text_meets_spelling_variants(client, people, records, query, expected):
    client.force_login(people.coordinator)
    response = client.get(LIST, {"q": query})
    assert _shown(response) == [records[name].pk for name in expected]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-date", ["helal_shahrud", "helal_semnan", "emdad_shahrud", "emdad_semnan"]),
        ("date", ["emdad_semnan", "emdad_shahrud", "helal_semnan", "helal_shahrud"]),
        ("-beneficiaries", ["helal_shahrud", "emdad_semnan", "helal_semnan", "emdad_shahrud"]),
        ("cost", ["emdad_semnan", "helal_shahrud", "helal_semnan", "emdad_shahrud"]),
        ("-cost", ["emdad_shahrud", "helal_semnan", "helal_shahrud", "emdad_semnan"]),
        ("neighbourhood", ["helal_shahrud", "emdad_shahrud", "helal_semnan", "emdad_semnan"]),
    ],
)
def test_sorting(client, people, records, sort, expected):
    client.force_login(people.coordinator)
    response = client.get(LIST, {"sort": sort})
    assert _shown(response) == [records[name].pk for name in expected]


def test_unknown_sort_falls_back_to_newest_first(client, people, records):
    client.force_login(people.coordinator)
    response = client.get(LIST, {"sort": "house__agency__members__user__password"})
    assert response.status_code == 200
    assert _shown(response)[0] == records["helal_shahrud"].pk


def test_bad_dates_in_the_filter_get_a_persian_message(client, people, records):
    client.force_login(people.coordinator)
    response = client.get(LIST, {"date_from": "۱۴۰۴/۰۵/۰۱", "date_to": "۱۴۰۴/۰۴/۰۱"})
    assert response.status_code == 200
    assert "«تا تاریخ» نباید پیش از «از تاریخ» باشد." in response.content.decode()


def test_pages_of_25_with_links_that_keep_the_filters(client, program, people):
    for day in range(30):
        make_record(
            house=program.emdad_semnan,
            service_type=program.visit,
            delivered_on=dt.date(2025, 1, 1) + dt.timedelta(days=day),
        )
    client.force_login(people.coordinator)
    first = client.get(LIST, {"agency": program.emdad.pk, "sort": "date"})
    assert len(first.context["records"]) == 25
    html = first.content.decode()
    assert "۳۰ خدمت" in html
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', html).group(1)
    assert f"agency={program.emdad.pk}" in next_link
    assert "sort=date" in next_link
    second = client.get(LIST + next_link.replace("&amp;", "&"))
    assert len(second.context["records"]) == 5
    assert second.context["page_obj"].number == 2


def test_page_past_the_end_shows_the_last_page(client, people, records):
    client.force_login(people.coordinator)
    response = client.get(LIST, {"page": "۹۹"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_numbers_and_dates_are_persian(client, people, records):
    client.force_login(people.coordinator)
    html = client.get(LIST).content.decode()
    assert "۱۴۰۴/۰۵/۱۰" in html  # 2025-08-01
    assert "۹٬۰۰۰" in html


def _spread_records(program, count):
    """*count* records over several houses, agencies and service types."""
    houses = [
        program.emdad_semnan,
        program.emdad_shahrud,
        program.helal_semnan,
        program.helal_shahrud,
    ]
    for _ in range(2):
        neighbourhood = make_neighbourhood(city=program.semnan)
        houses += [make_house(agency=program.emdad, neighbourhood=neighbourhood)]
        houses += [make_house(agency=program.helal, neighbourhood=neighbourhood)]
    types = [program.visit, program.workshop, make_service_type(domain=program.jobs)]
    for n in range(count):
        make_record(
            house=houses[n % len(houses)],
            service_type=types[n % len(types)],
            delivered_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
            notes=f"یادداشت {n}",
        )


@pytest.mark.parametrize("count", [5, 60])
@pytest.mark.parametrize("role", ["coordinator", "city_staff"])
def test_list_query_count_does_not_grow_with_records(
    client, program, people, django_assert_max_num_queries, count, role
):
    _spread_records(program, count)
    client.force_login(getattr(people, role))
    # 15 for the page (the page's rows are read by their ids first, then with their joins:
    # core.pagination.BoundedPaginator), and for a coordinator 1 more: whether demo data is
    # still there.
    with django_assert_max_num_queries(16):
        response = client.get(LIST, {"q": "یادداشت", "sort": "neighbourhood"})
    assert response.status_code == 200
    assert len(response.context["records"]) > 0
