"""The account pages: a coordinator and a supervisor running accounts, temporary passwords shown
once, signing in with one and being made to change it, reset, deactivate, history, scope."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from agencies.accounts import account_update
from agencies.models import ServiceRecord, StaffMembership
from core.jalali import format_datetime
from tests.factories import StaffRole, edited, make_user

LIST = reverse("accounts_panel:list")
CREATE = reverse("accounts_panel:create")
PASSWORD = reverse("accounts_panel:password_change")
LOGIN = reverse("portal:login")
PASSWORD_SHOWN = re.compile(r'class="[^"]*temporary-password[^"]*"[^>]*>([^<]+)<')


def url(name, account):
    return reverse(f"accounts_panel:{name}", args=[account.pk])


def shown_passwords(response) -> list[str]:
    return PASSWORD_SHOWN.findall(response.content.decode())


def sign_in(client, username, password):
    """The real login form (django-axes makes the test client's login() raise)."""
    client.logout()
    return client.post(LOGIN, {"username": username, "password": password})


def clerk_data(program, **overrides):
    data = {
        "first_name": "سارا",
        "last_name": "محمدی",
        "username": "emdad.mohammadi",
        "email": "",
        "role": StaffRole.AGENCY_STAFF,
        "agency": str(program.emdad.pk),
    }
    return data | overrides


@pytest.fixture
def coordinator_client(client, people):
    client.force_login(people.coordinator)
    return client


@pytest.fixture
def supervisor_client(client, people):
    client.force_login(people.supervisor)
    return client


def test_new_clerk_signs_in_changes_the_password_and_sees_only_their_agency(
    client, program, people, emdad_record, helal_record
):
    client.force_login(people.coordinator)
    created = client.post(CREATE, clerk_data(program, cities=[str(program.semnan.pk)]))
    [password] = shown_passwords(created)

    assert sign_in(client, "emdad.mohammadi", password)["Location"] == reverse("portal:panel")
    records = reverse("agencies_panel:list")
    assert client.get(records)["Location"] == PASSWORD
    changed = client.post(
        PASSWORD,
        {
            "old_password": password,
            "new_password1": "Sahar-e-Semnan-1405",
            "new_password2": "Sahar-e-Semnan-1405",
        },
    )
    assert changed["Location"] == reverse("portal:panel")

    page = client.get(records)  # still signed in, no longer sent to change the password
    assert [record.pk for record in page.context["records"]] == [emdad_record.pk]
    assert ServiceRecord.objects.count() == 2


def test_a_temporary_password_is_shown_once_and_never_stored(coordinator_client, program):
    response = coordinator_client.post(CREATE, clerk_data(program))
    [password] = shown_passwords(response)
    assert re.fullmatch(r"[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){2}", password)
    assert "no-store" in response["Cache-Control"]
    assert password not in str(dict(coordinator_client.session))
    account = StaffMembership.objects.get(user__username="emdad.mohammadi").user
    assert shown_passwords(coordinator_client.get(url("detail", account))) == []
    assert account.membership.must_change_password is True


@pytest.mark.parametrize(
    "overrides",
    [{"agency": "helal"}, {"role": StaffRole.COORDINATOR, "agency": ""}],
    ids=["another agency", "a coordinator"],
)
def test_supervisor_cannot_create_another_agencys_account_or_a_coordinator(
    supervisor_client, program, overrides
):
    if overrides.get("agency") == "helal":
        overrides["agency"] = str(program.helal.pk)
    response = supervisor_client.post(CREATE, clerk_data(program, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not StaffMembership.objects.filter(user__username="emdad.mohammadi").exists()


def test_supervisor_sees_and_edits_their_agencys_clerks_only(supervisor_client, program, people):
    listed = {a.username for a in supervisor_client.get(LIST).context["accounts"]}
    assert listed == {"emdad_staff", "emdad_semnan"}
    assert supervisor_client.get(url("detail", people.helal_staff)).status_code == 404
    assert supervisor_client.get(url("edit", people.coordinator)).status_code == 404
    data = clerk_data(
        program, first_name="مریم", last_name="احمدی", username="emdad_staff", cities=[]
    )
    data["cities"] = [str(program.shahrud.pk)]
    assert supervisor_client.post(url("edit", people.staff), data).status_code == 302
    assert list(people.staff.membership.cities.all()) == [program.shahrud]
    refused = supervisor_client.post(url("edit", people.helal_staff), data)
    assert refused.status_code == 404


@pytest.mark.parametrize("who", ["staff", "city_staff", "viewer", "outsider"])
def test_clerks_viewers_and_users_without_role_reach_no_account_page(client, people, who):
    client.force_login(getattr(people, who))
    target = people.city_staff
    urls = [LIST, CREATE, reverse("accounts_panel:import"), url("detail", target)]
    urls += [url("edit", target), url("reset_password", target)]
    assert {client.get(address).status_code for address in urls} == {403}
    assert client.post(url("deactivate", target)).status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    for address in (LIST, CREATE, PASSWORD, url("detail", people.staff)):
        assert client.get(address)["Location"].startswith(LOGIN)


def test_reset_password_forces_a_change_and_ends_the_old_password(client, people):
    reset = client_for(people.coordinator).post(url("reset_password", people.staff))
    [password] = shown_passwords(reset)
    assert "no-store" in reset["Cache-Control"]

    assert sign_in(client, "emdad_staff", "pass-1405-x").status_code == 200  # refused
    assert sign_in(client, "emdad_staff", password).status_code == 302
    assert client.get(reverse("portal:panel"))["Location"] == PASSWORD


def test_a_reset_signs_the_account_out_everywhere(client, people):
    assert sign_in(client, "emdad_staff", "pass-1405-x").status_code == 302
    assert client.get(reverse("agencies_panel:list")).status_code == 200
    other = client_for(people.coordinator)
    other.post(url("reset_password", people.staff))
    assert client.get(reverse("agencies_panel:list"))["Location"].startswith(LOGIN)


def client_for(user):
    other = Client()
    other.force_login(user)
    return other


def test_a_deactivated_account_cannot_sign_in(client, people):
    coordinator = client_for(people.coordinator)
    assert coordinator.post(url("deactivate", people.staff)).status_code == 302
    assert sign_in(client, "emdad_staff", "pass-1405-x").status_code == 200
    assert "_auth_user_id" not in client.session
    coordinator.post(url("reactivate", people.staff))
    assert sign_in(client, "emdad_staff", "pass-1405-x").status_code == 302


def test_nobody_deactivates_themselves(coordinator_client, people):
    response = coordinator_client.post(url("deactivate", people.coordinator), follow=True)
    people.coordinator.refresh_from_db()
    assert people.coordinator.is_active
    assert "حساب خودتان را نمی‌توانید" in response.content.decode()


def test_membership_history_lists_each_change_and_who_made_it(coordinator_client, program, people):
    created = coordinator_client.post(CREATE, clerk_data(program, cities=[str(program.semnan.pk)]))
    account = created.context["issued"][0].account
    account_update(
        account=edited(account),
        membership=StaffMembership(role=StaffRole.AGENCY_STAFF, agency=program.emdad),
        cities=[program.shahrud],
        user=people.supervisor,
    )
    coordinator_client.post(url("deactivate", account))
    coordinator_client.post(url("reactivate", account))
    coordinator_client.post(url("reset_password", account))

    page = coordinator_client.get(url("detail", account))
    entries = page.context["entries"]
    assert [(e.kind_label, e.user.username) for e in entries] == [
        ("ساخت حساب", "coordinator"),
        ("ویرایش حساب", "emdad_supervisor"),
        ("غیرفعال شدن حساب", "coordinator"),
        ("فعال شدن دوباره", "coordinator"),
        ("بازنشانی گذرواژه", "coordinator"),
    ]
    assert [(c.label, c.old, c.new) for c in entries[1].changes] == [("شهرها", "سمنان", "شاهرود")]
    html = page.content.decode()
    assert "زهرا رحیمی" in html  # the supervisor, by name
    assert format_datetime(entries[-1].when) in html  # Jalali, Persian digits


def test_nobody_changes_their_own_role(coordinator_client, program, people):
    data = clerk_data(program, first_name="هما", last_name="نوری", username="coordinator")
    response = coordinator_client.post(url("edit", people.coordinator), data)
    assert "حساب خودتان" in response.content.decode()
    assert people.coordinator.membership.role == StaffRole.COORDINATOR


def test_admin_accounts_are_not_the_panels(coordinator_client, people):
    admin_like = make_user(role=StaffRole.VIEWER, is_staff=True)
    listed = {a.username for a in coordinator_client.get(LIST).context["accounts"]}
    assert people.superuser.username not in listed
    assert admin_like.username not in listed
    assert coordinator_client.get(url("detail", admin_like)).status_code == 404
    assert coordinator_client.post(url("reset_password", people.superuser)).status_code == 404


def test_search_finds_a_name_however_it_is_spelt(coordinator_client, program):
    make_user(role=StaffRole.VIEWER, first_name="علی‌رضا", last_name="کاظمی", username="kazemi")
    for query in ("علي رضا", "علیرضا کاظمی", "KAZEMI"):
        found = coordinator_client.get(LIST, {"q": query}).context["accounts"]
        assert [a.username for a in found] == ["kazemi"], query


def test_filters_by_role_agency_and_state(coordinator_client, program, people):
    people.staff.is_active = False
    people.staff.save()
    by_agency = coordinator_client.get(LIST, {"agency": program.helal.pk, "status": "active"})
    assert {a.username for a in by_agency.context["accounts"]} == {
        "helal_staff",
        "helal_supervisor",
    }
    inactive = coordinator_client.get(LIST, {"status": "inactive"}).context["accounts"]
    assert [a.username for a in inactive] == ["emdad_staff"]
    roles = coordinator_client.get(LIST, {"role": StaffRole.SUPERVISOR}).context["accounts"]
    assert {a.username for a in roles} == {"emdad_supervisor", "helal_supervisor"}


def test_bad_input_gets_a_form_error_never_a_server_error(coordinator_client, program):
    assert coordinator_client.get(LIST, {"q": "a\x00b", "role": "\x00"}).status_code == 400
    huge = reverse("accounts_panel:detail", args=[10**20])
    assert coordinator_client.get(huge).status_code == 404
    for username in ("ab\x00cd", "x" * 200, "علی", "ab"):
        response = coordinator_client.post(CREATE, clerk_data(program, username=username))
        assert response.status_code == 200
        assert "username" in response.context["form"].errors, username
    assert not StaffMembership.objects.filter(user__first_name="سارا").exists()


def test_a_username_is_taken_whatever_its_case(coordinator_client, program, people):
    response = coordinator_client.post(CREATE, clerk_data(program, username="Emdad_Staff"))
    assert "را حساب دیگری دارد" in response.content.decode()


def test_the_new_password_is_checked_in_persian(client, people):
    sign_in(client, "emdad_staff", "pass-1405-x")
    response = client.post(
        PASSWORD,
        {"old_password": "pass-1405-x", "new_password1": "a1b2", "new_password2": "a1b2"},
    )
    assert "دست‌کم ۸ نویسه" in " ".join(response.context["form"].errors["new_password2"])


@pytest.mark.parametrize("extra", [0, 30])
def test_list_query_count_does_not_grow_with_accounts(
    coordinator_client, program, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        make_user(role=StaffRole.AGENCY_STAFF, agency=program.emdad, cities=[program.semnan])
    with django_assert_max_num_queries(10):
        assert coordinator_client.get(LIST).status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            coordinator_client.get(LIST, {"q": "user", "agency": program.emdad.pk}).status_code
            == 200
        )
