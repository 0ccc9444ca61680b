"""Every figure the dashboards, the pivot, the public statistics and the home page show.

All of it is added up in the database: one ``GROUP BY`` per table, over the stored Jalali year
and month where time is involved, never a loop over records. A page built from these
functions runs the same number of queries for 3,000 records as for a million.

The records come in already narrowed to what the reader may see (``visible_to(user)`` for
staff, ``public()`` for visitors); a :class:`Selection` then narrows them to a period and to
the filters chosen on the page. Subjects (cities, agencies, …) are listed even where nothing
was recorded, so a table shows an honest zero rather than leaving a row out.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Max, Q, Sum

from agencies.models import (
    Agency,
    House,
    Household,
    RecordHousehold,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
)
from core.digits import to_persian_digits
from core.periods import Period, month_label
from neighbourhoods.models import City, Neighbourhood

# --- Measures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    aggregate: Callable
    counts_people: bool  # a count of people or households: protected below 5 in public


MEASURES = {
    m.key: m
    for m in (
        Measure("records", "تعداد خدمت", lambda: Count("id"), False),
        Measure("beneficiaries", "ذی‌نفعان", lambda: Sum("beneficiaries"), True),
        Measure("households", "خانوارهای بهره‌مند", lambda: Sum("households"), True),
        Measure("disabled", "توان‌خواهان", lambda: Sum("disabled"), True),
        Measure("cost", "هزینه (ریال)", lambda: Sum("cost_rials"), False),
    )
}
MEASURE_KEYS = tuple(MEASURES)


def _annotations(measures=MEASURE_KEYS) -> dict:
    return {key: MEASURES[key].aggregate() for key in measures}


@dataclass(frozen=True)
class Figures:
    """The five headline figures of a set of records."""

    records: int = 0
    beneficiaries: int = 0
    households: int = 0
    disabled: int = 0
    cost: int = 0

    @classmethod
    def of(cls, row: dict | None) -> "Figures":
        row = row or {}
        return cls(**{key: row.get(key) or 0 for key in MEASURE_KEYS})

    @classmethod
    def add(cls, many) -> "Figures":
        many = list(many)
        return cls(**{key: sum(getattr(f, key) for f in many) for key in MEASURE_KEYS})

    def get(self, measure: str) -> int:
        return getattr(self, measure)

    @property
    def cost_per_beneficiary(self) -> int | None:
        return round(self.cost / self.beneficiaries) if self.beneficiaries else None


# --- What to count -----------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A period and the filters of a dashboard page; ``None`` filters nothing."""

    period: Period
    city: City | None = None
    neighbourhood: Neighbourhood | None = None
    agency: Agency | None = None
    domain: ServiceDomain | None = None
    service_type: ServiceType | None = None
    status: str | None = None

    def without_period(self, records):
        """*records* narrowed by every filter but the period (the trend needs two periods)."""
        lookups = {
            "house__neighbourhood__city": self.city,
            "house__neighbourhood": self.neighbourhood,
            "house__agency": self.agency,
            "service_type__domain": self.domain,
            "service_type": self.service_type,
            "status": self.status,
        }
        return records.filter(**{k: v for k, v in lookups.items() if v is not None})

    def apply(self, records):
        return self.without_period(records).filter(**self.period.lookups())

    def replace(self, **changes) -> "Selection":
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return Selection(**values)


def headline(records) -> Figures:
    """The five figures of *records* (one query)."""
    return Figures.of(records.aggregate(**_annotations()))


# --- Counting people once ------------------------------------------------------------------


class Reached(NamedTuple):
    """The households the records list, each counted once, and their members.

    Beside ``Figures.beneficiaries`` (each service's own count, added up: a household helped by
    three agencies is in it three times), these count a household once however many records
    list it, and its people once: the sum of its members. Records without a list of households
    (services given to groups) add nothing to them."""

    households: int = 0
    people: int = 0


def households_reached(records) -> Reached:
    """The distinct households listed by *records* (already narrowed to the reader and the
    selection) and the sum of their members: one query. Counts only: no household is read."""
    listed = RecordHousehold.objects.filter(record__in=records.order_by().values("pk"))
    found = Household.objects.filter(pk__in=listed.values("household_id")).aggregate(
        households=Count("pk"), people=Sum("members")
    )
    return Reached(households=found["households"] or 0, people=found["people"] or 0)


