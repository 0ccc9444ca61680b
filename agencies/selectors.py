"""Named queries behind the public neighbourhood and agency pages.

Every total starts from ``ServiceRecord.objects.public()`` — only approved records that are not
deleted count —
and adds up figures only: how many services, beneficiaries, households and Rials, never
anything about a person. Each function runs a fixed number of queries, whatever the number of
records, and lists every domain (or agency, or city) even where nothing was recorded yet, so a
page can show an honest zero.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from agencies.models import Agency, House, ServiceDomain, ServiceRecord
from neighbourhoods.models import City, Neighbourhood


@dataclass(frozen=True)
class Totals:
    """The figures of one row of a totals table; ``subject`` is what the row is about."""

    subject: object = None
    records: int = 0
    beneficiaries: int = 0
    households: int = 0
    cost: int = 0

    @classmethod
    def of(cls, subject, row: dict | None) -> "Totals":
        """Totals from one row of ``totals_by()`` (``None`` for a subject with no records)."""
        row = row or {}
        return cls(
            subject=subject,
            records=row.get("records") or 0,
            beneficiaries=row.get("beneficiaries") or 0,
            households=row.get("households") or 0,
            cost=row.get("cost") or 0,
        )

    @classmethod
    def add(cls, rows, subject=None) -> "Totals":
        """The sum of several rows, e.g. a grand total from the rows by domain."""
        rows = list(rows)
        return cls(
            subject=subject,
            records=sum(row.records for row in rows),
            beneficiaries=sum(row.beneficiaries for row in rows),
            households=sum(row.households for row in rows),
            cost=sum(row.cost for row in rows),
        )


@dataclass(frozen=True)
class DomainRow:
    domain: ServiceDomain
    cells: list[Totals]
    total: Totals


@dataclass(frozen=True)
class DomainAgencyTable:
    """Domains down, agencies across; ``cells`` of each row follow ``agencies``."""

    agencies: list[Agency]
    rows: list[DomainRow]
    agency_totals: list[Totals]
    total: Totals


@dataclass(frozen=True)
class AgencySummary:
    agency: Agency
    house_count: int
    totals: Totals


def _public():
    return ServiceRecord.objects.public()


def _by(records, field: str, subjects) -> list[Totals]:
    """One :class:`Totals` per subject, in the subjects' order, grouped on ``field``."""
    found = {row[field]: row for row in records.totals_by(field)}
    return [Totals.of(subject, found.get(subject.pk)) for subject in subjects]


# --- A neighbourhood --------------------------------------------------------------------


def neighbourhood_houses(neighbourhood: Neighbourhood):
    """The neighbourhood's houses, one per agency, in the agencies' usual order."""
    return neighbourhood.houses.select_related("agency").order_by("agency__order", "agency__name")


def _neighbourhood_agencies(neighbourhood: Neighbourhood):
    return Agency.objects.filter(houses__neighbourhood=neighbourhood).distinct()


def neighbourhood_totals_by_domain(neighbourhood: Neighbourhood) -> list[Totals]:
    """What was delivered in the neighbourhood, per service domain."""
    records = _public().filter(house__neighbourhood=neighbourhood)
    return _by(records, "service_type__domain", ServiceDomain.objects.all())


def neighbourhood_totals_by_agency(neighbourhood: Neighbourhood) -> list[Totals]:
    """What each agency with a house in the neighbourhood delivered there."""
    records = _public().filter(house__neighbourhood=neighbourhood)
    return _by(records, "house__agency", _neighbourhood_agencies(neighbourhood))


def neighbourhood_domain_agency_table(neighbourhood: Neighbourhood) -> DomainAgencyTable:
    """The neighbourhood's totals per domain and agency, for a small cross table."""
    records = _public().filter(house__neighbourhood=neighbourhood)
    found = {
        (row["service_type__domain"], row["house__agency"]): row
        for row in records.totals_by("service_type__domain", "house__agency")
    }
    agencies = list(_neighbourhood_agencies(neighbourhood))
    rows = []
    for domain in ServiceDomain.objects.all():
        cells = [Totals.of(agency, found.get((domain.pk, agency.pk))) for agency in agencies]
        rows.append(DomainRow(domain=domain, cells=cells, total=Totals.add(cells, domain)))
    agency_totals = [
        Totals.add((row.cells[index] for row in rows), agency)
        for index, agency in enumerate(agencies)
    ]
    return DomainAgencyTable(
        agencies=agencies,
        rows=rows,
        agency_totals=agency_totals,
        total=Totals.add(row.total for row in rows),
    )


# --- Agencies ---------------------------------------------------------------------------


def agencies_overview() -> list[AgencySummary]:
    """Every agency with its number of active houses and its headline totals."""
    # Meta.ordering is dropped from GROUP BY queries, so the order is spelt out here.
    agencies = Agency.objects.annotate(
        house_count=Count("houses", filter=Q(houses__is_active=True))
    ).order_by("order", "name")
    totals = {row.subject.pk: row for row in _by(_public(), "house__agency", agencies)}
    return [
        AgencySummary(agency=agency, house_count=agency.house_count, totals=totals[agency.pk])
        for agency in agencies
    ]


def agency_houses(agency: Agency):
    """The agency's houses with their neighbourhood and city, ordered for grouping by city."""
    return (
        House.objects.filter(agency=agency)
        .select_related("neighbourhood__city")
        .order_by("neighbourhood__city__name", "neighbourhood__city_id", "neighbourhood__name")
    )


def agency_totals_by_domain(agency: Agency) -> list[Totals]:
    """What the agency delivered, per service domain."""
    records = _public().filter(house__agency=agency)
    return _by(records, "service_type__domain", ServiceDomain.objects.all())


def agency_totals_by_city(agency: Agency) -> list[Totals]:
    """What the agency delivered in each city where it has a house."""
    records = _public().filter(house__agency=agency)
    cities = City.objects.filter(neighbourhoods__houses__agency=agency).distinct()
    return _by(records, "house__neighbourhood__city", cities)
