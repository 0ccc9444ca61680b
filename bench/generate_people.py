"""The people of bench/generate.py: staff accounts and the household registry.

Staff: a provincial coordinator, a viewer, a supervisor of each agency, a clerk of each agency
in each province with neighbourhoods (their membership limited to that province's cities), news
editors and comment moderators. Their usernames start with ``bench-``; none has a usable
password (tests and benchmarks sign in with ``force_login``).

Households: ``HOUSEHOLDS_PER_NEIGHBOURHOOD`` in every neighbourhood, registered over the years
by the agencies keeping a house there, each with its first history row and the access log's
«ثبت خانوار» row, as ``household_register`` writes them. The national IDs are invented as the
demo's are (``000``, six digits, the check digit: no city issues ``000``) and every one is used
once; a run with ``--force`` skips the IDs already in the database. Consent as in the demo:
most agreed to be found by the whole program, some only by their agency, some gave none, and
some consents have ended, their identity removed by the daily job (a second history row and an
«پاک کردن هویت» row, as ``households_erase_expired`` leaves them).
"""

import bisect
import datetime as dt
from dataclasses import dataclass, field

from generate_copy import Spool, Table, next_id
from generate_places import FIRST_NAMES, SURNAMES

HOUSEHOLDS_PER_NEIGHBOURHOOD = 100
# Share of the households registered in each year (the registry fills up early, then slowly).
REGISTRATION_YEARS = {1401: 45, 1402: 20, 1403: 15, 1404: 12, 1405: 8}
CONSENT_KINDS = {"program": 70, "agency": 12, "anonymous": 10, "ended": 8}


@dataclass
class Staff:
    """The ids of the accounts the records and texts name."""

    coordinator: int
    leads: dict  # agency id -> user id
    clerks: dict  # (agency id, province id) -> (user id, username)
    editors: list
    moderators: list


def load_staff(world) -> Staff:
    """Create the bench accounts that are missing (found by username) and their memberships."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from simple_history.utils import bulk_create_with_history

    from agencies.access import StaffRole
    from agencies.models import StaffMembership
    from neighbourhoods.models import City
    from news.roles import EDITOR_GROUP, MODERATOR_GROUP, ensure_groups

    User = get_user_model()
    provinces = {h.neighbourhood.city.county.province for h in world.houses}
    wanted = [
        ("bench-coordinator", "هماهنگ‌کنندهٔ استانی", StaffRole.COORDINATOR, None, None),
        ("bench-viewer", "ناظر", StaffRole.VIEWER, None, None),
    ]
    for agency in world.agencies:
        wanted.append(
            (
                f"bench-{agency.slug}-lead",
                f"مسئول {agency.short_name}",
                StaffRole.SUPERVISOR,
                agency,
                None,
            )
        )
        for province in sorted(provinces, key=lambda p: p.slug):
            wanted.append(
                (
                    f"bench-{agency.slug}-{province.slug}",
                    f"کارشناس {agency.house_name} استان {province.name}",
                    StaffRole.AGENCY_STAFF,
                    agency,
                    province,
                )
            )
    news_people = [(f"bench-editor-{n}", "ویراستار خبر", EDITOR_GROUP) for n in (1, 2, 3)]
    news_people += [(f"bench-moderator-{n}", "ناظر نظرها", MODERATOR_GROUP) for n in (1, 2)]

    def work(progress):
        present = set(
            User.objects.filter(username__startswith="bench-").values_list("username", flat=True)
        )
        unusable = make_password(None)
        joined = world.moment(dt.date(2022, 3, 21))
        new = [
            User(username=username, first_name=title, password=unusable, date_joined=joined)
            for username, title, *_rest in [*wanted, *news_people]
            if username not in present
        ]
        User.objects.bulk_create(new)
        users = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
        has_membership = set(
            StaffMembership.objects.filter(user__in=users.values()).values_list(
                "user_id", flat=True
            )
        )
        memberships = [
            StaffMembership(user=users[username], role=role, agency=agency)
            for username, _title, role, agency, _province in wanted
            if users[username].pk not in has_membership
        ]
        bulk_create_with_history(memberships, StaffMembership, default_date=joined)
        cities = {}
        for city in City.objects.select_related("county"):
            cities.setdefault(city.county.province_id, []).append(city.pk)
        through = StaffMembership.cities.through
        by_user = {m.user_id: m for m in memberships}
        links = [
            through(staffmembership_id=by_user[users[username].pk].pk, city_id=city_id)
            for username, _title, _role, _agency, province in wanted
            if province is not None and users[username].pk in by_user
            for city_id in cities.get(province.pk, [])
        ]
        through.objects.bulk_create(links, batch_size=2000)
        groups = ensure_groups()
        for username, _title, group in news_people:
            users[username].groups.add(groups[group])
        return len(new)

    world.summary.timed("staff accounts", work)
    users = {u.username: u.pk for u in User.objects.filter(username__startswith="bench-")}
    staff = Staff(
        coordinator=users["bench-coordinator"],
        leads={a.pk: users[f"bench-{a.slug}-lead"] for a in world.agencies},
        clerks={
            (agency.pk, province.pk): (
                users[f"bench-{agency.slug}-{province.slug}"],
                f"bench-{agency.slug}-{province.slug}",
            )
            for agency in world.agencies
            for province in provinces
        },
        editors=[users[name] for name, *_ in news_people if name.startswith("bench-editor")],
        moderators=[users[name] for name, *_ in news_people if name.startswith("bench-moder")],
    )
    return staff


@dataclass
class Registered:
    """What the records need to know of a neighbourhood's households, oldest first."""

    days: list = field(default_factory=list)  # registration dates, sorted
    rows: list = field(default_factory=list)  # (id, members, disabled, elderly, agency id, wide)


