"""A record lists the households it served: by national ID in the record form, counts that must
agree with them, and the warning when another agency gave a listed household the same aid.

The form's date is 1404/07/09 (2025-10-01). Helal works in «کوی زرین» too. The parallel-work
window is 30 days and the household window 90, so Helal's aid 40 days earlier warns about the
household only.
"""

import datetime

import pytest
from django.urls import reverse

from agencies.choices import RecordStatus
from agencies.models import CoordinationRules, HouseholdAccess, RecordHousehold, ServiceRecord
from agencies.services import service_record_update
from core.digits import to_persian_digits
from tests.factories import (
    edited,
    link_households,
    make_household,
    make_record,
    make_service_type,
    valid_national_id,
)

CREATE = reverse("agencies_panel:create")
FORM_DAY = datetime.date(2025, 10, 1)  # ۱۴۰۴/۰۷/۰۹
REASON = "مددکار خانوار نیاز دوباره را تأیید کرده است"
# Counts that two households of four (one with a disabled member, one with an elderly one) fit.
SMALL = {
    "beneficiaries": 6,
    "male": 3,
    "female": 3,
    "children": 2,
    "adults": 3,
    "elderly": 1,
    "households": 2,
    "disabled": 1,
}


@pytest.fixture
def pair(program):
    """Two households of «کوی زرین» registered by Helal, for the whole program."""
    return (
        make_household(
            neighbourhood=program.zarrin,
            agency=program.helal,
            national_id=valid_national_id(4_000_001),
            members=4,
            has_disabled_member=True,
        ),
        make_household(
            neighbourhood=program.zarrin,
            agency=program.helal,
            national_id=valid_national_id(4_000_002),
            members=4,
            has_elderly_member=True,
        ),
    )


def _ids(*households):
    return "\n".join(household.national_id for household in households)


def _emdad_records():
    return ServiceRecord.objects.filter(house__agency__slug="emdad")


def _helal_gave(program, households, *, days_before, service_type=None, **fields):
    record = make_record(
        house=program.helal_semnan,
        service_type=service_type or program.visit,
        delivered_on=FORM_DAY - datetime.timedelta(days=days_before),
        **fields,
    )
    link_households(record, *households)
    return record


def test_a_record_lists_households_typed_by_national_id_in_any_digits(
    client, program, people, form_data, pair
):
    client.force_login(people.staff)
    second = pair[1].national_id
    typed = f"{to_persian_digits(pair[0].national_id)}\n\n {second[:3]}-{second[3:]} "
    response = client.post(
        CREATE, form_data(program.emdad_semnan, program.visit, **SMALL, household_ids=typed)
    )
    record = _emdad_records().get()
    assert response.url == reverse("agencies_panel:detail", args=[record.pk])
    listed = set(record.household_links.values_list("household_id", flat=True))
    assert listed == {pair[0].pk, pair[1].pk}
    # Each look-up by ID is in the access log, with who made it.
    links = HouseholdAccess.objects.filter(action=HouseholdAccess.Action.LINK)
    assert sorted((row.household_id, row.user_id) for row in links) == sorted(
        [(pair[0].pk, people.staff.pk), (pair[1].pk, people.staff.pk)]
    )


