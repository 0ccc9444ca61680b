"""The demo's households: they pass the form's checks, their records agree with them, the
same aid given twice is there for the report, and purge takes them away."""

import io

from django.core.management import call_command
from django.db import connection

from agencies.models import (
    ConsentScope,
    Household,
    HouseholdAccess,
    HouseholdMember,
    RecordHousehold,
    ServiceRecord,
)
from agencies.services import household_count_errors, household_repeats
from core.crypto import unseal
from core.national_id import is_valid_national_id
from demo.households import PER_NEIGHBOURHOOD, SAME_AID_CASES
from neighbourhoods.models import Neighbourhood
from tests.factories import StaffRole, make_user


def test_every_demo_neighbourhood_has_its_households_with_valid_invented_ids(demo_data):
    neighbourhoods = Neighbourhood.objects.filter(is_demo=True).count()
    assert Household.objects.count() == neighbourhoods * PER_NEIGHBOURHOOD
    identified = Household.objects.identified()
    ids = [unseal(h.head_id_sealed) for h in identified]
    ids += [unseal(m.id_sealed) for m in HouseholdMember.objects.all()]
    assert all(is_valid_national_id(value) and value.startswith("000") for value in ids)
    assert len(ids) == len(set(ids))
    # Every kind a clerk meets: program-wide consent, agency-only, none, and ended.
    assert identified.filter(consent_scope=ConsentScope.PROGRAM).exists()
    assert identified.filter(consent_scope=ConsentScope.AGENCY).exists()
    anonymous = Household.objects.exclude(pk__in=identified.values("pk"))
    assert anonymous.filter(identity_removed_at__isnull=True, consent_given_on=None).exists()
    assert anonymous.filter(identity_removed_at__isnull=False).exists()


def test_the_records_counts_agree_with_the_households_they_list(demo_data):
    records = ServiceRecord.objects.filter(household_links__isnull=False).distinct()
    assert records.count() > 300
    for record in records.prefetch_related("household_links__household"):
        listed = [link.household for link in record.household_links.all()]
        assert household_count_errors(record, listed) == {}, record.pk
        assert all(
            h.registered_by_agency_id == record.house.agency_id
            or h.consent_scope == ConsentScope.PROGRAM
            for h in listed
        )


def test_the_same_aid_given_twice_is_in_the_demo_with_its_reason(demo_data):
    explained = ServiceRecord.objects.exclude(repeat_reason="")
    assert explained.count() == SAME_AID_CASES
    for record in explained:
        listed = [link.household for link in record.household_links.all()]
        assert household_repeats(record, listed), record.pk


def test_no_demo_name_or_id_is_stored_in_clear_text(demo_data):
    household = Household.objects.identified().first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM agencies_household")
        stored = repr(cursor.fetchall())
    assert household.national_id not in stored
    assert household.head_name not in stored


def test_purge_takes_the_households_their_links_and_their_access_log(demo_data):
    coordinator = make_user(role=StaffRole.COORDINATOR)
    HouseholdAccess.objects.create(
        user=coordinator,
        username=coordinator.username,
        household=Household.objects.first(),
        action=HouseholdAccess.Action.VIEW,
    )
    call_command("purge_demo", "--apply", stdout=io.StringIO())
    assert Household.objects.count() == 0
    assert HouseholdMember.objects.count() == 0
    assert RecordHousehold.objects.count() == 0
    assert HouseholdAccess.objects.count() == 0
    assert Household.history.count() == 0
