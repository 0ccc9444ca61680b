"""The parallel-work report: what the four agencies did side by side in a Jalali period.

Four kinds of finding, each with a key a coordinator's verdict (``FindingReview``) is kept by:

- an **overlap**: two agencies' live records of the same aid in the same neighbourhood within
  the window of ``CoordinationRules``, one of them delivered in the period. The database pairs
  the records itself (one join, returning only the pairs), and the pairs agree with
  ``ServiceRecord.objects.parallel_to``, the rule the record form warns with;
- work **outside the division of labour**: an agency recording in a domain of a neighbourhood
  whose ``Responsibility`` names another lead and not this agency among the supporters;
- the **gaps** of coordination/gaps.py, as of the period's last day (or today, if earlier);
- a **household served by two or more agencies in one domain** in the period, from the
  households the records list (coordination/household_findings.py).

A finding marked justified stops counting; one marked to be resolved keeps counting, with its
note. Every function reads a fixed number of queries, whatever the
number of records.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.http import urlencode

from agencies.access import acting_user, scope_for
from agencies.models import (
    Agency,
    CoordinationRules,
    House,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
)
from coordination.activity import activity_neighbourhoods
from coordination.gaps import Gap, find_gaps, gap_keys
from coordination.household_findings import (
    HOUSEHOLD_REPEATS,
    HouseholdRepeat,
    attach_household_reading,
    find_household_repeats,
    household_repeat_keys,
    is_current_household_repeat,
)
from coordination.household_findings import KIND as HOUSEHOLD_REPEAT_KIND
from coordination.models import FindingKind, FindingReview, Responsibility, Verdict
from core.exports import jalali_text
from core.periods import Period
from neighbourhoods.models import Neighbourhood

# The report's sections; a gap is either of the two kinds coordination/gaps.py finds.
OVERLAPS = "overlaps"
OUTSIDE_ROLE = "outside_role"
GAPS = "gaps"
SECTIONS = (OVERLAPS, HOUSEHOLD_REPEATS, OUTSIDE_ROLE, GAPS)
GAP_KINDS = (FindingKind.NO_LEAD, FindingKind.SILENT_LEAD)

NOTE_MAX = 1000
NOTE_REQUIRED_MESSAGE = "برای «باید رفع شود» بنویسید چه باید کرد و با کیست."
NOTE_TOO_LONG_MESSAGE = "یادداشت حداکثر ۱۰۰۰ نویسه است."
NOT_A_FINDING_MESSAGE = (
    "این مورد دیگر در گزارش نیست (شاید خدمتی حذف یا تقسیم کار عوض شده است)؛ گزارش را دوباره ببینید."
)
KIND_MISMATCH_MESSAGE = "نوع یافته با شناسهٔ آن نمی‌خواند."


# --- What a finding is ---------------------------------------------------------------------


class Finding:
    """What every finding shares: its key, its kind and the coordinator's verdict, if any."""

    key: str
    kind: str
    review: FindingReview | None

    @property
    def kind_label(self) -> str:
        return FindingKind(self.kind).label

    @property
    def is_justified(self) -> bool:
        return self.review is not None and self.review.verdict == Verdict.JUSTIFIED

    @property
    def counts(self) -> bool:
        """Whether the finding still counts: not reviewed, or to be resolved."""
        return not self.is_justified

    @property
    def anchor(self) -> str:
        """The id of the finding's card on the report page."""
        return "finding-" + self.key.replace(":", "-")


@dataclass
class RecordRef:
    """One record of an overlap: what the report may show of it (never its notes)."""

    pk: int
    house: House  # unsaved: its agency and neighbourhood, for ``scope.contains``
    service_type: ServiceType
    delivered_on: datetime.date
    parallel_reason: str
    openable: bool = False  # whether the reader may open the record itself

    SCOPE_PATHS = ServiceRecord.SCOPE_PATHS

    @property
    def agency(self) -> Agency:
        return self.house.agency