def test_counts_that_disagree_with_the_list_are_named_and_nothing_is_saved(
    client, program, people, form_data, pair
):
    client.force_login(people.staff)
    data = form_data(program.emdad_semnan, program.visit, household_ids=_ids(*pair))
    # The form's counts: 20 people, 6 households, 2 disabled, 5 elderly; the list: 2 of 4.
    response = client.post(CREATE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "خانوارهای بهره‌مند ۶ نوشته شده اما ۲ خانوار در فهرست است." in html
    assert "تعداد ذی‌نفعان (۲۰) از جمع اعضای خانوارهای فهرست (۸) بیشتر است." in html
    assert (
        "۲ نفر نوشته شده، اما خانوارهای فهرست که عضو توان‌خواه دارند روی هم ۴ عضو دارند." not in html
    )
    assert "۵ نفر نوشته شده، اما خانوارهای فهرست که عضو سالمند دارند روی هم ۴ عضو دارند." in html
    assert not _emdad_records().exists()


def test_a_line_that_is_not_a_valid_id_or_finds_no_household_is_named_by_its_line(
    client, program, people, form_data, pair
):
    client.force_login(people.staff)
    wrong_check = pair[0].national_id[:9] + str((int(pair[0].national_id[9]) + 1) % 10)
    response = client.post(
        CREATE,
        form_data(
            program.emdad_semnan,
            program.visit,
            **SMALL,
            household_ids=f"{pair[0].national_id}\n{wrong_check}",
        ),
    )
    assert "سطر ۲: این کد ملی درست نیست (رقم کنترلش نمی‌خواند)" in response.content.decode()
    unknown = valid_national_id(4_999_999)
    response = client.post(
        CREATE,
        form_data(
            program.emdad_semnan,
            program.visit,
            **SMALL,
            household_ids=f"{pair[0].national_id}\n{unknown}",
        ),
    )
    html = response.content.decode()
    assert "سطر ۲: خانواری با این کد ملی در محله‌هایی که دستگاه شما در آن کار می‌کند پیدا نشد" in html
    assert not _emdad_records().exists()


def test_a_household_in_another_neighbourhood_is_not_found_for_this_house(
    client, program, people, form_data
):
    elsewhere = make_household(neighbourhood=program.kowsar, agency=program.helal, members=8)
    client.force_login(people.staff)
    response = client.post(
        CREATE,
        form_data(
            program.emdad_semnan, program.visit, **SMALL, household_ids=elsewhere.national_id
        ),
    )
    assert "سطر ۱: خانواری با این کد ملی" in response.content.decode()
    assert not _emdad_records().exists()


def test_the_same_aid_from_another_agency_within_the_window_warns_and_names_only_agency_and_date(
    client, program, people, form_data, pair
):
    _helal_gave(program, pair[:1], days_before=40)  # 1404/05/31
    client.force_login(people.staff)
    response = client.post(
        CREATE, form_data(program.emdad_semnan, program.visit, **SMALL, household_ids=_ids(*pair))
    )
    html = response.content.decode()
    assert response.status_code == 200
    masked = "•••••••" + to_persian_digits(pair[0].national_id[-3:])
    assert (
        f'<span dir="ltr">{masked}</span>: این خانوار در تاریخ ۱۴۰۴/۰۵/۳۱ از خانه هلال همین '
        "خدمت را گرفته است."
    ) in html
    assert pair[0].head_name not in html
    assert not _emdad_records().exists()


def test_a_confirmed_repeat_is_saved_with_its_reason_in_the_history(
    client, program, people, form_data, pair
):
    _helal_gave(program, pair[:1], days_before=40)
    client.force_login(people.staff)
    data = form_data(
        program.emdad_semnan,
        program.visit,
        **SMALL,
        household_ids=_ids(*pair),
        repeat_reason=REASON,
    )
    response = client.post(CREATE, data | {"submit": "1"})
    record = _emdad_records().get()
    assert response.url == reverse("agencies_panel:detail", args=[record.pk])
    assert record.repeat_reason == REASON
    assert record.household_links.count() == 2
    history = client.get(reverse("agencies_panel:history", args=[record.pk]))
    assert f"ثبت با وجود خدمت دوباره به خانوار: {REASON}" in history.content.decode()


@pytest.mark.parametrize(
    ("days_before", "agency", "same_domain", "other_type", "warns"),
    [
        (89, "helal", False, False, True),  # inside the 90-day window
        (91, "helal", False, False, False),  # outside it
        (40, "emdad", False, False, False),  # her own agency's earlier aid is not another's
        (40, "helal", False, True, False),  # another type of the domain, rule off
        (40, "helal", True, True, True),  # … rule on
    ],
)
def test_the_window_the_agency_and_the_domain_rule_decide_the_warning(
    client, program, people, form_data, pair, days_before, agency, same_domain, other_type, warns
):
    CoordinationRules.objects.create(household_same_domain=same_domain)
    service_type = make_service_type(domain=program.health) if other_type else program.visit
    house = program.helal_semnan if agency == "helal" else program.emdad_semnan
    earlier = make_record(
        house=house,
        service_type=service_type,
        delivered_on=FORM_DAY - datetime.timedelta(days=days_before),
        beneficiaries=4,
        households=1,
    )
    link_households(earlier, pair[0])
    client.force_login(people.staff)
    data = form_data(
        program.emdad_semnan,
        program.visit,
        **SMALL,
        household_ids=_ids(*pair),
        delivered_on="۱۴۰۴/۰۷/۱۰",  # a day later, so it is no exact duplicate of Emdad's own
        parallel_reason="جدا از کار دیگران",
    )
    response = client.post(CREATE, data)
    assert ("همین خدمت را گرفته است" in response.content.decode()) is warns
    assert _emdad_records().filter(delivered_on=FORM_DAY + datetime.timedelta(days=1)).exists() is (
        not warns
    )


def test_a_deleted_record_of_the_other_agency_does_not_warn(
    client, program, people, form_data, pair
):
    _helal_gave(
        program,
        pair[:1],
        days_before=40,
        deleted_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC),
    )
    client.force_login(people.staff)
    client.post(
        CREATE, form_data(program.emdad_semnan, program.visit, **SMALL, household_ids=_ids(*pair))
    )
    assert _emdad_records().get().household_links.count() == 2


