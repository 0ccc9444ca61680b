"""The access log of the household registry: the look-up by exact national ID and the opening
of a household's page each leave a row with the user and the reason; a partial ID is refused
before anything is looked up; coordinators read the log and filter it, clerks may not.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.household_services import NOT_FOUND
from agencies.models import ConsentScope, HouseholdAccess
from core.digits import to_persian_digits
from core.forms import JalaliDateField
from core.national_id import WRONG_LENGTH
from tests.factories import make_household, make_user, valid_national_id

FIND = reverse("households_panel:find")
LOG = reverse("households_panel:log")
REASON = "ثبت بستهٔ غذایی برای این خانوار"
EMDAD_ID = valid_national_id(8_000_001)
HELAL_PROGRAM_ID = valid_national_id(8_000_002)
HELAL_AGENCY_ID = valid_national_id(8_000_003)


def detail(household) -> str:
    return reverse("households_panel:detail", args=[household.pk])


def log_rows():
    return [
        (row.user, row.action, row.household, row.reason)
        for row in HouseholdAccess.objects.order_by("pk")
    ]


@pytest.fixture
def households(program):
    """Emdad's household, and two of Helal's in «کوی زرین» where Emdad works too: one agreed
    to the whole program, the other only to Helal."""
    return (
        make_household(neighbourhood=program.zarrin, agency=program.emdad, national_id=EMDAD_ID),
        make_household(
            neighbourhood=program.zarrin,
            agency=program.helal,
            national_id=HELAL_PROGRAM_ID,
            consent_scope=ConsentScope.PROGRAM,
        ),
        make_household(
            neighbourhood=program.zarrin,
            agency=program.helal,
            national_id=HELAL_AGENCY_ID,
            consent_scope=ConsentScope.AGENCY,
        ),
    )


# --- Finding ---------------------------------------------------------------------------------


def test_a_find_is_logged_with_the_user_and_reason_and_opens_the_household(
    client, people, households
):
    emdad, _program, _agency = households
    client.force_login(people.staff)
    response = client.post(FIND, {"national_id": to_persian_digits(EMDAD_ID), "reason": REASON})
    assert response.url == detail(emdad)
    assert log_rows() == [(people.staff, HouseholdAccess.Action.LOOKUP, emdad, REASON)]


def test_a_missed_find_is_logged_and_the_form_comes_back_without_the_id(client, people, households):
    client.force_login(people.staff)
    missing = valid_national_id(8_000_099)
    response = client.post(FIND, {"national_id": missing, "reason": REASON})
    html = response.content.decode()
    assert response.status_code == 200
    assert NOT_FOUND in html
    assert missing not in html
    assert REASON in html  # the reason stays, for the next try
    assert log_rows() == [(people.staff, HouseholdAccess.Action.LOOKUP_MISSED, None, REASON)]


def test_a_partial_id_is_refused_and_nothing_is_looked_up(client, people, households):
    client.force_login(people.staff)
    response = client.post(FIND, {"national_id": EMDAD_ID[:6], "reason": REASON})
    assert response.context["form"].errors["national_id"] == [WRONG_LENGTH]
    assert not HouseholdAccess.objects.exists()


def test_a_find_without_a_reason_is_refused_and_not_logged(client, people, households):
    client.force_login(people.staff)
    response = client.post(FIND, {"national_id": EMDAD_ID, "reason": "  "})
    assert response.context["form"].errors["reason"] == ["دلیل را بنویسید؛ در دفتر دسترسی می‌ماند."]
    assert not HouseholdAccess.objects.exists()


def test_a_reason_holding_a_national_id_is_refused(client, people, households):
    client.force_login(people.staff)
    response = client.post(
        FIND, {"national_id": EMDAD_ID, "reason": f"برای {to_persian_digits(EMDAD_ID)}"}
    )
    assert response.context["form"].errors["reason"] == [
        "دلیل را بدون کد ملی بنویسید؛ این متن در دفتر دسترسی بی‌رمز می‌ماند."
    ]
    assert not HouseholdAccess.objects.exists()


def test_another_agencys_household_is_found_only_with_consent_for_the_program(
    client, people, households
):
    _emdad, helal_program, _helal_agency = households
    client.force_login(people.staff)
    found = client.post(FIND, {"national_id": HELAL_PROGRAM_ID, "reason": REASON})
    missed = client.post(FIND, {"national_id": HELAL_AGENCY_ID, "reason": REASON})
    # Found, but not Emdad's to open: shown on the find page by its reference only.
    assert found.context["found"] == helal_program
    assert HELAL_PROGRAM_ID not in found.content.decode()
    assert NOT_FOUND in missed.content.decode()
    assert [row[1:3] for row in log_rows()] == [
        (HouseholdAccess.Action.LOOKUP, helal_program),
        (HouseholdAccess.Action.LOOKUP_MISSED, None),
    ]


def test_a_viewer_may_not_look_up(client, people, households):
    client.force_login(people.viewer)
    assert client.post(FIND, {"national_id": EMDAD_ID, "reason": REASON}).status_code == 403
    assert not HouseholdAccess.objects.exists()


# --- Opening a household's page --------------------------------------------------------------


def test_each_opening_of_a_households_page_is_logged_with_the_user(client, people, households):
    emdad = households[0]
    client.force_login(people.staff)
    client.get(detail(emdad))
    client.force_login(people.coordinator)
    client.get(detail(emdad))
    assert log_rows() == [
        (people.staff, HouseholdAccess.Action.VIEW, emdad, ""),
        (people.coordinator, HouseholdAccess.Action.VIEW, emdad, ""),
    ]


# --- Reading the log -------------------------------------------------------------------------


def test_a_clerk_may_not_read_the_log(client, people):
    client.force_login(people.staff)
    assert client.get(LOG).status_code == 403


def test_a_supervisor_may_not_read_the_log(client, people):
    client.force_login(people.supervisor)
    assert client.get(LOG).status_code == 403


@pytest.fixture
def logged(program, people, households):
    """Four rows: Emdad's clerk found and opened her household, Helal's clerk missed a find,
    and Emdad's clerk opened it again ten days ago."""
    emdad = households[0]
    rows = [
        HouseholdAccess.objects.create(
            user=people.staff,
            username=people.staff.username,
            agency=program.emdad,
            household=emdad,
            action=HouseholdAccess.Action.LOOKUP,
            reason=REASON,
        ),
        HouseholdAccess.objects.create(
            user=people.staff,
            username=people.staff.username,
            agency=program.emdad,
            household=emdad,
            action=HouseholdAccess.Action.VIEW,
        ),
        HouseholdAccess.objects.create(
            user=people.helal_staff,
            username=people.helal_staff.username,
            agency=program.helal,
            action=HouseholdAccess.Action.LOOKUP_MISSED,
            reason="بررسی",
        ),
        HouseholdAccess.objects.create(
            user=people.staff,
            username=people.staff.username,
            agency=program.emdad,
            household=emdad,
            action=HouseholdAccess.Action.VIEW,
        ),
    ]
    ten_days_ago = rows[3].at - datetime.timedelta(days=10)
    HouseholdAccess.objects.filter(pk=rows[3].pk).update(at=ten_days_ago)
    rows[3].at = ten_days_ago
    return rows


