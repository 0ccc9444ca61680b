"""The household registry's staff pages: the list, registering, a household's page, editing
and removing an identity. The access log and the look-up by national ID are in
test_household_access_log.py.

Emdad and Helal both keep a house in «کوی زرین» (Semnan) and «کوثر» (Shahrud).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import ConsentScope, Household, HouseholdAccess, HouseholdMember
from core.crypto import identity_hash
from core.digits import to_persian_digits
from core.forms import JalaliDateField
from tests.factories import (
    link_households,
    make_household,
    make_record,
    valid_national_id,
)

LIST = reverse("households_panel:list")
REGISTER = reverse("households_panel:register")
HEAD_ID = valid_national_id(7_000_001)
HEAD_NAME = "فاطمه آزمونی‌پور"


def jalali(day: datetime.date) -> str:
    """*day* as the date field shows it: ``۱۴۰۴/۰۷/۰۹``."""
    return JalaliDateField().prepare_value(day)


def today() -> datetime.date:
    return timezone.localdate()


def detail(household) -> str:
    return reverse("households_panel:detail", args=[household.pk])


def consent_data(**overrides) -> dict:
    """The POST of a registration with consent for the whole program, for a year."""
    data = {
        "members": "۴",
        "female_headed": "on",
        "national_id": to_persian_digits(HEAD_ID),
        "head_name": HEAD_NAME,
        "member_ids": "",
        "consent_given_on": jalali(today()),
        "consent_scope": ConsentScope.PROGRAM,
        "consent_until": jalali(today() + datetime.timedelta(days=365)),
    }
    data.update(overrides)
    return data


@pytest.fixture
def emdad_household(program):
    return make_household(
        neighbourhood=program.zarrin,
        agency=program.emdad,
        national_id=HEAD_ID,
        name=HEAD_NAME,
        members=5,
        has_elderly_member=True,
    )


# --- The list --------------------------------------------------------------------------------


def test_a_viewer_is_refused_the_list(client, people):
    client.force_login(people.viewer)
    assert client.get(LIST).status_code == 403


def test_the_list_shows_the_agencys_households_and_the_ones_it_served(
    client, program, people, emdad_household
):
    served = make_household(neighbourhood=program.zarrin, agency=program.helal)
    link_households(make_record(house=program.emdad_semnan), served)
    make_household(neighbourhood=program.zarrin, agency=program.helal)  # Helal's only
    client.force_login(people.staff)
    response = client.get(LIST)
    shown = {household.pk for household in response.context["households"]}
    assert shown == {emdad_household.pk, served.pk}


def test_the_list_shows_the_masked_id_only_and_never_the_name(
    client, program, people, emdad_household
):
    client.force_login(people.staff)
    html = client.get(LIST).content.decode()
    assert emdad_household.masked_national_id in html
    for secret in (HEAD_ID, to_persian_digits(HEAD_ID), HEAD_NAME):
        assert secret not in html


def test_the_list_filters_by_a_neighbourhood_of_the_scope(client, program, people):
    zarrin = make_household(neighbourhood=program.zarrin, agency=program.emdad)
    make_household(neighbourhood=program.kowsar, agency=program.emdad)
    client.force_login(people.staff)
    response = client.get(LIST, {"neighbourhood": program.zarrin.pk})
    assert [household.pk for household in response.context["households"]] == [zarrin.pk]


def test_a_neighbourhood_outside_the_scope_is_not_a_filter(client, program, people):
    make_household(neighbourhood=program.kowsar, agency=program.emdad)
    client.force_login(people.city_staff)  # Emdad in Semnan only
    response = client.get(LIST, {"neighbourhood": program.kowsar.pk})
    assert "neighbourhood" in response.context["filter_form"].errors


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_query_count_does_not_grow_with_households(
    client, program, people, django_assert_max_num_queries, count
):
    for n in range(count):
        make_household(
            neighbourhood=program.zarrin if n % 2 else program.kowsar, agency=program.emdad
        )
    client.force_login(people.staff)
    with django_assert_max_num_queries(10):
        assert client.get(LIST).status_code == 200


def test_ticked_households_open_the_record_form_with_them(client, program, people, emdad_household):
    other = make_household(neighbourhood=program.zarrin, agency=program.helal)
    client.force_login(people.staff)
    ticked = [str(emdad_household.pk), str(other.pk), "x", "٣", "9" * 30, "9999"]
    response = client.get(reverse("agencies_panel:create"), {"households": ticked})
    assert response.status_code == 200
    assert response.context["form"].listed_households == [emdad_household]


# --- Registering -----------------------------------------------------------------------------


def test_a_household_without_consent_keeps_no_name_and_no_id(client, program, people):
    client.force_login(people.staff)
    response = client.post(
        REGISTER, {"neighbourhood": program.zarrin.pk, "members": "۳", "has_disabled_member": "on"}
    )
    household = Household.objects.get()
    assert response.url == LIST
    assert (household.head_id_hash, household.head_id_sealed, household.head_name_sealed) == (
        "",
        "",
        "",
    )
    assert (household.members, household.has_disabled_member) == (3, True)
    assert household.registered_by_agency == program.emdad


def test_a_household_with_consent_is_registered_and_named_by_its_reference(client, program, people):
    client.force_login(people.staff)
    response = client.post(
        REGISTER,
        consent_data(neighbourhood=program.zarrin.pk, member_ids=valid_national_id(7_000_002)),
        follow=True,
    )
    household = Household.objects.get()
    assert household.head_id_hash == identity_hash(HEAD_ID)
    assert household.head_name == HEAD_NAME
    assert HouseholdMember.objects.filter(household=household).count() == 1
    assert [str(message) for message in response.context["messages"]] == [
        f"{household.reference} ثبت شد."
    ]


def test_the_same_head_in_the_same_neighbourhood_is_refused_and_nothing_is_stored(
    client, program, people, emdad_household
):
    client.force_login(people.staff)
    response = client.post(REGISTER, consent_data(neighbourhood=program.zarrin.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["national_id"] == [
        "خانواری با همین کد ملی سرپرست در این محله پیش‌تر ثبت شده است."
    ]
    assert Household.objects.count() == 1


def test_a_consent_that_has_ended_is_refused(client, program, people):
    client.force_login(people.staff)
    data = consent_data(
        neighbourhood=program.zarrin.pk,
        consent_given_on=jalali(today() - datetime.timedelta(days=30)),
        consent_until=jalali(today() - datetime.timedelta(days=1)),
    )
    response = client.post(REGISTER, data)
    assert response.context["form"].errors["consent_until"] == [
        "این رضایت به پایان رسیده است؛ بدون رضایت معتبر، نام ثبت نمی‌شود."
    ]
    assert not Household.objects.exists()


def test_an_id_without_a_consent_date_is_refused(client, program, people):
    client.force_login(people.staff)
    response = client.post(
        REGISTER, consent_data(neighbourhood=program.zarrin.pk, consent_given_on="")
    )
    assert "بدون رضایت خانوار، نام و کد ملی ثبت نمی‌شود" in str(
        response.context["form"].errors["consent_given_on"]
    )
    assert not Household.objects.exists()


def test_a_neighbourhood_without_the_agencys_house_is_not_offered(client, program, people):
    client.force_login(people.city_staff)  # Emdad in Semnan: «کوثر» is in Shahrud
    response = client.post(REGISTER, {"neighbourhood": program.kowsar.pk, "members": "۲"})
    assert response.context["form"].errors["neighbourhood"] == [
        "این محله در فهرست محله‌هایی که در آن خانوار ثبت می‌کنید نیست."
    ]
    assert not Household.objects.exists()


def test_a_coordinator_registers_for_the_agency_chosen(client, program, people):
    client.force_login(people.coordinator)
    client.post(
        REGISTER,
        {
            "neighbourhood": program.kowsar.pk,
            "registered_by_agency": program.helal.pk,
            "members": 2,
        },
    )
    assert Household.objects.get().registered_by_agency == program.helal


def test_save_and_next_opens_an_empty_form_with_the_neighbourhood_and_consent_date(
    client, program, people
):
    client.force_login(people.staff)
    given = today() - datetime.timedelta(days=2)
    response = client.post(
        REGISTER,
        consent_data(
            neighbourhood=program.kowsar.pk, consent_given_on=jalali(given), save_and_add="1"
        ),
        follow=True,
    )
    form = response.context["form"]
    assert not form.is_bound
    assert (form["neighbourhood"].value(), form["consent_given_on"].value()) == (
        program.kowsar.pk,
        jalali(given),
    )
    html = response.content.decode()
    assert HEAD_NAME not in html
    assert HEAD_ID not in html


def test_the_registration_ids_stay_out_of_error_reports(client, program, people):
    client.force_login(people.staff)
    response = client.post(REGISTER, consent_data(neighbourhood=program.zarrin.pk))
    hidden = response.wsgi_request.sensitive_post_parameters
    assert set(hidden) == {"national_id", "head_name", "member_ids"}


# --- A household's page ----------------------------------------------------------------------


def test_the_page_shows_the_household_without_its_id_or_name(
    client, program, people, emdad_household
):
    client.force_login(people.staff)
    response = client.get(detail(emdad_household))
    html = response.content.decode()
    assert f"<title>{emdad_household.reference} |" in html
    assert emdad_household.masked_national_id in html
    for secret in (HEAD_ID, to_persian_digits(HEAD_ID), HEAD_NAME):
        assert secret not in html


def test_the_full_id_is_shown_on_request_once_and_logged(client, program, people, emdad_household):
    client.force_login(people.staff)
    html = client.post(detail(emdad_household)).content.decode()
    assert to_persian_digits(HEAD_ID) in html
    assert HEAD_NAME in html
    shown = HouseholdAccess.objects.filter(reason="نمایش کد ملی")
    assert [(row.user, row.action, row.household) for row in shown] == [
        (people.staff, HouseholdAccess.Action.VIEW, emdad_household)
    ]
    assert to_persian_digits(HEAD_ID) not in client.get(detail(emdad_household)).content.decode()


def test_another_agencys_clerk_is_told_the_household_does_not_exist(
    client, people, emdad_household
):
    client.force_login(people.helal_staff)
    assert client.get(detail(emdad_household)).status_code == 404
    assert not HouseholdAccess.objects.exists()


def test_a_viewer_is_refused_a_household(client, people, emdad_household):
    client.force_login(people.viewer)
    assert client.get(detail(emdad_household)).status_code == 403


def test_the_page_lists_the_records_other_agencies_only_by_agency_type_and_date(
    client, program, people, emdad_household
):
    own = make_record(house=program.emdad_semnan, service_type=program.visit, notes="یادداشت امداد")
    other = make_record(
        house=program.helal_semnan, service_type=program.workshop, notes="یادداشت هلال"
    )
    link_households(own, emdad_household)
    link_households(other, emdad_household)
    client.force_login(people.staff)
    response = client.get(detail(emdad_household))
    rows = {row["record"].pk: row["full"] for row in response.context["served"]}
    assert rows == {own.pk: True, other.pk: False}
    html = response.content.decode()
    assert reverse("agencies_panel:detail", args=[own.pk]) in html
    assert reverse("agencies_panel:detail", args=[other.pk]) not in html
    assert program.workshop.name in html
    assert "یادداشت هلال" not in html


def test_a_household_the_other_agency_served_opens_for_its_clerk(
    client, program, people, emdad_household
):
    link_households(make_record(house=program.helal_semnan), emdad_household)
    client.force_login(people.helal_staff)
    assert client.get(detail(emdad_household)).status_code == 200


# --- Editing and removing the identity -------------------------------------------------------


def edit_data(household, **overrides) -> dict:
    data = {
        "members": str(household.members),
        "consent_given_on": jalali(household.consent_given_on),
        "consent_scope": household.consent_scope,
        "consent_until": jalali(household.consent_until),
        "head_name": "",
    }
    data.update(overrides)
    return data


def test_an_edit_changes_the_counts_and_keeps_the_name(client, people, emdad_household):
    client.force_login(people.staff)
    url = reverse("households_panel:edit", args=[emdad_household.pk])
    assert HEAD_NAME not in client.get(url).content.decode()
    response = client.post(url, edit_data(emdad_household, members="۶", female_headed="on"))
    assert response.url == detail(emdad_household)
    emdad_household.refresh_from_db()
    assert (emdad_household.members, emdad_household.female_headed) == (6, True)
    assert emdad_household.has_elderly_member is False  # unticked
    assert emdad_household.head_name == HEAD_NAME


def test_an_edit_corrects_the_name(client, people, emdad_household):
    client.force_login(people.staff)
    url = reverse("households_panel:edit", args=[emdad_household.pk])
    client.post(url, edit_data(emdad_household, head_name="فاطمه  آزمونی پور"))
    emdad_household.refresh_from_db()
    assert emdad_household.head_name == "فاطمه آزمونی پور"


def test_an_edit_does_not_end_consent_by_a_past_date(client, people, emdad_household):
    client.force_login(people.staff)
    url = reverse("households_panel:edit", args=[emdad_household.pk])
    response = client.post(
        url, edit_data(emdad_household, consent_until=jalali(today() - datetime.timedelta(1)))
    )
    assert "از «پاک کردن هویت» استفاده کنید" in str(
        response.context["form"].errors["consent_until"]
    )
    emdad_household.refresh_from_db()
    assert emdad_household.is_identified


def test_erasing_removes_the_identity_and_keeps_the_counts(
    client, program, people, emdad_household
):
    record = make_record(house=program.emdad_semnan)
    link_households(record, emdad_household)
    client.force_login(people.staff)
    url = reverse("households_panel:erase", args=[emdad_household.pk])
    response = client.post(url, {"reason": "خانوار رضایتش را پس گرفت"}, follow=True)
    emdad_household.refresh_from_db()
    assert (emdad_household.head_id_hash, emdad_household.head_name_sealed) == ("", "")
    assert emdad_household.members == 5
    assert emdad_household.links.get().record == record
    message = str(next(iter(response.context["messages"])))
    assert message.startswith(f"نام و کد ملی {emdad_household.reference} پاک شد. شمار اعضا")
    erased = HouseholdAccess.objects.get(action=HouseholdAccess.Action.ERASE)
    assert (erased.user, erased.reason) == (people.staff, "خانوار رضایتش را پس گرفت")


def test_erasing_needs_a_reason(client, people, emdad_household):
    client.force_login(people.staff)
    url = reverse("households_panel:erase", args=[emdad_household.pk])
    response = client.post(url, {"reason": " "})
    assert response.context["form"].errors["reason"] == ["دلیل را بنویسید؛ در دفتر دسترسی می‌ماند."]
    emdad_household.refresh_from_db()
    assert emdad_household.is_identified


def test_a_number_no_household_could_have_is_404_not_500(client, people):
    client.force_login(people.staff)
    huge = "9" * 30
    assert client.get(f"{LIST}{huge}/").status_code == 404
    assert client.get(f"{LIST}{huge}/edit/").status_code == 404


# --- The Django admin ------------------------------------------------------------------------


def test_the_admin_change_form_shows_no_identity_and_saves_the_counts(
    client, people, emdad_household
):
    client.force_login(people.superuser)
    url = reverse("admin:agencies_household_change", args=[emdad_household.pk])
    html = client.get(url).content.decode()
    for secret in (HEAD_ID, to_persian_digits(HEAD_ID), HEAD_NAME, emdad_household.head_id_hash):
        assert secret not in html
    response = client.post(
        url,
        {
            "members": "۷",
            "has_elderly_member": "on",
            "consent_given_on": jalali(emdad_household.consent_given_on),
            "consent_scope": emdad_household.consent_scope,
            "consent_until": jalali(emdad_household.consent_until),
        },
    )
    assert response.status_code == 302
    emdad_household.refresh_from_db()
    assert (emdad_household.members, emdad_household.head_name) == (7, HEAD_NAME)


def test_the_admin_neither_adds_nor_deletes_households_and_keeps_the_log_read_only(
    client, people, emdad_household
):
    client.force_login(people.superuser)
    entry = HouseholdAccess.objects.create(action=HouseholdAccess.Action.VIEW, username="x")
    assert client.get(reverse("admin:agencies_household_add")).status_code == 403
    delete = reverse("admin:agencies_household_delete", args=[emdad_household.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:agencies_householdaccess_add")).status_code == 403
    change = reverse("admin:agencies_householdaccess_change", args=[entry.pk])
    client.post(change, {"reason": "دست‌کاری"})
    entry.refresh_from_db()
    assert entry.reason == ""
    assert Household.objects.filter(pk=emdad_household.pk).exists()


def test_the_admin_action_removes_the_identity_through_the_service(client, people, emdad_household):
    client.force_login(people.superuser)
    client.post(
        reverse("admin:agencies_household_changelist"),
        {"action": "erase_identity", "_selected_action": [emdad_household.pk]},
    )
    emdad_household.refresh_from_db()
    assert not emdad_household.is_identified
    assert HouseholdAccess.objects.get().action == HouseholdAccess.Action.ERASE
