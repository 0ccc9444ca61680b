"""The service records of bench/generate.py, with their history, their households and the
access log's «پیوند به خدمت» rows.

Where and when: ``RECORDS`` records (times ``--scale``) over every month from 1401/01/01 to
today (1405 is the current year, so its months run to today; no record is dated in the future,
as the record services refuse). The program grows from year to year and has its seasons (fewer
records at Nowruz, more at the start of the school year and in Esfand); school supplies come
before Mehr, heating before winter. Neighbourhoods are busy or quiet (a log-normal activity,
and one in twenty nearly idle); each agency works mostly in its own domains (the demo's weights,
demo/program.py), with its typical cost per person.

Records follow the life the services give them: a clerk enters a record a few days after the
service, most often submitted at once (history row «+», «ارسال برای تأیید»); the agency's
supervisor approves it or returns it with a reason (row «~»); a few are deleted later (row
«~» with ``deleted_at``). ``version`` counts those saves. Most are approved; recent ones are
still waiting more often. Records of individual aid (the costly types) list one or two of the
neighbourhood's households in about half the cases, their counts brought into agreement with
the households as the services require; a clerk may list a household of another agency only if
it agreed to be found by the whole program. Where another agency recorded the same aid in the
same neighbourhood within the rules' window before (``CoordinationRules``), the record carries a
``parallel_reason``; where a listed household had the same aid from another agency within the
household window, a ``repeat_reason``, as the clerk would have had to write.
"""

import datetime as dt
import math
from collections import defaultdict, deque

from generate_copy import Spool, Table, next_id
from generate_people import linkable_prefix
from generate_places import largest_remainders
from generate_texts import (
    PARALLEL_REASONS,
    RECORD_NOTES,
    REPEAT_REASONS,
    RETURN_REASONS,
)

RECORDS = 1_000_000
YEARS = {1401: 0.55, 1402: 0.8, 1403: 1.0, 1404: 1.2, 1405: 1.35}
# Jalali months 1..12: Nowruz is quiet, the school year's start and the year's end are busy.
SEASON = (0.7, 1.0, 1.05, 1.0, 0.95, 1.1, 1.15, 1.05, 1.1, 1.05, 1.0, 1.2)
# Service types wanted more in some months (by Jalali month).
SEASONAL_TYPES = {
    "education-school-supplies": {6: 5.0, 7: 3.0},
    "housing-heating": {7: 2.0, 8: 3.0, 9: 3.0, 10: 2.0},
    "cultural-children-camp": {4: 2.5, 5: 2.5},
}
AGENCY_ACTIVITY = {"ehsan": 0.9, "emdad": 1.3, "helal": 0.8, "behzisti": 1.0}
# The agencies of a neighbourhood share out the service types between them (each type has one
# agency that mostly delivers it there, drawn by the agencies' domain weights), so most of a
# house's records are of its own types and parallel work stays the exception it is meant to be.
FOCUS_SHARE = 0.85
INDIVIDUAL_AID_FROM = 10_000_000  # Rials per person: above it a record is aid to a family
LINK_SHARE = 0.55
DELETED_SHARE = 0.02
IMPORTED_SHARE = 0.08
NOTE_SHARE = 0.25
RECENT_DAYS = 30
SUBMITTED_REASON = "ارسال برای تأیید"
APPROVED_REASON = "تأیید"
RETURNED_REASON = "برگشت برای اصلاح"

RECORD_COLUMNS = (
    "id", "house_id", "service_type_id", "delivered_on", "jalali_year", "jalali_month",
    "beneficiaries", "male", "female", "children", "adults", "elderly", "households",
    "disabled", "cost_rials", "notes", "parallel_reason", "external_ref", "repeat_reason",
    "status", "return_reason", "reviewed_by_id", "reviewed_at", "created_by_id", "created_at",
    "updated_at", "version", "deleted_at",
)  # fmt: skip
# The history row holds the record's fields but the Jalali copies, then its own.
HISTORY_COLUMNS = (
    *(c for c in RECORD_COLUMNS if c not in ("jalali_year", "jalali_month")),
    "history_id", "history_date", "history_change_reason", "history_type", "history_user_id",
)  # fmt: skip
_KEEP = [RECORD_COLUMNS.index(c) for c in HISTORY_COLUMNS[:-5]]
_IN_HISTORY = {name: n for n, name in enumerate(HISTORY_COLUMNS[:-5])}


def months(today: dt.date):
    """``(year, month, first day, days)`` of every month from 1401/01 to today's."""
    from core.jalali import days_in_month, to_gregorian

    for year in YEARS:
        for month in range(1, 13):
            first = to_gregorian(year, month, 1)
            if first > today:
                return
            days = min(days_in_month(year, month), (today - first).days + 1)
            yield year, month, first, days


