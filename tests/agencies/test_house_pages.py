"""The house pages of the panel: the list and its filters, the edit page, the history page."""

import pytest
from django.urls import reverse

from agencies.house_services import house_update, shown_phone
from agencies.models import House
from core.jalali import format_datetime
from tests.factories import (
    edited,
    make_house,
    make_neighbourhood,
    make_record,
    make_user,
)

LIST = reverse("houses_panel:list")


def edit_url(house):
    return reverse("houses_panel:edit", args=[house.pk])


def history_url(house):
    return reverse("houses_panel:history", args=[house.pk])


def edit_data(**overrides):
    data = {
        "address": "سمنان، کوی زرین، کوچهٔ ۵، پلاک ۱۲",
        "phone": "۰۲۳-۳۳۴۵۱۲۳۴",
        "manager_name": "علی رضایی",
        "opened_on": "۱۴۰۱/۰۲/۱۱",
        "is_active": "on",
    }
    return data | overrides


def listed(response):
    return list(response.context["houses"])


@pytest.fixture
def coordinator_client(client, people):
    client.force_login(people.coordinator)
    return client


def test_coordinator_edits_a_house_and_its_history_says_who_changed_what(
    coordinator_client, program, people
):
    house = program.emdad_semnan
    response = coordinator_client.post(edit_url(house), edit_data())
    assert response.status_code == 302
    house.refresh_from_db()
    assert (house.phone, house.manager_name, str(house.opened_on)) == (
        "023-33451234",
        "علی رضایی",
        "2022-05-01",
    )

    page = coordinator_client.get(history_url(house))
    changed = page.context["entries"][-1]
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("نشانی", "—", "سمنان، کوی زرین، کوچهٔ ۵، پلاک ۱۲"),
        ("تلفن", "—", shown_phone("023-33451234")),
        ("مسئول خانه", "—", "علی رضایی"),
        ("تاریخ گشایش", "—", "۱۴۰۱/۰۲/۱۱"),
    ]
    html = page.content.decode()
    assert format_datetime(house.history.latest().history_date) in html
    assert people.coordinator.get_username() in html


def test_deactivating_in_the_page_says_so_and_keeps_the_records(
    coordinator_client, program, emdad_record
):
    data = edit_data()
    del data["is_active"]
    coordinator_client.post(edit_url(program.emdad_semnan), data)
    program.emdad_semnan.refresh_from_db()
    assert program.emdad_semnan.is_active is False

    html = coordinator_client.get(edit_url(program.emdad_semnan)).content.decode()
    assert "این خانه غیرفعال است" in html
    assert "۱ خدمت در آن ثبت شده است که می‌ماند" in html
    inactive = coordinator_client.get(LIST, {"status": "inactive"})
    assert [(h, h.record_count) for h in listed(inactive)] == [(program.emdad_semnan, 1)]