def test_households_picked_from_the_agencys_list_fill_the_form(client, program, people):
    own = make_household(neighbourhood=program.zarrin, agency=program.emdad)
    others = make_household(neighbourhood=program.zarrin, agency=program.helal)
    client.force_login(people.staff)
    response = client.get(CREATE, {"households": f"{own.pk},{others.pk},junk"})
    assert response.context["form"]["household_ids"].value() == own.national_id


def test_editing_counts_away_from_the_listed_households_is_refused(program, people, pair):
    record = make_record(
        house=program.emdad_semnan, service_type=program.visit, status=RecordStatus.DRAFT, **SMALL
    )
    link_households(record, *pair)
    changed = edited(record, households=3, beneficiaries=7, male=4, female=3, adults=4)
    with pytest.raises(Exception) as refused:
        service_record_update(record=changed, user=people.staff, version=record.version)
    assert refused.value.message_dict == {
        "households": ["خانوارهای بهره‌مند ۳ نوشته شده اما ۲ خانوار در فهرست است."]
    }
    assert RecordHousehold.objects.filter(record=record).count() == 2


def test_the_edit_form_keeps_the_list_and_can_drop_a_household(
    client, program, people, form_data, pair
):
    record = make_record(
        house=program.emdad_semnan, service_type=program.visit, status=RecordStatus.DRAFT, **SMALL
    )
    link_households(record, *pair)
    client.force_login(people.staff)
    edit = reverse("agencies_panel:edit", args=[record.pk])
    shown = client.get(edit).context["form"]["household_ids"].value()
    assert shown.splitlines() == [pair[0].national_id, pair[1].national_id]
    # Only the household with the disabled member is left: 3 of its 4 members, none elderly.
    one = {
        "beneficiaries": 3,
        "male": 1,
        "female": 2,
        "children": 1,
        "adults": 2,
        "elderly": 0,
        "households": 1,
        "disabled": 1,
    }
    data = form_data(program.emdad_semnan, program.visit, **one, household_ids=pair[0].national_id)
    data["version"] = str(record.version)
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(record.household_links.values_list("household_id", flat=True)) == [pair[0].pk]