@dataclass
class Overlap(Finding):
    neighbourhood: Neighbourhood
    domain: ServiceDomain
    first: RecordRef  # the earlier delivered (the lower id on the same day)
    second: RecordRef
    review: FindingReview | None = None
    kind: str = FindingKind.OVERLAP

    @property
    def key(self) -> str:
        low, high = sorted((self.first.pk, self.second.pk))
        return f"overlap:{low}:{high}"

    @property
    def days_apart(self) -> int:
        return abs((self.second.delivered_on - self.first.delivered_on).days)

    @property
    def service_types(self) -> list[ServiceType]:
        if self.first.service_type.pk == self.second.service_type.pk:
            return [self.first.service_type]
        return [self.first.service_type, self.second.service_type]

    @property
    def reason(self) -> str:
        """Why the clerk saved the later-entered record despite the warning (blank if never
        warned); the earlier-entered one's reason when only it has one."""
        later, earlier = sorted((self.first, self.second), key=lambda ref: ref.pk, reverse=True)
        return later.parallel_reason or earlier.parallel_reason

    @property
    def shown_reason(self) -> str:
        """The reason, for a reader who may open the record that carries it: like the notes,
        it is not for other agencies' staff."""
        later, earlier = sorted((self.first, self.second), key=lambda ref: ref.pk, reverse=True)
        for ref in (later, earlier):
            if ref.parallel_reason and ref.openable:
                return ref.parallel_reason
        return ""

    def involves(self, agency_id) -> bool:
        return agency_id in (self.first.house.agency_id, self.second.house.agency_id)


@dataclass
class OutsideRole(Finding):
    neighbourhood: Neighbourhood
    domain: ServiceDomain
    agency: Agency
    lead: Agency
    records: int
    period: Period
    review: FindingReview | None = None
    listable: bool = False  # whether the reader sees these records in the records list
    kind: str = FindingKind.OUTSIDE_ROLE

    SCOPE_PATHS = House.SCOPE_PATHS

    @property
    def key(self) -> str:
        return outside_role_key(self.neighbourhood.pk, self.domain.pk, self.agency.pk, self.period)

    @property
    def records_query(self) -> str:
        """The records list's filters (agencies/filters.py) that show these records."""
        return urlencode(
            {
                "neighbourhood": self.neighbourhood.pk,
                "domain": self.domain.pk,
                "agency": self.agency.pk,
                "date_from": jalali_text(self.period.first_day()),
                "date_to": jalali_text(self.period.last_day()),
            }
        )

    # For ``scope.contains``: the records are those of this agency's house here.
    @property
    def agency_id(self):
        return self.agency.pk


@dataclass
class GapFinding(Finding):
    gap: Gap
    review: FindingReview | None = None

    @property
    def key(self) -> str:
        return self.gap.key

    @property
    def kind(self) -> str:
        return self.gap.kind

    def __getattr__(self, name):
        # neighbourhood, domain, lead, last_delivered_on, is_no_lead: the gap's own.
        if name == "gap":
            raise AttributeError(name)
        return getattr(self.gap, name)


def outside_role_key(neighbourhood_id, domain_id, agency_id, period: Period) -> str:
    return f"outside_role:{neighbourhood_id}:{domain_id}:{agency_id}:{period.slug}"


# --- Overlaps ------------------------------------------------------------------------------

# What a pair's row holds of its later record, by the names the query gives it, and what of
# it the query only filters on. The earlier record's fields come under their own names.
_LATER = {
    "later_pk": "pk",
    "later_agency_id": "house__agency_id",
    "later_service_type_id": "service_type_id",
    "later_delivered_on": "delivered_on",
    "later_parallel_reason": "parallel_reason",
}
_LATER_FILTERED = {
    "later_neighbourhood_id": "house__neighbourhood_id",
    "later_deleted_at": "deleted_at",
}
_EARLIER = (
    "pk",
    "house__neighbourhood_id",
    "house__agency_id",
    "service_type_id",
    "delivered_on",
    "parallel_reason",
)