def test_a_bad_phone_is_refused_in_persian_and_changes_nothing(coordinator_client, program):
    response = coordinator_client.post(edit_url(program.emdad_semnan), edit_data(phone="ندارم"))
    assert response.status_code == 200
    assert f"«{shown_phone('ندارم')}» شمارهٔ تلفن نیست" in response.content.decode()
    program.emdad_semnan.refresh_from_db()
    assert program.emdad_semnan.manager_name == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"opened_on": "۱۴۰۱/۱۳/۰۱"}, "ماه"),
        ({"opened_on": "۱۴۹۹/۰۱/۰۱"}, "نمی‌تواند در آینده باشد"),
        ({"address": "ا" * 301}, "۳۰۰"),
        ({"manager_name": "علی\x00"}, "کاراکترهای تهی مجاز نیستند."),
    ],
)
def test_bad_input_is_a_form_error_not_a_save(coordinator_client, program, changes, message):
    response = coordinator_client.post(edit_url(program.emdad_semnan), edit_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    program.emdad_semnan.refresh_from_db()
    assert program.emdad_semnan.phone == ""


def test_anonymous_visitors_are_sent_to_login(client, program):
    for url in (LIST, edit_url(program.emdad_semnan), history_url(program.emdad_semnan)):
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/panel/login/")


@pytest.mark.parametrize("who", ["staff", "city_staff", "viewer", "outsider"])
def test_those_who_do_not_keep_the_province_get_403(client, program, people, who):
    client.force_login(getattr(people, who))
    house = program.emdad_semnan
    got = [
        client.get(LIST).status_code,
        client.get(edit_url(house)).status_code,
        client.post(edit_url(house), edit_data()).status_code,
        client.get(history_url(house)).status_code,
    ]
    assert got == [403] * 4
    house.refresh_from_db()
    assert house.manager_name == ""


def test_another_agencys_clerk_is_told_the_house_does_not_exist(client, program, people):
    client.force_login(people.helal_staff)
    assert client.get(edit_url(program.emdad_semnan)).status_code == 404


def test_the_nav_link_is_for_coordinators(client, program, people):
    for who, shown in (("coordinator", True), ("superuser", True), ("staff", False)):
        client.force_login(getattr(people, who))
        assert (f'href="{LIST}"' in client.get("/panel/").content.decode()) is shown


def test_filters_by_city_agency_and_status(coordinator_client, program, people):
    house_update(house=edited(program.helal_shahrud, is_active=False), user=people.coordinator)
    query = {"city": program.shahrud.pk, "agency": program.helal.pk, "status": "inactive"}
    assert listed(coordinator_client.get(LIST, query)) == [program.helal_shahrud]
    assert len(listed(coordinator_client.get(LIST, {"status": "active"}))) == 3


@pytest.mark.parametrize("query", ["كوي زرين", "کوی‌زرین", "کویزرین", "  کوی   زرین "])
def test_search_finds_the_neighbourhood_whatever_the_spelling(coordinator_client, program, query):
    found = listed(coordinator_client.get(LIST, {"q": query}))
    assert found == [program.emdad_semnan, program.helal_semnan]


def test_search_finds_a_code_in_persian_digits_and_any_case(coordinator_client, program):
    coded = make_house(
        agency=program.emdad, neighbourhood=make_neighbourhood(city=program.semnan, code="SMN-042")
    )
    assert listed(coordinator_client.get(LIST, {"q": "smn-۰۴۲"})) == [coded]


@pytest.mark.parametrize(
    "query",
    [
        {"city": "abc"},
        {"city": "99999999999999999999999"},
        {"agency": "-1"},
        {"agency": "1e9999"},
        {"status": "maybe"},
        {"page": "999999999999999999999"},
        {"q": "ا" * 5000},
        {"q": "%_"},
    ],
)
def test_absurd_filters_give_a_normal_page(coordinator_client, program, query):
    response = coordinator_client.get(LIST, query)
    assert response.status_code == 200
    assert len(listed(response)) == 4 or query == {"q": "%_"}


@pytest.mark.parametrize(
    "query", [{"q": "\x00"}, {"q": "کوی\x00زرین"}, {"city": "\x00"}, {"page": "\x00"}]
)
def test_a_nul_byte_in_a_filter_is_a_persian_400(coordinator_client, program, query):
    response = coordinator_client.get(LIST, query)
    assert response.status_code == 400
    assert "نویسهٔ نامجاز" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(coordinator_client, program):
    response = coordinator_client.get(LIST, {"page": "50"})
    assert response.context["page_obj"].number == 1


def _more_houses(program, count):
    for _ in range(count):
        neighbourhood = make_neighbourhood(city=program.semnan)
        house = make_house(agency=program.emdad, neighbourhood=neighbourhood, phone="023-1111")
        make_record(house=house, service_type=program.visit)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_list_runs_a_bounded_number_of_queries(
    coordinator_client, program, django_assert_max_num_queries, extra
):
    _more_houses(program, extra)
    with django_assert_max_num_queries(10):
        response = coordinator_client.get(LIST, {"q": "محله", "status": "active"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert coordinator_client.get(LIST).status_code == 200


def test_the_table_shows_persian_digits_and_is_cards_on_a_phone(coordinator_client, program):
    house_update(
        house=edited(program.emdad_semnan, phone="023-1234"), user=make_user(superuser=True)
    )
    html = coordinator_client.get(LIST).content.decode()
    assert "۰۲۳-۱۲۳۴" in html
    assert "records-table" in html  # the panel CSS turns it into cards under 768 px
    assert House.objects.count() == 4
