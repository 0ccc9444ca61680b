"""The account services' rules, called as the panel calls them: who may give which role in
which agency, what an account may hold, and what the panel never does."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.access import OutOfScope, scope_for
from agencies.accounts import (
    PASSWORD_ALPHABET,
    account_create,
    account_deactivate,
    account_password_change,
    account_password_reset,
    account_update,
    clean_username,
    news_groups,
    temporary_password,
)
from agencies.models import StaffMembership
from news.roles import EDITOR_GROUP, MODERATOR_GROUP, ensure_groups
from tests.factories import StaffRole, edited

User = get_user_model()


def new_account(username="emdad.new"):
    return User(first_name="سارا", last_name="محمدی", username=username)


def create(user, *, role=StaffRole.AGENCY_STAFF, agency=None, cities=(), groups=(), **fields):
    return account_create(
        account=new_account(**fields),
        membership=StaffMembership(role=role, agency=agency),
        cities=cities,
        groups=groups,
        user=user,
    )


def field_errors(error) -> set[str]:
    return set(error.value.message_dict)


def test_a_temporary_password_is_readable_and_random():
    passwords = {temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    characters = set("".join(passwords).replace("-", ""))
    assert characters <= set(PASSWORD_ALPHABET)
    assert not characters & set("0O1lI")


def test_a_coordinator_creates_any_role_and_never_an_admin(program, people):
    issued = create(people.coordinator, role=StaffRole.COORDINATOR, username="coord.two")
    account = User.objects.get(username="coord.two")
    assert (account.is_staff, account.is_superuser, account.is_active) == (False, False, True)
    assert account.check_password(issued.password)
    assert issued.password not in repr(issued)
    assert account.membership.must_change_password is True


@pytest.mark.parametrize(
    "role, agency, field",
    [
        (StaffRole.COORDINATOR, None, "role"),
        (StaffRole.SUPERVISOR, "emdad", "role"),
        (StaffRole.AGENCY_STAFF, "helal", "agency"),
    ],
)
def test_a_supervisor_gives_only_their_agencys_clerk_role(program, people, role, agency, field):
    with pytest.raises(ValidationError) as error:
        create(people.supervisor, role=role, agency=agency and getattr(program, agency))
    assert field in field_errors(error)
    assert not User.objects.filter(username="emdad.new").exists()


def test_agency_roles_need_an_agency_and_cities_are_for_clerks_only(program, people):
    with pytest.raises(ValidationError) as error:
        create(people.coordinator, role=StaffRole.SUPERVISOR, cities=[program.semnan])
    assert field_errors(error) == {"agency", "cities"}
    with pytest.raises(ValidationError) as error:
        create(people.coordinator, role=StaffRole.VIEWER, agency=program.emdad)
    assert field_errors(error) == {"agency"}


def test_only_coordinators_give_news_groups_and_only_news_ones(program, people):
    ensure_groups()
    editor = Group.objects.get(name=EDITOR_GROUP)
    admins = Group.objects.create(name="مدیران")
    admins.permissions.set(editor.permissions.all())
    admins.permissions.add(Permission.objects.get(codename="change_user"))
    assert {g.name for g in news_groups()} == {EDITOR_GROUP, MODERATOR_GROUP}
    with pytest.raises(ValidationError) as error:
        create(people.supervisor, agency=program.emdad, groups=[editor])
    assert field_errors(error) == {"news_groups"}
    with pytest.raises(ValidationError):
        create(people.coordinator, role=StaffRole.NEWS, groups=[admins])
    create(people.coordinator, role=StaffRole.NEWS, groups=[editor])
    assert scope_for(User.objects.get(username="emdad.new")).edits_news


def test_those_who_manage_no_accounts_are_refused(program, people):
    for who in (people.staff, people.viewer, people.outsider):
        with pytest.raises(PermissionDenied):
            create(who, agency=program.emdad)


def test_a_supervisor_touches_no_account_outside_their_clerks(program, people):
    for account in (people.helal_staff, people.coordinator, people.superuser):
        with pytest.raises(OutOfScope):
            account_password_reset(account=account, user=people.supervisor)
        with pytest.raises(OutOfScope):
            account_deactivate(account=account, user=people.supervisor)


def test_a_clerk_with_news_rights_is_the_coordinators(program, people):
    ensure_groups()
    people.staff.groups.add(Group.objects.get(name=EDITOR_GROUP))
    with pytest.raises(OutOfScope):
        account_password_reset(account=people.staff, user=people.supervisor)
    assert account_password_reset(account=people.staff, user=people.coordinator).password


def test_a_supervisor_cannot_move_a_clerk_to_another_agency(program, people):
    with pytest.raises(ValidationError) as error:
        account_update(
            account=edited(people.staff),
            membership=StaffMembership(role=StaffRole.AGENCY_STAFF, agency=program.helal),
            cities=[],
            user=people.supervisor,
        )
    assert field_errors(error) == {"agency"}
    assert User.objects.get(pk=people.staff.pk).membership.agency == program.emdad


def test_an_edit_never_touches_the_admin_flags(program, people):
    account_update(
        account=edited(people.staff, is_staff=True, is_superuser=True, last_name="نو"),
        membership=StaffMembership(role=StaffRole.AGENCY_STAFF, agency=program.emdad),
        cities=[],
        user=people.coordinator,
    )
    account = User.objects.get(pk=people.staff.pk)
    assert (account.last_name, account.is_staff, account.is_superuser) == ("نو", False, False)


def test_nobody_resets_or_deactivates_their_own_account(people):
    for service in (account_password_reset, account_deactivate):
        with pytest.raises(ValidationError):
            service(account=people.coordinator, user=people.coordinator)


def test_a_changed_password_clears_the_flag_and_must_pass_the_validators(program, people):
    issued = create(people.coordinator, agency=program.emdad)
    account = User.objects.get(pk=issued.account.pk)
    with pytest.raises(ValidationError) as error:
        account_password_change(user=account, password="12345678")
    assert "فقط رقم" in " ".join(error.value.messages)
    account_password_change(user=account, password="Kuye-Zarrin-1405")
    account.refresh_from_db()
    assert account.check_password("Kuye-Zarrin-1405")
    assert account.membership.must_change_password is False


@pytest.mark.parametrize(
    "typed, stored",
    [("  Emdad.Rezaei ", "emdad.rezaei"), ("helal۱۲", "helal12"), ("z_k-2", "z_k-2")],
)
def test_usernames_are_stored_in_one_form(typed, stored):
    assert clean_username(typed) == stored


@pytest.mark.parametrize("typed", ["", "ab", "2abc", "علی", "a b c", "a\x00bc", "x" * 41, "a@b.c"])
def test_bad_usernames_are_refused_before_the_database(typed):
    with pytest.raises(ValidationError):
        clean_username(typed)