def _overlap_rows(records, period: Period, rules: CoordinationRules):
    """Each overlap as one row: the earlier record's fields (by date, then id) and the later
    one's (``_LATER``). The database joins each record to the later records of the same aid
    in its neighbourhood within the window and returns only the pairs.

    *records* may be narrowed by place and domain only (as ``_reach`` does): the later record
    of a pair lies in the same neighbourhood and domain as the earlier, so it is taken from
    every live record rather than from *records* again. The pairs agree with
    ``ServiceRecord.objects.parallel_to``, the rule the record form warns with."""
    first, last = period.first_day(), period.last_day()
    start, _ = rules.window(first)
    _, end = rules.window(last)
    span = datetime.timedelta(days=rules.window_days)
    # Joined through the type (or the domain) rather than the neighbourhood: a clerk's reach
    # already joins the neighbourhood's houses, and that join must not be shared.
    later = (
        "service_type__domain__service_types__service_records"
        if rules.same_domain
        else "service_type__service_records"
    )
    return (
        records.alive()
        .filter(delivered_on__range=(start, last))
        .annotate(**{name: F(f"{later}__{path}") for name, path in _LATER.items()})
        .alias(**{name: F(f"{later}__{path}") for name, path in _LATER_FILTERED.items()})
        .filter(
            Q(later_delivered_on__gt=F("delivered_on"))
            | Q(later_delivered_on=F("delivered_on"), later_pk__gt=F("pk")),
            Q(later_agency_id__lt=F("house__agency_id"))
            | Q(later_agency_id__gt=F("house__agency_id")),
            # One of the two in the period: the earlier one, or else the later one.
            Q(delivered_on__gte=first) | Q(later_delivered_on__lte=last),
            later_deleted_at__isnull=True,
            later_neighbourhood_id=F("house__neighbourhood_id"),
            later_delivered_on__range=(first, end),
            later_delivered_on__lte=F("delivered_on") + span,
        )
        .order_by()
    )


def _overlap_keys(records, period: Period, rules: CoordinationRules, agency_id=None) -> list[str]:
    """The keys of the overlaps (only those with a record of *agency_id*, when given), without
    reading the records' fields: one query. The dashboard's count."""
    rows = _overlap_rows(records, period, rules)
    if agency_id is not None:
        rows = rows.filter(Q(house__agency_id=agency_id) | Q(later_agency_id=agency_id))
    # The earlier record's id may be the higher one; the key puts the lower first.
    return [
        f"overlap:{min(pk, later)}:{max(pk, later)}"
        for pk, later in rows.values_list("pk", "later_pk")
    ]


def find_overlaps(*, records, period: Period, rules: CoordinationRules) -> list[Overlap]:
    """The overlaps among *records* (a ServiceRecord queryset, narrowed by place and domain
    only) with one of the two delivered in *period*, ordered by city, neighbourhood and date.
    Four queries, whatever the number of records; reviews are not attached
    (``coordination_report`` does it)."""
    rows = list(_overlap_rows(records, period, rules).values_list(*_EARLIER, *_LATER))
    if not rows:
        return []
    places = Neighbourhood.objects.select_related("city").in_bulk({row[1] for row in rows})
    types = ServiceType.objects.select_related("domain").in_bulk(
        {row[3] for row in rows} | {row[8] for row in rows}
    )
    agencies = Agency.objects.in_bulk({row[2] for row in rows} | {row[7] for row in rows})
    houses = {}  # one unsaved House per agency and neighbourhood, shared by its records

    def house(agency_id, place_id) -> House:
        if (agency_id, place_id) not in houses:
            houses[agency_id, place_id] = House(
                agency=agencies[agency_id], neighbourhood=places[place_id]
            )
        return houses[agency_id, place_id]

    overlaps = []
    for pk, place_id, agency_id, type_id, day, reason, *later in rows:
        later_pk, later_agency_id, later_type_id, later_day, later_reason = later
        overlaps.append(
            Overlap(
                neighbourhood=places[place_id],
                domain=types[type_id].domain,
                first=RecordRef(pk, house(agency_id, place_id), types[type_id], day, reason),
                second=RecordRef(
                    later_pk,
                    house(later_agency_id, place_id),
                    types[later_type_id],
                    later_day,
                    later_reason,
                ),
            )
        )
    overlaps.sort(
        key=lambda o: (
            o.neighbourhood.city.name,
            o.neighbourhood.name,
            o.first.delivered_on,
            o.first.pk,
            o.second.pk,
        )
    )
    return overlaps