# --- Dimensions: what a table can be broken down by --------------------------------------


@dataclass(frozen=True)
class Subject:
    key: object  # what the GROUP BY returns for it: a primary key, a year, (year, month)
    label: str
    extra: str = ""  # e.g. the city of a neighbourhood
    colour: str = ""  # an agency's colour, for charts
    obj: object = None


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    fields: tuple[str, ...]
    subjects: Callable[["Selection", object], list[Subject]]

    def key_of(self, row: dict):
        values = tuple(row[f] for f in self.fields)
        return values[0] if len(values) == 1 else values


def _cities(selection: Selection, scope) -> list[Subject]:
    neighbourhoods = scope.neighbourhoods(Neighbourhood.objects.all())
    if selection.neighbourhood:
        neighbourhoods = neighbourhoods.filter(pk=selection.neighbourhood.pk)
    cities = City.objects.filter(pk__in=neighbourhoods.values("city_id"))
    if selection.city:
        cities = cities.filter(pk=selection.city.pk)
    return [Subject(c.pk, c.name, obj=c) for c in cities.order_by("name", "pk")]


def _neighbourhoods(selection: Selection, scope) -> list[Subject]:
    neighbourhoods = scope.neighbourhoods(Neighbourhood.objects.select_related("city"))
    if selection.city:
        neighbourhoods = neighbourhoods.filter(city=selection.city)
    if selection.neighbourhood:
        neighbourhoods = neighbourhoods.filter(pk=selection.neighbourhood.pk)
    return [
        Subject(n.pk, n.name, extra=n.city.name, obj=n)
        for n in neighbourhoods.order_by("city__name", "name", "pk")
    ]


def _agencies(selection: Selection, scope) -> list[Subject]:
    agencies = scope.agencies(Agency.objects.all())
    if selection.agency:
        agencies = agencies.filter(pk=selection.agency.pk)
    return [
        Subject(a.pk, a.short_name, colour=a.colour, obj=a)
        for a in agencies.order_by("order", "name")
    ]


def _domains(selection: Selection, scope) -> list[Subject]:
    domains = ServiceDomain.objects.all()
    if selection.domain:
        domains = domains.filter(pk=selection.domain.pk)
    if selection.service_type:
        domains = domains.filter(pk=selection.service_type.domain_id)
    return [Subject(d.pk, d.name, obj=d) for d in domains.order_by("order", "name")]


def _service_types(selection: Selection, scope) -> list[Subject]:
    types = ServiceType.objects.select_related("domain")
    if selection.domain:
        types = types.filter(domain=selection.domain)
    if selection.service_type:
        types = types.filter(pk=selection.service_type.pk)
    return [
        Subject(t.pk, t.name, extra=t.domain.name, obj=t)
        for t in types.order_by("domain__order", "domain__name", "name")
    ]


def _months(selection: Selection, scope) -> list[Subject]:
    return [Subject((y, m), month_label(y, m)) for y, m in selection.period.months()]


def _years(selection: Selection, scope) -> list[Subject]:
    years = sorted({y for y, _m in selection.period.months()})
    return [Subject(y, to_persian_digits(y)) for y in years]


DIMENSIONS = {
    d.key: d
    for d in (
        Dimension("city", "شهر", ("house__neighbourhood__city",), _cities),
        Dimension("neighbourhood", "محله", ("house__neighbourhood",), _neighbourhoods),
        Dimension("agency", "دستگاه", ("house__agency",), _agencies),
        Dimension("domain", "حوزه", ("service_type__domain",), _domains),
        Dimension("service_type", "نوع خدمت", ("service_type",), _service_types),
        Dimension("month", "ماه", ("jalali_year", "jalali_month"), _months),
        Dimension("year", "سال", ("jalali_year",), _years),
    )
}
BREAKDOWNS = ("agency", "domain", "city", "neighbourhood")


