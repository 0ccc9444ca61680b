"""Demo households: six in every demo neighbourhood, listed on the demo records that gave
individual aid, with a few households that received the same aid from two agencies.

The national IDs are invented: nine random digits after a leading ``000`` (a prefix no city
issues) and the check digit, so they pass the form's check and cannot be a real person's.
The names are invented from common first names and surnames. Most households agreed to be
found by the whole program, some only by the agency that registered them, some gave no consent
(stored without a name) and some had their identity removed when consent ended.

Households are written in bulk, past the services (as the demo records are), with their first
history rows and no access-log rows. The records they are linked to have their counts brought
into agreement with the households (the record services' rule), in the records and in their
first history rows.
Every household, member and link is marked as demo data, so ``purge_demo`` removes them.
"""

import datetime
import random
from collections import defaultdict

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.models import (
    ConsentScope,
    CoordinationRules,
    House,
    Household,
    HouseholdMember,
    RecordHousehold,
    ServiceRecord,
)
from core.crypto import identity_hash, seal
from core.national_id import check_digit
from demo.models import DemoRow

PER_NEIGHBOURHOOD = 6
# Records with few beneficiaries are aid to a family (a repair, a loan, medical costs): those
# list their households.
INDIVIDUAL_AID_UP_TO = 6
# How many households of the demo receive the same aid from a second agency on purpose.
SAME_AID_CASES = 14

FIRST_NAMES = [
    "زهرا", "فاطمه", "مریم", "معصومه", "سکینه", "رقیه", "طاهره", "اعظم", "محمد", "علی",
    "حسین", "رضا", "مهدی", "عباس", "اکبر", "غلامرضا", "نرگس", "صدیقه", "حمید", "ابراهیم",
]  # fmt: skip
SURNAMES = [
    "رضایی", "محمدی", "حسینی", "احمدی", "کریمی", "سمنانی", "دامغانی", "شاهرودی", "نوری",
    "قاسمی", "جعفری", "صادقی", "رحیمی", "مرادی", "اکبری", "یزدانی", "طاهری", "سلطانی",
]  # fmt: skip
REPEAT_REASONS = [
    "خانه‌ی دستگاه دیگر فقط بخشی از هزینه را داده بود؛ باقی را ما پرداختیم.",
    "پس از آتش‌سوزی دوباره به تعمیر نیاز داشت.",
    "به درخواست هماهنگ‌کنندهٔ محله، برای تکمیل کمک قبلی.",
]


def invented_national_id(rng: random.Random, taken: set[str]) -> str:
    """A ten-digit ID that passes the check digit, starts with 000 and is not in *taken*."""
    while True:
        first_nine = "000" + "".join(rng.choice("0123456789") for _ in range(6))
        value = first_nine + str(check_digit(first_nine))
        if value not in taken and len(set(value)) > 1:
            taken.add(value)
            return value


def _household(rng, neighbourhood, agency, today, taken) -> tuple[Household, list[str]]:
    members = rng.choices(range(1, 9), weights=(6, 10, 14, 16, 12, 8, 4, 2))[0]
    household = Household(
        neighbourhood=neighbourhood,
        registered_by_agency=agency,
        members=members,
        female_headed=rng.random() < 0.3,
        has_disabled_member=rng.random() < 0.15
        or (agency.slug == "behzisti" and rng.random() < 0.4),
        has_elderly_member=rng.random() < 0.3,
    )
    kind = rng.choices(["program", "agency", "anonymous", "ended"], weights=(70, 12, 10, 8))[0]
    member_ids = []
    if kind in ("program", "agency"):
        given = today - datetime.timedelta(days=rng.randint(30, 400))
        household.consent_given_on = given
        household.consent_scope = ConsentScope.PROGRAM if kind == "program" else ConsentScope.AGENCY
        # A few consents end within the coming weeks, so the daily removal has work soon.
        ends_soon = rng.random() < 0.05
        household.consent_until = today + datetime.timedelta(
            days=rng.randint(3, 40) if ends_soon else rng.randint(200, 900)
        )
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        household.set_identity(national_id=invented_national_id(rng, taken), name=name)
        if members > 1 and rng.random() < 0.4:
            member_ids = [invented_national_id(rng, taken) for _ in range(rng.randint(1, 2))]
    elif kind == "ended":
        # Consent ended and the identity was removed; the counts and flags stay.
        household.consent_given_on = today - datetime.timedelta(days=rng.randint(500, 700))
        household.consent_scope = ConsentScope.PROGRAM
        household.consent_until = today - datetime.timedelta(days=rng.randint(5, 60))
        household.identity_removed_at = timezone.now() - datetime.timedelta(days=rng.randint(1, 4))
    return household, member_ids


def seed_households(rng: random.Random) -> list[Household]:
    """Six households in each demo neighbourhood, registered by the agencies keeping a house
    there; nothing if the demo neighbourhoods have households already."""
    houses = list(
        House.objects.filter(neighbourhood__is_demo=True, is_active=True)
        .select_related("agency", "neighbourhood")
        .order_by("neighbourhood_id", "agency_id")
    )
    if not houses or Household.objects.filter(neighbourhood__is_demo=True).exists():
        return []
    by_neighbourhood = defaultdict(list)
    for house in houses:
        by_neighbourhood[house.neighbourhood].append(house.agency)
    today = timezone.localdate()
    taken: set[str] = set()
    made, members = [], []
    for neighbourhood, agencies in by_neighbourhood.items():
        for index in range(PER_NEIGHBOURHOOD):
            household, member_ids = _household(
                rng, neighbourhood, agencies[index % len(agencies)], today, taken
            )
            made.append(household)
            members.append(member_ids)
    created = bulk_create_with_history(made, Household, batch_size=500)
    rows = [
        HouseholdMember(household=household, id_hash=identity_hash(value), id_sealed=seal(value))
        for household, member_ids in zip(created, members, strict=True)
        for value in member_ids
    ]
    DemoRow.objects.mark(created)
    DemoRow.objects.mark(HouseholdMember.objects.bulk_create(rows, batch_size=500))
    return created