# --- Outside the division of labour -------------------------------------------------------


def _outside_role_groups(records, period: Period) -> list[tuple[int, int, int, int, int]]:
    """``(neighbourhood id, domain id, agency id, lead id, record count)`` for each agency
    recording in a domain of a neighbourhood led by another agency that it does not support.
    Three queries."""
    counted = (
        records.alive()
        .filter(**period.lookups())
        .order_by()
        .values("house__neighbourhood_id", "service_type__domain_id", "house__agency_id")
        .annotate(records=Count("pk"))
    )
    counted = list(counted)
    if not counted:
        return []
    # Ids only: at national scale these are thousands of rows, and model instances of them
    # (with their supporters prefetched) cost seconds.
    chosen = Responsibility.objects.filter(
        neighbourhood_id__in={row["house__neighbourhood_id"] for row in counted},
        lead__isnull=False,
    )
    leads, ids = {}, {}
    for pk, place, domain, lead in chosen.values_list(
        "pk", "neighbourhood_id", "domain_id", "lead_id"
    ):
        leads[(place, domain)] = lead
        ids[pk] = (place, domain)
    supporters = defaultdict(set)
    links = Responsibility.supporters.through.objects.filter(responsibility__in=chosen.values("pk"))
    for pk, agency in links.values_list("responsibility_id", "agency_id") if ids else ():
        supporters[ids[pk]].add(agency)
    found = []
    for row in counted:
        place, domain, agency = (
            row["house__neighbourhood_id"],
            row["service_type__domain_id"],
            row["house__agency_id"],
        )
        lead = leads.get((place, domain))
        if lead is None or lead == agency or agency in supporters[(place, domain)]:
            continue
        found.append((place, domain, agency, lead, row["records"]))
    return found


def find_outside_role(*, records, period: Period) -> list[OutsideRole]:
    """Work outside the division of labour among *records* in *period*, ordered by city,
    neighbourhood, domain and agency. Six queries at most."""
    groups = _outside_role_groups(records, period)
    if not groups:
        return []
    places = Neighbourhood.objects.select_related("city").in_bulk({g[0] for g in groups})
    domains = ServiceDomain.objects.in_bulk({g[1] for g in groups})
    agencies = Agency.objects.in_bulk({g[2] for g in groups} | {g[3] for g in groups})
    found = [
        OutsideRole(
            neighbourhood=places[place],
            domain=domains[domain],
            agency=agencies[agency],
            lead=agencies[lead],
            records=count,
            period=period,
        )
        for place, domain, agency, lead, count in groups
    ]
    found.sort(
        key=lambda f: (
            f.neighbourhood.city.name,
            f.neighbourhood.name,
            f.domain.order,
            f.agency.order,
            f.agency.pk,
        )
    )
    return found


# --- The report ----------------------------------------------------------------------------