class RecordMaker:
    """Draws the records month by month, in the order they were delivered."""

    def __init__(self, world):
        from agencies.models import CoordinationRules, ServiceType
        from demo.program import AGENCY_DOMAIN_WEIGHTS, COST_PER_PERSON

        self.world = world
        self.rng = world.rng
        self.rules = CoordinationRules.current()
        self.types = list(ServiceType.objects.select_related("domain").order_by("pk"))
        self.cost = [COST_PER_PERSON.get(t.slug, 500_000) for t in self.types]
        self.houses = world.houses
        self._type_weights = {
            (agency.pk, month): self._weights(AGENCY_DOMAIN_WEIGHTS.get(agency.slug, {}), month)
            for agency in world.agencies
            for month in range(1, 13)
        }
        self._house_weights = self._activity()
        self._focus = self._shared_out(AGENCY_DOMAIN_WEIGHTS)
        self._season = [
            [SEASONAL_TYPES.get(t.slug, {}).get(month, 1.0) for month in range(13)]
            for t in self.types
        ]
        self.recent_same_aid = defaultdict(deque)  # (neighbourhood, type) -> (day, agency)
        self.recent_household = defaultdict(list)  # household -> [(day, type, agency)]
        self.tallies = defaultdict(lambda: [0, 0, 0])  # (year, place, domain, agency) -> sums
        self.parallel = self.repeats = 0

    def _weights(self, domain_weights, month):
        per_domain = defaultdict(int)
        for service_type in self.types:
            per_domain[service_type.domain_id] += 1
        weights = []
        for service_type in self.types:
            weight = (
                domain_weights.get(service_type.domain.slug, 1) / per_domain[service_type.domain_id]
            )
            weight *= SEASONAL_TYPES.get(service_type.slug, {}).get(month, 1.0)
            weights.append(weight)
        return _cumulative(weights)

    def _shared_out(self, domain_weights) -> list[list[int]]:
        """The types each house mostly delivers: those given to its agency in its place."""
        agencies = {house.agency_id: house.agency.slug for house in self.houses}
        owned = defaultdict(list)  # (neighbourhood, agency) -> type indexes
        for place in sorted({house.neighbourhood_id for house in self.houses}):
            for index, service_type in enumerate(self.types):
                candidates = list(agencies)
                weights = [
                    domain_weights.get(agencies[a], {}).get(service_type.domain.slug, 1)
                    for a in candidates
                ]
                owner = self.rng.choices(candidates, weights)[0]
                owned[(place, owner)].append(index)
        return [owned[(house.neighbourhood_id, house.agency_id)] for house in self.houses]

    def _activity(self):
        """Each house's share of the records: its neighbourhood's activity (busy or quiet),
        its agency's and a little of its own."""
        rng = self.rng
        places = {}
        for house in self.houses:
            if house.neighbourhood_id not in places:
                quiet = rng.random() < 0.05
                places[house.neighbourhood_id] = 0.05 if quiet else rng.lognormvariate(0, 0.8)
        return _cumulative(
            [
                places[house.neighbourhood_id]
                * AGENCY_ACTIVITY.get(house.agency.slug, 1.0)
                * rng.lognormvariate(0, 0.35)
                for house in self.houses
            ]
        )

    def month_counts(self, total: int):
        calendar = list(months(self.world.today))
        weights = {
            (year, month, first, days): YEARS[year] * SEASON[month - 1] * days
            for year, month, first, days in calendar
        }
        return largest_remainders(total, weights)

    def _type_index(self, house_index: int, agency_id: int, month: int) -> int:
        rng = self.rng
        focus = self._focus[house_index]
        if focus and rng.random() < FOCUS_SHARE:
            return rng.choices(focus, [self._season[t][month] for t in focus])[0]
        weights = self._type_weights[(agency_id, month)]
        return rng.choices(range(len(self.types)), cum_weights=weights)[0]

    def records(self, spools, ids, total: int):
        """Every record as a row, in delivery order; history, links and access rows go to
        *spools*."""
        rng = self.rng
        for (year, month, first, days), count in self.month_counts(total).items():
            houses = rng.choices(range(len(self.houses)), cum_weights=self._house_weights, k=count)
            drawn = sorted((first + dt.timedelta(days=rng.randrange(days)), h) for h in houses)
            for day, house_index in drawn:
                yield self._record(ids, spools, year, month, day, house_index)

    def _record(self, ids, spools, year, month, day, house_index):
        rng, world = self.rng, self.world
        pk = ids.take("record")
        house = self.houses[house_index]
        agency = house.agency
        type_index = self._type_index(house_index, agency.pk, month)
        service_type = self.types[type_index]
        cost = self.cost[type_index]
        counts = _counts(rng, cost, agency.slug == "behzisti")
        listed = []
        if cost >= INDIVIDUAL_AID_FROM and rng.random() < LINK_SHARE:
            listed = self._households(house, day)
            if listed:
                counts = _agree(counts, listed)
        beneficiaries = counts[0]
        cost_rials = cost * beneficiaries * rng.randint(80, 120) // 100 // 10_000 * 10_000
        parallel_reason = self._parallel(house, service_type, day)
        repeat_reason = self._repeat(listed, service_type.pk, agency.pk, day)
        clerk, username = world.clerk_of(house)
        lead = world.staff.leads[agency.pk]
        life = _life(rng, world, day)
        created, status, reviewed, deleted = life
        reviewer = (world.staff.coordinator if rng.random() < 0.1 else lead) if reviewed else None
        return_reason = rng.choice(RETURN_REASONS) if status == "returned" else ""
        last = max(t for t in (created, reviewed, deleted) if t is not None)
        version = 1 + (reviewed is not None) + (deleted is not None)
        notes = rng.choice(RECORD_NOTES) if rng.random() < NOTE_SHARE else ""
        external_ref = f"{year}-{pk}" if rng.random() < IMPORTED_SHARE else ""
        row = (
            pk, house.pk, service_type.pk, day, year, month, *counts, cost_rials, notes,
            parallel_reason, external_ref, repeat_reason, status, return_reason, reviewer,
            reviewed, clerk, created, last, version, deleted,
        )  # fmt: skip
        self._history(spools, ids, row, life, clerk, reviewer)
        for household in listed:
            spools["link"].add((ids.take("link"), pk, household[0]))
            access = (ids.take("access"), created, clerk, username, agency.pk, household[0])
            spools["access"].add((*access, "link", "پیوند به خدمت", pk))
        if status == "approved" and deleted is None:
            key = (year, house.neighbourhood_id, service_type.domain_id, agency.pk)
            tally = self.tallies[key]
            tally[0] += beneficiaries
            tally[1] += counts[6]
            tally[2] += 1
        return row

    def _history(self, spools, ids, row, life, clerk, reviewer):
        """The record's history rows: as entered, as reviewed, as deleted."""
        created, status, reviewed, deleted = life
        stored = [row[n] for n in _KEEP]

        def add(when, kind, reason, user, **fields):
            values = list(stored)
            for name, value in fields.items():
                values[_IN_HISTORY[name]] = value
            spools["history"].add((*values, ids.take("history"), when, reason, kind, user))

        first_status = "draft" if status == "draft" else "submitted"
        entered = {
            "status": first_status,
            "return_reason": "",
            "reviewed_by_id": None,
            "reviewed_at": None,
            "updated_at": created,
            "version": 1,
            "deleted_at": None,
        }
        reason = SUBMITTED_REASON if first_status == "submitted" else None
        add(created, "+", reason, clerk, **entered)
        version = 1
        if reviewed is not None:
            version += 1
            reason = APPROVED_REASON if status == "approved" else RETURNED_REASON
            reviewed_fields = {"updated_at": reviewed, "version": version, "deleted_at": None}
            add(reviewed, "~", reason, reviewer, **reviewed_fields)
        if deleted is not None:
            add(deleted, "~", None, reviewer if status == "approved" else clerk)

    def _households(self, house, day):
        """One or two households of the neighbourhood this clerk may list on *day*."""
        rng = self.rng
        place = self.world.households.get(house.neighbourhood_id)
        if place is None:
            return []
        known = linkable_prefix(place, day)
        wanted = 1 if rng.random() < 0.7 else 2
        chosen = {}
        for _attempt in range(6):
            if not known or len(chosen) == wanted:
                break
            household = place.rows[rng.randrange(known)]
            if household[4] == house.agency_id or household[5]:
                chosen[household[0]] = household
        return list(chosen.values())

    def _parallel(self, house, service_type, day) -> str:
        window = dt.timedelta(days=self.rules.window_days)
        recent = self.recent_same_aid[(house.neighbourhood_id, service_type.pk)]
        while recent and recent[0][0] < day - window:
            recent.popleft()
        found = any(agency != house.agency_id for _day, agency in recent)
        recent.append((day, house.agency_id))
        if found:
            self.parallel += 1
            return self.rng.choice(PARALLEL_REASONS)
        return ""

    def _repeat(self, listed, type_id, agency_id, day) -> str:
        window = dt.timedelta(days=self.rules.household_window_days)
        found = False
        for household in listed:
            links = self.recent_household[household[0]]
            links[:] = [link for link in links if link[0] >= day - window]
            found |= any(t == type_id and a != agency_id for _d, t, a in links)
            links.append((day, type_id, agency_id))
        if found:
            self.repeats += 1
            return self.rng.choice(REPEAT_REASONS)
        return ""