def _national_ids(world, existing: set[str]):
    """Invented national IDs in a random order, each once, skipping those in the database."""
    from core.crypto import identity_hash
    from core.national_id import check_digit

    used: set[int] = set()
    while len(used) < ID_SPACE * 0.9:
        number = world.rng.randrange(ID_SPACE)
        if number in used:
            continue
        used.add(number)
        first_nine = f"000{number:06d}"
        value = first_nine + str(check_digit(first_nine))
        digest = identity_hash(value)
        if digest not in existing:
            yield value, digest
    raise SystemExit("the invented national IDs (000…) are used up; run with --reset")


ID_SPACE = 1_000_000


def load_households(world) -> dict:
    """The households of every neighbourhood; returns ``{neighbourhood id: Registered}``."""
    from agencies.models import Household, HouseholdAccess, HouseholdMember

    history = Household.history.model
    spools = {
        "history": Spool(Table(history, HOUSEHOLD_HISTORY_COLUMNS)),
        "member": Spool(Table(HouseholdMember, ("id", "household_id", "id_hash", "id_sealed"))),
        "access": Spool(Table(HouseholdAccess, ACCESS_COLUMNS)),
    }
    existing = set(
        Household.objects.exclude(head_id_hash="").values_list("head_id_hash", flat=True)
    )
    existing |= set(HouseholdMember.objects.values_list("id_hash", flat=True))
    maker = _HouseholdMaker(world, spools, _national_ids(world, existing))
    maker.ids = {
        "household": next_id(Household),
        "member": next_id(HouseholdMember),
        "history": next_id(history, "history_id"),
        "access": next_id(HouseholdAccess),
    }
    houses_at: dict[int, list] = {}
    for house in world.houses:
        houses_at.setdefault(house.neighbourhood_id, []).append(house)

    def rows():
        for neighbourhood_id, houses in houses_at.items():
            place = maker.places.setdefault(neighbourhood_id, Registered())
            registrations = sorted(
                (
                    (maker.registration_day(), world.rng.choice(houses))
                    for _ in range(HOUSEHOLDS_PER_NEIGHBOURHOOD)
                ),
                key=lambda pair: pair[0],
            )
            for day, house in registrations:
                yield maker.household(day, house, place)

    total = len(houses_at) * HOUSEHOLDS_PER_NEIGHBOURHOOD
    world.summary.copy(Table(Household, HOUSEHOLD_COLUMNS), rows(), total=total, label="households")
    world.summary.copy_spool(spools["history"], label="households: history")
    world.summary.copy_spool(spools["member"], label="households: members' IDs")
    world.summary.copy_spool(spools["access"], label="household access log")
    world.access_id = maker.ids["access"]
    return maker.places


