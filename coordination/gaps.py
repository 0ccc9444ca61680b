"""Gaps in the division of labour: a domain nobody leads in a neighbourhood, and a lead
agency that has recorded nothing in its domain there for ``silent_lead_months`` months.

The parallel-work report lists these next to its other findings (by ``Gap.key``), and the
division matrix marks them on its cells.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Max

from agencies.models import Agency, CoordinationRules, ServiceDomain, ServiceRecord
from coordination.models import FindingKind, Responsibility
from neighbourhoods.models import Neighbourhood


@dataclass(frozen=True)
class Gap:
    kind: str  # FindingKind.NO_LEAD or FindingKind.SILENT_LEAD
    neighbourhood: Neighbourhood
    domain: ServiceDomain
    lead: Agency | None  # None for NO_LEAD
    last_delivered_on: datetime.date | None  # the lead's last live record there in that domain

    @property
    def key(self) -> str:
        if self.kind == FindingKind.NO_LEAD:
            return f"no_lead:{self.neighbourhood.pk}:{self.domain.pk}"
        return f"silent_lead:{self.neighbourhood.pk}:{self.domain.pk}:{self.lead.pk}"

    @property
    def is_no_lead(self) -> bool:
        return self.kind == FindingKind.NO_LEAD


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day *months* calendar (Gregorian) months earlier; a day the earlier month
    lacks becomes its last day (31 May less three months is 28 or 29 February). The Jalali
    calendar would shift the edge by a day or two at most, which does not matter here."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def silence_starts(as_of: datetime.date, rules: CoordinationRules) -> datetime.date:
    """The last day that is already too old: a lead whose last record is on or before it is
    silent as of *as_of*. A record on any day after it, up to and including *as_of*, keeps
    the lead busy."""
    return months_before(as_of, rules.silent_lead_months)


def find_gaps(*, neighbourhoods, as_of: datetime.date, rules=None) -> list[Gap]:
    """Gaps in the given Neighbourhood queryset as of a day, ordered by city, neighbourhood,
    domain order.

    A neighbourhood and domain without a Responsibility row, or with a row without a lead,
    is a NO_LEAD gap. A lead is SILENT when none of the live records (any status) of its
    house(s) in that neighbourhood with a service type of that domain was delivered in the
    ``rules.silent_lead_months`` months up to *as_of* (after ``silence_starts`` and not after
    *as_of*). Records after *as_of* are not looked at. Four queries (five when *rules* is not
    given), whatever the number of neighbourhoods.
    """
    rules = rules if rules is not None else CoordinationRules.current()
    places = list(neighbourhoods.select_related("city").order_by("city__name", "name", "pk"))
    if not places:
        return []
    rows = {
        (row.neighbourhood_id, row.domain_id): row
        for row in Responsibility.objects.filter(
            neighbourhood__in=neighbourhoods.order_by().values("pk")
        ).select_related("lead")
    }
    return gaps_of(
        places=places,
        domains=list(ServiceDomain.objects.order_by("order", "name")),
        rows=rows,
        neighbourhoods=neighbourhoods,
        as_of=as_of,
        rules=rules,
    )


def gaps_of(*, places, domains, rows, neighbourhoods, as_of, rules) -> list[Gap]:
    """The gaps of *places* (the neighbourhoods of the queryset *neighbourhoods*, already read,
    in order) in *domains*, given their Responsibility rows by (neighbourhood id, domain id):
    for callers that have read those already (the division matrix). One query."""
    last_days = {
        (row["house__neighbourhood_id"], row["service_type__domain_id"], row["house__agency_id"]): (
            row["last"]
        )
        for row in ServiceRecord.objects.alive()
        .filter(
            house__neighbourhood__in=neighbourhoods.order_by().values("pk"),
            delivered_on__lte=as_of,
        )
        .order_by()
        .values("house__neighbourhood_id", "service_type__domain_id", "house__agency_id")
        .annotate(last=Max("delivered_on"))
    }
    too_old = silence_starts(as_of, rules)
    gaps = []
    for place in places:
        for domain in domains:
            row = rows.get((place.pk, domain.pk))
            if row is None or row.lead_id is None:
                gaps.append(Gap(FindingKind.NO_LEAD, place, domain, None, None))
                continue
            last = last_days.get((place.pk, domain.pk, row.lead_id))
            if last is None or last <= too_old:
                gaps.append(Gap(FindingKind.SILENT_LEAD, place, domain, row.lead, last))
    return gaps