def _cumulative(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _counts(rng, cost: int, disabled_often: bool) -> list:
    """Counts that add up as the constraints require: beneficiaries, male, female, children,
    adults, elderly, households, disabled."""
    if cost >= INDIVIDUAL_AID_FROM:
        beneficiaries = rng.randint(1, 6)
    else:
        beneficiaries = min(250, 5 + int(rng.expovariate(1 / 22)))
    male = rng.randint(beneficiaries // 3, beneficiaries - beneficiaries // 3)
    children = rng.randint(0, beneficiaries // 2)
    elderly = rng.randint(0, (beneficiaries - children) // 3)
    households = max(1, beneficiaries * 10 // rng.randint(25, 45))
    disabled = rng.randint(0, beneficiaries // (4 if disabled_often else 15))
    adults = beneficiaries - children - elderly
    return [
        beneficiaries, male, beneficiaries - male, children, adults, elderly, households, disabled,
    ]  # fmt: skip


def _agree(counts, listed) -> list:
    """*counts* brought into agreement with the listed households, as the services check."""
    beneficiaries, male, _female, children, _adults, elderly, _households, disabled = counts
    members = sum(h[1] for h in listed)
    beneficiaries = max(len(listed), min(beneficiaries, members))
    male = min(male, beneficiaries)
    elderly = min(elderly, sum(h[1] for h in listed if h[3]), beneficiaries)
    children = min(children, beneficiaries - elderly)
    disabled = min(disabled, sum(h[1] for h in listed if h[2]), beneficiaries)
    adults = beneficiaries - children - elderly
    return [
        beneficiaries, male, beneficiaries - male, children, adults, elderly, len(listed), disabled,
    ]  # fmt: skip


def _life(rng, world, day):
    """When the record was entered, where it stands, when it was reviewed and deleted."""
    hour = dt.timedelta(hours=1)
    lag = min(20, int(rng.expovariate(1 / 2.5)))
    created = world.moment(day + dt.timedelta(days=lag), rng.randint(8, 15), rng.randint(0, 59))
    # A service delivered today was entered by now, and not before its day began.
    created = min(created, world.now - rng.uniform(1, 120) * dt.timedelta(minutes=1))
    created = max(created, world.moment(day, 0))
    recent = (world.now - created).days < RECENT_DAYS
    status = rng.choices(
        ("approved", "submitted", "draft", "returned"),
        (64, 25, 8, 3) if recent else (96, 1.5, 1.5, 1),
    )[0]
    reviewed = None
    if status in ("approved", "returned"):
        reviewed = created + rng.uniform(2, 12 * 24) * hour
        if reviewed >= world.now:
            status, reviewed = "submitted", None
    deleted = None
    if rng.random() < DELETED_SHARE:
        deleted = max(created, reviewed or created) + rng.uniform(1, 30 * 24) * hour
        if deleted >= world.now:
            deleted = None
    return created, status, reviewed, deleted


class Ids:
    """The next free id of each table the records fill."""

    def __init__(self, **first):
        self._next = dict(first)

    def take(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1
        return value


def load_records(world) -> RecordMaker:
    """Copy the records, then their history, their households and the access rows."""
    from generate_people import ACCESS_COLUMNS

    from agencies.models import HouseholdAccess, RecordHousehold, ServiceRecord

    history = ServiceRecord.history.model
    spools = {
        "history": Spool(Table(history, HISTORY_COLUMNS)),
        "link": Spool(Table(RecordHousehold, ("id", "record_id", "household_id"))),
        "access": Spool(Table(HouseholdAccess, ACCESS_COLUMNS)),
    }
    ids = Ids(
        record=next_id(ServiceRecord),
        history=next_id(history, "history_id"),
        link=next_id(RecordHousehold),
        access=world.access_id,
    )
    maker = RecordMaker(world)
    total = max(1, math.floor(RECORDS * world.scale + 0.5))
    rows = maker.records(spools, ids, total)
    world.summary.copy(Table(ServiceRecord, RECORD_COLUMNS), rows, total=total, label="records")
    world.summary.copy_spool(spools["history"], label="records: history")
    world.summary.copy_spool(spools["link"], label="records: households listed")
    world.summary.copy_spool(spools["access"], label="household access log: links")
    world.access_id = ids.take("access")
    return maker
