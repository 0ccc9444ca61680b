"""What the database holds of a household's identity, how it is matched, how the keys change,
and consent: no consent, no name; consent ended, identity gone and counts kept."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from agencies.household_services import Identity, household_register, households_rotate_keys
from agencies.models import ConsentScope, Household, HouseholdAccess, HouseholdMember
from core.crypto import UnreadableSeal, identity_hash, new_encryption_key, seal, unseal
from tests.factories import link_households, make_household, make_record, valid_national_id

pytestmark = pytest.mark.django_db

HEAD_ID = "1234567891"
MEMBER_ID = "0012345679"
NAME = "صدیقه سمنانی‌پور"
OLD_KEY = new_encryption_key()
NEW_KEY = new_encryption_key()


def raw_rows(table: str) -> str:
    """Every column of every row of *table*, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def household_in(program, **fields):
    return make_household(
        neighbourhood=program.zarrin,
        agency=program.emdad,
        national_id=HEAD_ID,
        name=NAME,
        member_ids=[MEMBER_ID],
        **fields,
    )


def test_the_tables_hold_no_national_id_or_name_in_clear_text(program):
    household_in(program)
    for table in (
        Household._meta.db_table,
        HouseholdMember._meta.db_table,
        Household.history.model._meta.db_table,
    ):
        stored = raw_rows(table)
        assert HEAD_ID not in stored
        assert MEMBER_ID not in stored
        assert NAME not in stored
        assert NAME.split()[0] not in stored


def test_the_keyed_hash_matches_the_id_typed_in_any_digits(program):
    household = household_in(program)
    assert Household.objects.with_national_id("۱۲۳۴۵۶۷۸۹۱").get() == household
    assert Household.objects.with_national_id(MEMBER_ID).get() == household  # a member's ID
    assert not Household.objects.with_national_id(valid_national_id()).exists()
    assert household.national_id == HEAD_ID
    assert household.head_name == NAME


def test_a_different_hash_key_cannot_match_old_hashes_until_the_rotation(program):
    household = household_in(program)
    with override_settings(IDENTITY_HASH_KEY="another-hash-key-of-at-least-32-characters"):
        assert identity_hash(HEAD_ID) != household.head_id_hash
        assert not Household.objects.with_national_id(HEAD_ID).exists()
        call_command("rotate_identity_keys", stdout=io.StringIO())
        assert Household.objects.with_national_id(HEAD_ID).get() == household
        assert Household.objects.with_national_id(MEMBER_ID).get() == household
    # The hashes now belong to the new key: the old one no longer finds them.
    assert not Household.objects.with_national_id(HEAD_ID).exists()


