"""The coordination report's households served by two or more agencies in one domain.

A finding is one household and one domain in a Jalali period: the live records delivered in
the period that list the household (``RecordHousehold``) come from at least two agencies and
are of types of that domain. The section is about the period as a whole, so the household
window of ``CoordinationRules`` (what the record form warns about at entry) plays no part, and
the grouping is always by domain, whatever ``household_same_domain`` says.

A household is named by ``Household.reference`` only: the rows read here never carry its
national ID or name, and the households are not even loaded (a finding holds an unsaved
``Household`` with its row number and neighbourhood). Each function reads a fixed number of
queries, whatever the number of records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from agencies.models import (
    Agency,
    House,
    Household,
    RecordHousehold,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
)
from coordination.models import FindingKind, FindingReview, Verdict
from core.periods import Period
from neighbourhoods.models import Neighbourhood

HOUSEHOLD_REPEATS = "household_repeats"  # the report's section
KIND = FindingKind.HOUSEHOLD_REPEAT  # the finding's kind, the first part of its key

_ROW_FIELDS = (
    "household_id",
    "household__neighbourhood_id",
    "record_id",
    "record__house__agency_id",
    "record__house__neighbourhood_id",
    "record__service_type_id",
    "record__service_type__domain_id",
    "record__delivered_on",
    "record__repeat_reason",
)


def household_repeat_key(household_id, domain_id, period: Period) -> str:
    return f"{KIND.value}:{household_id}:{domain_id}:{period.slug}"


def _links(records, period: Period):
    """The household links of *records* (a ServiceRecord queryset) delivered in *period*."""
    chosen = records.alive().filter(**period.lookups()).order_by().values("pk")
    return RecordHousehold.objects.filter(record__in=chosen).order_by()


def _repeated(records, period: Period):
    """``household_id`` and ``record__service_type__domain_id`` of each finding among *records*
    in *period*: grouped in the database, which returns only the findings."""
    return (
        _links(records, period)
        .values("household_id", "record__service_type__domain_id")
        .annotate(agencies=Count("record__house__agency_id", distinct=True))
        .filter(agencies__gt=1)
    )


def _groups(records, period: Period) -> dict[tuple[int, int], list[dict]]:
    """The links of *records* (a ServiceRecord queryset) delivered in *period*, by (household
    id, domain id), keeping the groups with two agencies or more: one query, which reads only
    the links of the households of some finding."""
    households = _repeated(records, period).values("household_id")
    rows = _links(records, period).filter(household_id__in=households).values(*_ROW_FIELDS)
    groups = defaultdict(list)
    for row in rows:
        groups[(row["household_id"], row["record__service_type__domain_id"])].append(row)
    return {
        key: group
        for key, group in groups.items()
        if len({row["record__house__agency_id"] for row in group}) > 1
    }


def household_repeat_keys(records, period: Period, agency_id=None) -> list[str]:
    """The keys of the findings among *records* in *period* (only those involving *agency_id*
    when given), without building them: one query. The dashboard's count."""
    found = _repeated(records, period)
    if agency_id is not None:
        found = found.annotate(
            own=Count("pk", filter=Q(record__house__agency_id=agency_id))
        ).filter(own__gt=0)
    return [
        household_repeat_key(row["household_id"], row["record__service_type__domain_id"], period)
        for row in found
    ]


def is_current_household_repeat(household_id: int, domain_id: int, period: Period) -> bool:
    """Whether the household is still served by two agencies in the domain in *period*."""
    records = ServiceRecord.objects.filter(
        service_type__domain_id=domain_id, household_links__household_id=household_id
    )
    return bool(_groups(records, period))


# --- What a finding is ---------------------------------------------------------------------


@dataclass
class HouseholdRecord:
    """One record of a finding: what the report may show of it (never its notes)."""

    pk: int
    house: House  # unsaved: its agency and neighbourhood, for ``scope.contains``
    service_type: ServiceType
    delivered_on: datetime.date
    repeat_reason: str
    openable: bool = False  # whether the reader may open the record itself

    SCOPE_PATHS = ServiceRecord.SCOPE_PATHS

    @property
    def agency(self) -> Agency:
        return self.house.agency

    @property
    def shown_reason(self) -> str:
        """The clerk's reason, for a reader who may open the record: like the notes, it is not
        for other agencies' staff."""
        return self.repeat_reason if self.openable else ""


@dataclass
class AgencyRecords:
    agency: Agency
    records: list[HouseholdRecord]