@dataclass
class Report:
    period: Period
    as_of: datetime.date
    rules: CoordinationRules
    overlaps: list[Overlap] = field(default_factory=list)
    household_repeats: list[HouseholdRepeat] = field(default_factory=list)
    outside_role: list[OutsideRole] = field(default_factory=list)
    gaps: list[GapFinding] = field(default_factory=list)

    def section(self, name: str) -> list[Finding]:
        return getattr(self, name)

    @property
    def counts(self) -> dict[str, int]:
        """The findings that still count in each section (justified ones left out)."""
        counts = {name: sum(f.counts for f in self.section(name)) for name in SECTIONS}
        counts["total"] = sum(counts.values())
        return counts

    def findings(self, *, section: str | None = None, show_justified=False) -> list[Finding]:
        """The findings to list, in the report's order: one section or all; justified ones
        only when asked."""
        names = [section] if section else SECTIONS
        return [
            finding
            for name in names
            for finding in self.section(name)
            if show_justified or finding.counts
        ]


def report_as_of(period: Period, today: datetime.date) -> datetime.date:
    """The day gaps are judged on: the period's last day, or today if that comes first."""
    return min(period.last_day(), today)


@dataclass
class _Reach:
    """The part of the province one reader's report covers."""

    records: object  # ServiceRecord queryset
    neighbourhoods: object  # Neighbourhood queryset
    agency_id: int | None  # agency staff: only findings involving their agency


def _reach(user, *, city=None, domain=None) -> _Reach:
    scope = scope_for(user)
    records = ServiceRecord.objects.in_neighbourhoods_of(user)
    places = activity_neighbourhoods(user)
    if city is not None:
        records = records.filter(house__neighbourhood__city=city)
        places = places.filter(city=city)
    if domain is not None:
        records = records.filter(service_type__domain=domain)
    return _Reach(records=records, neighbourhoods=places, agency_id=scope.agency_id)


# Above this many findings, every verdict is read and matched here rather than asked for by
# key: a national year's 50,000 keys made a query of 1.4 MB, and verdicts, given by hand, are
# far fewer than findings.
_KEYS_ASKED_FOR = 2000


def _verdicts_among(keys: set[str]):
    """The verdicts that may be on *keys*: those of the keys, or every verdict when the keys
    are many (the caller matches them)."""
    if len(keys) <= _KEYS_ASKED_FOR:
        return FindingReview.objects.filter(key__in=keys)
    return FindingReview.objects.all()


def _reviews(keys) -> dict[str, FindingReview]:
    """The verdicts on *keys*: one query."""
    keys = set(keys)
    if not keys:
        return {}
    found = _verdicts_among(keys).select_related("reviewed_by")
    return {review.key: review for review in found if review.key in keys}


def _gaps(reach: _Reach, as_of, rules, domain) -> list[Gap]:
    gaps = find_gaps(neighbourhoods=reach.neighbourhoods, as_of=as_of, rules=rules)
    if domain is not None:
        gaps = [gap for gap in gaps if gap.domain.pk == domain.pk]
    return gaps


def coordination_report(
    *, user, period: Period, today: datetime.date, city=None, domain=None
) -> Report:
    """Every finding of *period* that *user* may read: province-wide roles everything; agency
    staff the findings in the neighbourhoods they work in that involve their agency (an overlap
    with one of its records, a household it served that another agency served too, its own
    work outside its role, the gaps of those neighbourhoods). *city* and *domain* narrow it
    further. Each finding carries its review, if any; record links are marked ``openable``
    where the reader may open the record, households ``household_openable`` likewise."""
    scope = scope_for(user)
    rules = CoordinationRules.current()
    as_of = report_as_of(period, today)
    report = Report(period=period, as_of=as_of, rules=rules)
    if not scope.sees_program:
        return report
    reach = _reach(user, city=city, domain=domain)
    overlaps = find_overlaps(records=reach.records, period=period, rules=rules)
    repeats = find_household_repeats(records=reach.records, period=period)
    outside = find_outside_role(records=reach.records, period=period)
    if reach.agency_id is not None:
        overlaps = [o for o in overlaps if o.involves(reach.agency_id)]
        repeats = [f for f in repeats if f.involves(reach.agency_id)]
        outside = [f for f in outside if f.agency.pk == reach.agency_id]
    gaps = [GapFinding(gap) for gap in _gaps(reach, as_of, rules, domain)]
    everything = (*overlaps, *repeats, *outside, *gaps)
    reviews = _reviews(f.key for f in everything)
    for finding in everything:
        finding.review = reviews.get(finding.key)
    for overlap in overlaps:
        for ref in (overlap.first, overlap.second):
            ref.openable = scope.contains(ref)
    attach_household_reading(repeats, scope=scope, user=user)
    for finding in outside:
        finding.listable = scope.contains(finding)
    report.overlaps, report.outside_role, report.gaps = overlaps, outside, gaps
    report.household_repeats = repeats
    return report