def shown(response):
    return [entry.pk for entry in response.context["entries"]]


def test_a_coordinator_reads_the_log_newest_first(client, people, logged):
    client.force_login(people.coordinator)
    response = client.get(LOG)
    assert response.status_code == 200
    assert shown(response) == [logged[2].pk, logged[1].pk, logged[0].pk, logged[3].pk]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"username": "helal_staff"}, [2]),
        ({"action": "view"}, [1, 3]),
        ({"agency": "helal"}, [2]),
        ({"household": "emdad"}, [1, 0, 3]),
        ({"date_to": "ten_days_ago"}, [3]),
        ({"date_from": "today", "action": "lookup"}, [0]),
    ],
)
def test_the_log_filters_give_exactly_their_rows(
    client, program, people, households, logged, filters, expected
):
    days = {"today": logged[0].at, "ten_days_ago": logged[3].at}
    values = {
        "helal": program.helal.pk,
        "emdad": to_persian_digits(households[0].pk),
    }
    query = {}
    for name, value in filters.items():
        if value in days:
            value = JalaliDateField().prepare_value(timezone.localtime(days[value]).date())
        query[name] = values.get(value, value)
    client.force_login(people.coordinator)
    response = client.get(LOG, query)
    assert shown(response) == [logged[i].pk for i in expected]


def test_a_bad_filter_is_named_and_the_others_still_apply(client, people, logged):
    client.force_login(people.coordinator)
    response = client.get(LOG, {"action": "nonsense", "username": "helal_staff"})
    assert "action" in response.context["filter_form"].errors
    assert shown(response) == [logged[2].pk]


def test_the_log_names_households_by_reference_only(client, people, logged, households):
    client.force_login(people.coordinator)
    html = client.get(LOG).content.decode()
    assert f"خانوار شمارهٔ {to_persian_digits(households[0].pk)}" in html
    assert EMDAD_ID not in html
    assert to_persian_digits(EMDAD_ID) not in html


def test_a_superuser_reads_the_log_too(client, logged):
    client.force_login(make_user(superuser=True))
    assert client.get(LOG).status_code == 200


@pytest.mark.parametrize("extra", [0, 60])
def test_the_log_query_count_does_not_grow_with_its_rows(
    client, program, people, households, django_assert_max_num_queries, extra
):
    HouseholdAccess.objects.bulk_create(
        HouseholdAccess(
            user=people.staff,
            username=people.staff.username,
            agency=program.emdad,
            household=households[n % 3],
            action=HouseholdAccess.Action.VIEW,
        )
        for n in range(extra)
    )
    client.force_login(people.coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(LOG).status_code == 200