@dataclass(frozen=True)
class Row:
    subject: Subject
    figures: Figures


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    rows: list[Row]
    total: Figures


def breakdown(records, dimension: str, selection: Selection, scope) -> Breakdown:
    """*records* (already selected) per subject of *dimension*: two queries."""
    dim = DIMENSIONS[dimension]
    found = {
        dim.key_of(row): Figures.of(row)
        for row in records.values(*dim.fields).annotate(**_annotations()).order_by()
    }
    rows = [Row(s, found.get(s.key, Figures())) for s in dim.subjects(selection, scope)]
    return Breakdown(dimension=dim, rows=rows, total=Figures.add(r.figures for r in rows))


# --- Trend: month by month, beside the same months a year earlier -------------------------


@dataclass(frozen=True)
class TrendRow:
    label: str
    current: Figures
    previous: Figures


@dataclass(frozen=True)
class Trend:
    period: Period
    previous_period: Period
    rows: list[TrendRow]
    current_total: Figures
    previous_total: Figures


def trend(records, selection: Selection) -> Trend:
    """*records* (scoped, not yet selected) by Jalali month over the selection's period and
    the same period a year before: two queries."""
    base = selection.without_period(records)
    period, before = selection.period, selection.period.a_year_before()

    def by_month(p: Period) -> dict:
        rows = (
            base.filter(**p.lookups())
            .values("jalali_year", "jalali_month")
            .annotate(**_annotations())
            .order_by()
        )
        return {(r["jalali_year"], r["jalali_month"]): Figures.of(r) for r in rows}

    now, then = by_month(period), by_month(before)
    rows = []
    for y, m in period.months():
        label = month_label(y, m, with_year=len({yy for yy, _ in period.months()}) > 1)
        rows.append(TrendRow(label, now.get((y, m), Figures()), then.get((y - 1, m), Figures())))
    return Trend(
        period=period,
        previous_period=before,
        rows=rows,
        current_total=Figures.add(r.current for r in rows),
        previous_total=Figures.add(r.previous for r in rows),
    )


# --- Pivot --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PivotLine:
    subject: Subject
    cells: list[int]
    total: int


@dataclass(frozen=True)
class Pivot:
    rows_dimension: Dimension
    columns_dimension: Dimension
    measure: Measure
    columns: list[Subject]
    lines: list[PivotLine]
    column_totals: list[int]
    total: int


def pivot(records, *, rows: str, columns: str, measure: str, selection: Selection, scope) -> Pivot:
    """*records* (selected) with *rows* down and *columns* across, totals on both margins."""
    row_dim, col_dim, m = DIMENSIONS[rows], DIMENSIONS[columns], MEASURES[measure]
    fields = tuple(dict.fromkeys(row_dim.fields + col_dim.fields))
    cells = {}
    for r in records.values(*fields).annotate(value=m.aggregate()).order_by():
        cells[(row_dim.key_of(r), col_dim.key_of(r))] = r["value"] or 0
    column_subjects = col_dim.subjects(selection, scope)
    lines = []
    for subject in row_dim.subjects(selection, scope):
        values = [cells.get((subject.key, c.key), 0) for c in column_subjects]
        lines.append(PivotLine(subject, values, sum(values)))
    column_totals = [sum(line.cells[i] for line in lines) for i in range(len(column_subjects))]
    return Pivot(
        rows_dimension=row_dim,
        columns_dimension=col_dim,
        measure=m,
        columns=column_subjects,
        lines=lines,
        column_totals=column_totals,
        total=sum(column_totals),
    )


# --- Indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    subject: Subject
    figures: Figures
    population: int | None
    households_total: int | None

    @property
    def coverage(self) -> float | None:
        """Beneficiaries per resident (a person served by two agencies counts twice)."""
        if not self.population:
            return None
        return self.figures.beneficiaries / self.population

    @property
    def household_coverage(self) -> float | None:
        if not self.households_total:
            return None
        return self.figures.households / self.households_total


@dataclass(frozen=True)
class Indicators:
    level: str  # "neighbourhood" or "city"
    rows: list[Indicator]
    total: Indicator
    agency_shares: list[tuple[Subject, float]]  # share of records from each agency