def _linkable(household: Household, agency_id: int) -> bool:
    """Whether a clerk of *agency_id* could list *household*: her agency registered it, or it
    is identified and agreed to be found by the whole program."""
    if household.registered_by_agency_id == agency_id:
        return True
    return household.is_identified and household.consent_scope == ConsentScope.PROGRAM


def _agree(record: ServiceRecord, households: list[Household]) -> None:
    """Bring *record*'s counts into agreement with the *households* it lists."""
    members = sum(household.members for household in households)
    beneficiaries = max(len(households), min(record.beneficiaries, members))
    elderly_room = sum(h.members for h in households if h.has_elderly_member)
    disabled_room = sum(h.members for h in households if h.has_disabled_member)
    record.beneficiaries = beneficiaries
    record.households = len(households)
    record.male = min(record.male, beneficiaries)
    record.female = beneficiaries - record.male
    record.elderly = min(record.elderly, elderly_room, beneficiaries)
    record.children = min(record.children, beneficiaries - record.elderly)
    record.adults = beneficiaries - record.children - record.elderly
    record.disabled = min(record.disabled, disabled_room, beneficiaries)


COUNT_FIELDS = [
    "beneficiaries", "households", "male", "female", "elderly", "children", "adults", "disabled",
    "service_type", "repeat_reason",
]  # fmt: skip


def _same_aid_cases(rng, links, records_by_place, rules):
    """Give SAME_AID_CASES listed households the same aid again from a second agency: a record
    of another agency in the same neighbourhood and domain, within the window, takes the first
    record's service type and lists the household. Returns the records changed."""
    changed = {}
    candidates = [(record, household) for record, listed in links.items() for household in listed]
    rng.shuffle(candidates)
    cases = 0
    for record, household in candidates:
        if cases == SAME_AID_CASES:
            break
        first, last = rules.household_window(record.delivered_on)
        others = [
            other
            for other in records_by_place[record.house.neighbourhood_id]
            if other.house.agency_id != record.house.agency_id
            and other.service_type.domain_id == record.service_type.domain_id
            and first <= other.delivered_on <= last
            and other.delivered_on != record.delivered_on
            and other.beneficiaries <= INDIVIDUAL_AID_UP_TO
            and _linkable(household, other.house.agency_id)
            and household not in links.get(other, [])
        ]
        if not others:
            continue
        other = rng.choice(others)
        other.service_type = record.service_type
        listed = links.setdefault(other, [])
        if len(listed) >= 3:
            listed.pop()
        listed.append(household)
        later = max(record, other, key=lambda row: row.delivered_on)
        later.repeat_reason = rng.choice(REPEAT_REASONS)
        changed[record.pk] = record
        changed[other.pk] = other
        cases += 1
    return changed


def seed_links(rng: random.Random, households: list[Household]) -> tuple[int, int]:
    """List households on about half of the demo's individual-aid records; returns the links
    made and the records changed."""
    if not households:
        return 0, 0
    by_place = defaultdict(list)
    for household in households:
        by_place[household.neighbourhood_id].append(household)
    records = list(
        ServiceRecord.objects.filter(
            house__neighbourhood__is_demo=True, deleted_at__isnull=True
        ).select_related("house", "service_type")
    )
    records_by_place = defaultdict(list)
    for record in records:
        records_by_place[record.house.neighbourhood_id].append(record)
    links: dict[ServiceRecord, list[Household]] = {}
    for record in records:
        if record.beneficiaries > INDIVIDUAL_AID_UP_TO or rng.random() < 0.5:
            continue
        choices = [
            household
            for household in by_place[record.house.neighbourhood_id]
            if _linkable(household, record.house.agency_id)
        ]
        if choices:
            links[record] = rng.sample(choices, min(len(choices), rng.randint(1, 2)))
    _same_aid_cases(rng, links, records_by_place, CoordinationRules.current())
    for record, listed in links.items():
        _agree(record, listed)
    changed = list(links)
    ServiceRecord.objects.bulk_update(changed, COUNT_FIELDS, batch_size=500)
    # The records' history begins with the row bulk_create_with_history wrote; it says what
    # the record holds now.
    history = {row.id: row for row in ServiceRecord.history.filter(id__in=[r.pk for r in changed])}
    for record in changed:
        row = history.get(record.pk)
        if row is not None:
            for name in COUNT_FIELDS:
                setattr(row, name, getattr(record, name))
    ServiceRecord.history.model.objects.bulk_update(history.values(), COUNT_FIELDS, batch_size=500)
    made = RecordHousehold.objects.bulk_create(
        [
            RecordHousehold(record=record, household=household)
            for record, listed in links.items()
            for household in listed
        ],
        batch_size=500,
    )
    DemoRow.objects.mark(made)
    return len(made), len(changed)


def seed(*, with_users: bool, stdout) -> str:
    """Create the households and links once; a second run finds them and creates nothing."""
    rng = random.Random(1402)
    households = seed_households(rng)
    links, records = seed_links(rng, households)
    return f"{len(households)} households, {links} links on {records} service records created"