def headline(*, user, period: Period, today: datetime.date) -> dict:
    """The counts of the report's sections for the dashboard (justified findings left out),
    without building the findings themselves: a fixed number of queries."""
    scope = scope_for(user)
    counts = dict.fromkeys(SECTIONS, 0)
    if scope.sees_program:
        rules = CoordinationRules.current()
        reach = _reach(user)
        groups = _outside_role_groups(reach.records, period)
        if reach.agency_id is not None:
            groups = [group for group in groups if group[2] == reach.agency_id]
        keys = {
            OVERLAPS: _overlap_keys(reach.records, period, rules, reach.agency_id),
            HOUSEHOLD_REPEATS: household_repeat_keys(reach.records, period, reach.agency_id),
            OUTSIDE_ROLE: [outside_role_key(g[0], g[1], g[2], period) for g in groups],
            GAPS: gap_keys(
                neighbourhoods=reach.neighbourhoods, as_of=report_as_of(period, today), rules=rules
            ),
        }
        every_key = {key for section in keys.values() for key in section}
        justified = set(
            _verdicts_among(every_key)
            .filter(verdict=Verdict.JUSTIFIED)
            .values_list("key", flat=True)
        )
        counts = {name: sum(key not in justified for key in keys[name]) for name in SECTIONS}
    return {
        "period": period,
        "query": period_query(period),
        **counts,
        "total": sum(counts.values()),
    }


def period_query(period: Period) -> str:
    """The report's query string for *period* (the fields of ``ReportForm``)."""
    if period.quarter:
        return f"period=quarter&year={period.year}&quarter={period.quarter}"
    if period.month:
        return f"period=month&year={period.year}&month={period.month}"
    return f"period=year&year={period.year}"


# --- A coordinator's verdict ---------------------------------------------------------------

_PERIOD_SLUG = re.compile(r"^(\d{4})(?:-q([1-4])|-(0[1-9]|1[0-2]))?$")


def period_from_slug(slug: str) -> Period | None:
    """The year, quarter or month a ``Period.slug`` names, or None."""
    match = _PERIOD_SLUG.match(slug)
    if match is None:
        return None
    year, quarter, month = match.groups()
    if quarter:
        return Period.of_quarter(int(year), int(quarter))
    if month:
        return Period.of_month(int(year), int(month))
    return Period.of_year(int(year))


def _ids(parts: list[str], count: int) -> list[int] | None:
    if len(parts) != count or not all(part.isascii() and part.isdigit() for part in parts):
        return None
    return [int(part) for part in parts]