def indicators(records, *, level: str, selection: Selection, scope) -> Indicators:
    """Coverage and cost per beneficiary per neighbourhood or city, and each agency's share of
    the records: four queries."""
    table = breakdown(records, level, selection, scope)
    people = scope.neighbourhoods(Neighbourhood.objects.all())
    if selection.city:
        people = people.filter(city=selection.city)
    if selection.neighbourhood:
        people = people.filter(pk=selection.neighbourhood.pk)
    group = "pk" if level == "neighbourhood" else "city_id"
    sizes = {
        row[group]: row
        for row in people.values(group)
        .annotate(p=Sum("population"), h=Sum("households"))
        .order_by()
    }
    rows = [
        Indicator(
            r.subject,
            r.figures,
            (sizes.get(r.subject.key) or {}).get("p"),
            (sizes.get(r.subject.key) or {}).get("h"),
        )
        for r in table.rows
    ]
    total = Indicator(
        Subject(None, "جمع"),
        table.total,
        sum(r.population or 0 for r in rows) or None,
        sum(r.households_total or 0 for r in rows) or None,
    )
    agencies = breakdown(records, "agency", selection, scope)
    all_records = agencies.total.records
    shares = [
        (r.subject, (r.figures.records / all_records) if all_records else 0.0)
        for r in agencies.rows
    ]
    return Indicators(level=level, rows=rows, total=total, agency_shares=shares)


# --- Reporting completeness ---------------------------------------------------------------


@dataclass(frozen=True)
class HouseReporting:
    house: House
    last_record: dt.date | None
    months: list[bool]  # one per month of the period: did the house record anything
    silent_days: int | None  # since its last record, or None if it never recorded
    is_silent: bool

    @property
    def months_reported(self) -> int:
        return sum(self.months)


@dataclass(frozen=True)
class Completeness:
    months: list[Subject]
    houses: list[HouseReporting]
    silent_after_days: int
    silent_count: int
    month_counts: list[int] = field(default_factory=list)  # houses that reported, per month


def completeness(
    records, *, selection: Selection, scope, today: dt.date, silent_after_days: int
) -> Completeness:
    """Per active house in scope: its last record, and whether it recorded in each month of
    the period; houses silent for more than *silent_after_days* come first. Two queries."""
    houses = scope.filter(House.objects.active()).select_related("agency", "neighbourhood__city")
    if selection.city:
        houses = houses.filter(neighbourhood__city=selection.city)
    if selection.neighbourhood:
        houses = houses.filter(neighbourhood=selection.neighbourhood)
    if selection.agency:
        houses = houses.filter(agency=selection.agency)
    houses = houses.annotate(
        last_record=Max(
            "service_records__delivered_on",
            filter=Q(
                service_records__deleted_at__isnull=True,
                service_records__delivered_on__lte=today,
            ),
        )
    )
    alive = records.filter(deleted_at__isnull=True)
    months = _months(selection, scope)
    reported = set(
        selection.apply(alive)
        .values_list("house_id", "jalali_year", "jalali_month")
        .distinct()
        .order_by()
    )
    rows = []
    for house in houses:
        silent_days = (today - house.last_record).days if house.last_record else None
        rows.append(
            HouseReporting(
                house=house,
                last_record=house.last_record,
                months=[(house.pk, *m.key) in reported for m in months],
                silent_days=silent_days,
                is_silent=silent_days is None or silent_days > silent_after_days,
            )
        )
    rows.sort(
        key=lambda r: (
            not r.is_silent,
            -(r.silent_days if r.silent_days is not None else 10**6) if r.is_silent else 0,
            r.house.neighbourhood.city.name,
            r.house.neighbourhood.name,
            r.house.agency.order,
        )
    )
    return Completeness(
        months=months,
        houses=rows,
        silent_after_days=silent_after_days,
        silent_count=sum(r.is_silent for r in rows),
        month_counts=[sum(r.months[i] for r in rows) for i in range(len(months))],
    )


def staff_records(user):
    """What a staff dashboard counts: the records in the user's scope that are not deleted."""
    return ServiceRecord.objects.visible_to(user).alive()