@dataclass
class HouseholdRepeat:
    """One household served by two agencies or more in one domain in a period.

    It reads as a ``coordination.findings.Finding`` does (``key``, ``kind``, ``kind_label``,
    ``review``, ``is_justified``, ``counts``, ``anchor``), so the report, its export and its
    verdicts treat it as the other findings."""

    household: Household  # unsaved: its row number and neighbourhood only
    neighbourhood: Neighbourhood  # the household's
    domain: ServiceDomain
    period: Period
    agencies: list[AgencyRecords] = field(default_factory=list)  # earliest served first
    review: FindingReview | None = None
    household_openable: bool = False  # whether the reader may open the household's page
    kind: str = KIND

    @property
    def key(self) -> str:
        return household_repeat_key(self.household.pk, self.domain.pk, self.period)

    @property
    def kind_label(self) -> str:
        return FindingKind(KIND).label

    @property
    def is_justified(self) -> bool:
        return self.review is not None and self.review.verdict == Verdict.JUSTIFIED

    @property
    def counts(self) -> bool:
        return not self.is_justified

    @property
    def anchor(self) -> str:
        return "finding-" + self.key.replace(":", "-")

    @property
    def records(self) -> list[HouseholdRecord]:
        found = [ref for entry in self.agencies for ref in entry.records]
        return sorted(found, key=lambda ref: (ref.delivered_on, ref.pk))

    @property
    def service_types(self) -> list[ServiceType]:
        return list({ref.service_type.pk: ref.service_type for ref in self.records}.values())

    @property
    def first_day(self) -> datetime.date:
        return self.records[0].delivered_on

    @property
    def last_day(self) -> datetime.date:
        return self.records[-1].delivered_on

    @property
    def shown_reasons(self) -> list[str]:
        """The clerks' reasons the reader may read, once each, earliest first."""
        return list(dict.fromkeys(ref.shown_reason for ref in self.records if ref.shown_reason))

    def involves(self, agency_id) -> bool:
        return any(entry.agency.pk == agency_id for entry in self.agencies)


def find_household_repeats(*, records, period: Period) -> list[HouseholdRepeat]:
    """The households *records* (a ServiceRecord queryset) list that two agencies or more
    served in one domain in *period*, ordered by city, neighbourhood, household and domain.
    Four queries, whatever the number of records; reviews and what the reader may open are not
    attached (``coordination_report`` does it)."""
    groups = _groups(records, period)
    if not groups:
        return []
    rows = [row for group in groups.values() for row in group]
    places = Neighbourhood.objects.select_related("city").in_bulk(
        {row["household__neighbourhood_id"] for row in rows}
        | {row["record__house__neighbourhood_id"] for row in rows}
    )
    types = ServiceType.objects.select_related("domain").in_bulk(
        {row["record__service_type_id"] for row in rows}
    )
    agencies = Agency.objects.in_bulk({row["record__house__agency_id"] for row in rows})
    houses = {}  # one unsaved House per agency and neighbourhood, shared by its records

    def house_of(row) -> House:
        key = (row["record__house__agency_id"], row["record__house__neighbourhood_id"])
        if key not in houses:
            houses[key] = House(agency=agencies[key[0]], neighbourhood=places[key[1]])
        return houses[key]

    def ref(row) -> HouseholdRecord:
        return HouseholdRecord(
            pk=row["record_id"],
            house=house_of(row),
            service_type=types[row["record__service_type_id"]],
            delivered_on=row["record__delivered_on"],
            repeat_reason=row["record__repeat_reason"],
        )

    found = []
    for (household_id, _domain_id), group in groups.items():
        group.sort(key=lambda row: (row["record__delivered_on"], row["record_id"]))
        by_agency: dict[int, list[HouseholdRecord]] = {}
        for row in group:
            by_agency.setdefault(row["record__house__agency_id"], []).append(ref(row))
        place = places[group[0]["household__neighbourhood_id"]]
        found.append(
            HouseholdRepeat(
                household=Household(pk=household_id, neighbourhood=place),
                neighbourhood=place,
                domain=types[group[0]["record__service_type_id"]].domain,
                period=period,
                agencies=[
                    AgencyRecords(agency=agencies[agency_id], records=refs)
                    for agency_id, refs in by_agency.items()
                ],
            )
        )
    found.sort(
        key=lambda f: (
            f.neighbourhood.city.name,
            f.neighbourhood.name,
            f.household.pk,
            f.domain.order,
            f.domain.pk,
        )
    )
    return found


def attach_household_reading(findings: list[HouseholdRepeat], *, scope, user) -> None:
    """Mark what the reader may open: each record by *scope*, each household by
    ``Household.objects.visible_to`` (one query, none without findings)."""
    if not findings:
        return
    ids = {finding.household.pk for finding in findings}
    readable = set(
        Household.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    for finding in findings:
        finding.household_openable = finding.household.pk in readable
        for ref in finding.records:
            ref.openable = scope.contains(ref)