def test_a_new_encryption_key_seals_everything_again_and_the_old_key_can_go(program):
    with override_settings(IDENTITY_ENCRYPTION_KEYS=[OLD_KEY]):
        household = household_in(program)
    with override_settings(IDENTITY_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        out = io.StringIO()
        call_command("rotate_identity_keys", stdout=out)
        assert "۱ خانوار و ۱ کد ملی عضو" in out.getvalue()
    household.refresh_from_db()
    with override_settings(IDENTITY_ENCRYPTION_KEYS=[NEW_KEY]):
        assert household.national_id == HEAD_ID
        assert household.head_name == NAME
        assert unseal(household.member_ids.get().id_sealed) == MEMBER_ID
    with override_settings(IDENTITY_ENCRYPTION_KEYS=[OLD_KEY]), pytest.raises(UnreadableSeal):
        unseal(household.head_id_sealed)


def test_the_rotation_refuses_to_finish_when_a_key_was_removed_too_early(program):
    with override_settings(IDENTITY_ENCRYPTION_KEYS=[OLD_KEY]):
        household = household_in(program)
    with (
        override_settings(IDENTITY_ENCRYPTION_KEYS=[NEW_KEY]),
        pytest.raises(CommandError, match="باز نشد"),
    ):
        call_command("rotate_identity_keys", stdout=io.StringIO())
    stored = Household.objects.get(pk=household.pk)
    assert stored.head_id_sealed == household.head_id_sealed  # left for the right key


def test_the_rotation_works_in_batches_and_reports_its_progress(program):
    for _ in range(5):
        make_household(neighbourhood=program.zarrin, agency=program.emdad)
    seen = []
    report = households_rotate_keys(batch=2, progress=lambda done, total: seen.append(done))
    assert report.households == 5
    assert seen == [2, 4, 5]


def test_the_new_key_command_prints_a_usable_key():
    out = io.StringIO()
    call_command("rotate_identity_keys", "--new-key", stdout=out)
    key = out.getvalue().strip()
    with override_settings(IDENTITY_ENCRYPTION_KEYS=[key]):
        assert unseal(seal("آزمون")) == "آزمون"


# --- Consent ---------------------------------------------------------------------------------


def registered(program, user, *, identity, **consent):
    household = Household(neighbourhood=program.zarrin, members=3, **consent)
    return household_register(household=household, identity=identity, user=user)


def test_without_consent_a_name_is_not_stored(program, people):
    with pytest.raises(ValidationError) as refused:
        registered(program, people.staff, identity=Identity(national_id=HEAD_ID, name=NAME))
    assert "بدون رضایت خانوار" in refused.value.message_dict["consent_given_on"][0]
    assert Household.objects.count() == 0


def test_without_consent_the_household_is_kept_anonymous(program, people):
    household = registered(program, people.staff, identity=Identity())
    stored = Household.objects.get(pk=household.pk)
    assert (stored.head_id_hash, stored.head_id_sealed, stored.head_name_sealed) == ("", "", "")
    assert stored.members == 3


def test_a_duplicate_registration_in_the_same_neighbourhood_is_refused(program, people):
    today = timezone.localdate()
    consent = {
        "consent_given_on": today,
        "consent_scope": ConsentScope.PROGRAM,
        "consent_until": today + datetime.timedelta(days=365),
    }
    identity = Identity(national_id=HEAD_ID, name=NAME)
    registered(program, people.staff, identity=identity, **consent)
    with pytest.raises(ValidationError) as refused:
        registered(
            program, people.helal_staff, identity=Identity(national_id="۱۲۳۴۵۶۷۸۹۱", name="دیگری"),
            **consent,
        )  # fmt: skip
    assert refused.value.message_dict["national_id"] == [
        "خانواری با همین کد ملی سرپرست در این محله پیش‌تر ثبت شده است."
    ]
    assert Household.objects.count() == 1


def test_ended_consent_removes_the_identity_and_keeps_the_counts(program):
    today = timezone.localdate()
    ended = household_in(
        program,
        members=5,
        has_disabled_member=True,
        consent_given_on=today - datetime.timedelta(days=400),
        consent_until=today - datetime.timedelta(days=1),
    )
    current = make_household(neighbourhood=program.zarrin, agency=program.emdad)
    record = make_record(house=program.emdad_semnan, beneficiaries=5, households=1)
    link_households(record, ended)
    out = io.StringIO()
    call_command("erase_expired_consents", stdout=out)
    assert out.getvalue().strip() == "نام و کد ملی ۱ خانوار پس از پایان رضایتشان پاک شد."
    ended.refresh_from_db()
    assert not ended.is_identified
    assert (ended.head_id_hash, ended.head_id_sealed, ended.head_name_sealed) == ("", "", "")
    assert ended.member_ids.count() == 0
    assert ended.identity_removed_at is not None
    assert (ended.members, ended.has_disabled_member) == (5, True)
    assert list(record.household_links.values_list("household_id", flat=True)) == [ended.pk]
    assert not Household.objects.with_national_id(HEAD_ID).exists()
    assert Household.objects.get(pk=current.pk).is_identified
    erased = HouseholdAccess.objects.get(action=HouseholdAccess.Action.ERASE)
    assert erased.household == ended
    assert "پایان رضایت" in erased.reason
    # The next day's run finds nothing more.
    out = io.StringIO()
    call_command("erase_expired_consents", stdout=out)
    assert "چیزی پاک نشد" in out.getvalue()