def _is_current_finding(key: str, kind: str, *, as_of: datetime.date) -> bool:
    """Whether *key* names a finding of *kind* the report would show today (for gaps, as of
    *as_of*), found again from what the key names."""
    rest = key.partition(":")[2]
    parts = rest.split(":")
    if kind == FindingKind.OVERLAP:
        ids = _ids(parts, 2)
        if ids is None or ids[0] >= ids[1]:
            return False
        record = ServiceRecord.objects.alive().select_related("house", "service_type")
        record = record.filter(pk=ids[0]).first()
        rules = CoordinationRules.current()
        return record is not None and (
            ServiceRecord.objects.parallel_to(record, rules).filter(pk=ids[1]).exists()
        )
    if kind == FindingKind.OUTSIDE_ROLE:
        ids = _ids(parts[:3], 3)
        period = period_from_slug(":".join(parts[3:])) if len(parts) == 4 else None
        if ids is None or period is None:
            return False
        place, domain, agency = ids
        records = ServiceRecord.objects.filter(
            house__neighbourhood_id=place, service_type__domain_id=domain, house__agency_id=agency
        )
        return bool(_outside_role_groups(records, period))
    if kind == HOUSEHOLD_REPEAT_KIND:
        ids = _ids(parts[:2], 2)
        period = period_from_slug(parts[2]) if len(parts) == 3 else None
        if ids is None or period is None:
            return False
        return is_current_household_repeat(ids[0], ids[1], period)
    if kind in GAP_KINDS:
        ids = _ids(parts[:1], 1)
        if ids is None:
            return False
        gaps = find_gaps(neighbourhoods=Neighbourhood.objects.filter(pk=ids[0]), as_of=as_of)
        return key in {gap.key for gap in gaps}
    return False


def review_errors(
    *, key: str, kind: str, verdict: str, note: str, as_of: datetime.date | None = None
) -> dict[str, list[str]]:
    """What is wrong with a verdict, in Persian, keyed by field (``kind``, ``note``, ``key``;
    an unknown verdict is ``full_clean``'s): empty when it may be saved. The admin's form and
    :func:`finding_review` ask the same question."""
    note = (note or "").strip()
    errors = {}
    if kind not in FindingKind.values or not key.startswith(f"{kind}:"):
        errors["kind"] = [KIND_MISMATCH_MESSAGE]
    if verdict == Verdict.TO_RESOLVE and not note:
        errors["note"] = [NOTE_REQUIRED_MESSAGE]
    elif len(note) > NOTE_MAX:
        errors["note"] = [NOTE_TOO_LONG_MESSAGE]
    if not errors and not _is_current_finding(key, kind, as_of=as_of or timezone.localdate()):
        errors["key"] = [NOT_A_FINDING_MESSAGE]
    return errors


def finding_review(
    *, key: str, kind: str, verdict: str, note: str, user, as_of: datetime.date | None = None
) -> FindingReview:
    """Record a provincial coordinator's verdict on the finding *key* of *kind*: «بررسی شد،
    موجه است» (``Verdict.JUSTIFIED``, the finding stops counting) or «باید رفع شود»
    (``Verdict.TO_RESOLVE``, it keeps counting, shown with *note*, which is then required).
    A second verdict on the same key replaces the first; the history keeps both, with the user.

    Raises ``PermissionDenied`` for anyone else, ``ValidationError`` (Persian, keyed by field)
    for a bad verdict, a missing or too long note, or a key that is not a current finding
    (gaps are judged as of *as_of*, the report's day; today when not given)."""
    scope_for(user).require("manage_province")
    note = (note or "").strip()
    errors = review_errors(key=key, kind=kind, verdict=verdict, note=note, as_of=as_of)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = FindingReview.objects.select_for_update().filter(key=key).first()
        review = review or FindingReview(key=key)
        review.kind, review.verdict, review.note = kind, verdict, note
        review.reviewed_by = acting_user(user)
        review._history_user = acting_user(user)
        review.full_clean()
        review.save()
    return review


def rules_save(*, rules: CoordinationRules, user) -> CoordinationRules:
    """Save the province's coordination rules (*rules*, the one row with the edits applied, or
    a new one when none is stored yet) as a provincial coordinator, with a history row naming
    the user. What the record form warns about and the report counts change at once; public
    pages show neither."""
    scope_for(user).require("manage_province")
    stored = CoordinationRules.objects.order_by("pk").first()
    if stored is not None:
        rules.pk = stored.pk
    with transaction.atomic():
        rules.full_clean()
        rules._history_user = acting_user(user)
        rules.save()
    return rules