class _HouseholdMaker:
    """One household row at a time, with its history, members and access rows spooled."""

    def __init__(self, world, spools, national_ids):
        self.world = world
        self.rng = world.rng
        self.spools = spools
        self.national_ids = national_ids
        self.places: dict[int, Registered] = {}
        self.ids: dict[str, int] = {}

    def next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind] - 1

    def registration_day(self) -> dt.date:
        from core.jalali import to_gregorian

        year = self.rng.choices(list(REGISTRATION_YEARS), REGISTRATION_YEARS.values())[0]
        first = to_gregorian(year, 1, 1)
        last = min(to_gregorian(year + 1, 1, 1) - dt.timedelta(days=1), self.world.today)
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def household(self, day, house, place: Registered) -> tuple:
        from agencies.models import ConsentScope, HouseholdAccess
        from core.crypto import seal
        from core.jalali import format_date

        rng, world = self.rng, self.world
        pk = self.next("household")
        clerk, username = world.clerk_of(house)
        at = world.moment(day, rng.randint(8, 14), rng.randint(0, 59))
        members = rng.choices(range(1, 9), (6, 10, 14, 16, 12, 8, 4, 2))[0]
        disabled = rng.random() < (0.4 if house.agency.slug == "behzisti" else 0.15)
        counted = (members, rng.random() < 0.3, disabled, rng.random() < 0.3)
        kind = rng.choices(list(CONSENT_KINDS), CONSENT_KINDS.values())[0]
        until = day + dt.timedelta(days=rng.randint(730, 1095))
        if kind == "ended":
            ended = day + dt.timedelta(days=rng.randint(365, 600))
            if ended < world.today:
                until = ended
            else:
                kind = "program"  # registered too lately for its consent to have ended
        identity, member_ids = ("", "", ""), []
        if kind in ("program", "agency"):
            value, digest = next(self.national_ids)
            identity = (
                digest,
                seal(value),
                seal(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"),
            )
            if members > 1 and rng.random() < 0.35:
                member_ids = [next(self.national_ids) for _ in range(rng.randint(1, 2))]
        if kind == "anonymous":
            consent = (None, "", None, None)
        else:
            scope = ConsentScope.AGENCY if kind == "agency" else ConsentScope.PROGRAM
            consent = (day, scope, until, clerk)
        removed = None
        if kind == "ended":  # the daily job ran in the small hours after the last day
            removed = min(world.moment(until + dt.timedelta(days=1), 3), world.now)
        place.days.append(day)
        place.rows.append((pk, members, disabled, counted[3], house.agency_id, kind == "program"))
        for value, digest in member_ids:
            self.spools["member"].add((self.next("member"), pk, digest, seal(value)))
        stored = (pk, house.neighbourhood_id, house.agency_id, clerk, at)
        self._history(stored, counted, consent, None, at, "+", clerk)
        self._access(at, clerk, username, house.agency_id, pk, HouseholdAccess.Action.REGISTER, "")
        if removed is not None:
            self._history(stored, counted, consent, removed, removed, "~", None)
            reason = f"پایان رضایت در {format_date(until)}"
            self._access(removed, None, "سامانه", None, pk, HouseholdAccess.Action.ERASE, reason)
        return (*stored, *identity, *counted, *consent, removed)

    def _history(self, stored, counted, consent, removed, at, kind, user) -> None:
        row = (self.next("history"), *stored, *counted, *consent, removed, at, None, kind, user)
        self.spools["history"].add(row)

    def _access(self, at, user, username, agency_id, household, action, reason) -> None:
        row = (self.next("access"), at, user, username, agency_id, household, action, reason, None)
        self.spools["access"].add(row)


def linkable_prefix(place: Registered, day) -> int:
    """How many of the neighbourhood's households were registered by *day*."""
    return bisect.bisect_right(place.days, day)


HOUSEHOLD_COLUMNS = (
    "id", "neighbourhood_id", "registered_by_agency_id", "registered_by_id", "registered_at",
    "head_id_hash", "head_id_sealed", "head_name_sealed", "members", "female_headed",
    "has_disabled_member", "has_elderly_member", "consent_given_on", "consent_scope",
    "consent_until", "consent_recorded_by_id", "identity_removed_at",
)  # fmt: skip
HOUSEHOLD_HISTORY_COLUMNS = (
    "history_id", "id", "neighbourhood_id", "registered_by_agency_id", "registered_by_id",
    "registered_at", "members", "female_headed", "has_disabled_member", "has_elderly_member",
    "consent_given_on", "consent_scope", "consent_until", "consent_recorded_by_id",
    "identity_removed_at", "history_date", "history_change_reason", "history_type",
    "history_user_id",
)  # fmt: skip
ACCESS_COLUMNS = (
    "id", "at", "user_id", "username", "agency_id", "household_id", "action", "reason",
    "record_id",
)  # fmt: skip
