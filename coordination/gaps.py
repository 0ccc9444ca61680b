"""Gaps in the division of labour: a domain nobody leads in a neighbourhood, and a lead
agency that has recorded nothing in its domain there for ``silent_lead_months`` months.

The parallel-work report lists these next to its other findings (by ``Gap.key``), and the
division matrix marks them on its cells.
"""

from __future__ import annotations

import calendar
import dataclasses
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
        lead_id = self.lead.pk if self.lead is not None else None
        return gap_key(self.kind, self.neighbourhood.pk, self.domain.pk, lead_id)

    @property
    def is_no_lead(self) -> bool:
        return self.kind == FindingKind.NO_LEAD


def gap_key(kind: str, neighbourhood_id, domain_id, lead_id=None) -> str:
    """A gap's key, by which a coordinator's verdict on it is kept."""
    if kind == FindingKind.NO_LEAD:
        return f"no_lead:{neighbourhood_id}:{domain_id}"
    return f"silent_lead:{neighbourhood_id}:{domain_id}:{lead_id}"


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
    *as_of*). Records after *as_of* are not looked at. Six queries at most (one more when
    *rules* is not given), whatever the number of neighbourhoods.
    """
    rules = rules if rules is not None else CoordinationRules.current()
    places = list(neighbourhoods.select_related("city").order_by("city__name", "name", "pk"))
    if not places:
        return []
    lead_ids = _lead_ids(neighbourhoods)
    agencies = Agency.objects.in_bulk(set(lead_ids.values()) - {None})
    return gaps_of(
        places=places,
        domains=list(ServiceDomain.objects.order_by("order", "name")),
        leads={cell: agencies.get(lead) for cell, lead in lead_ids.items()},
        neighbourhoods=neighbourhoods,
        as_of=as_of,
        rules=rules,
    )


def gap_keys(*, neighbourhoods, as_of: datetime.date, rules) -> list[str]:
    """The keys of the gaps :func:`find_gaps` finds, without building them (the dashboard's
    count): four queries, and no model instances."""
    places = list(neighbourhoods.order_by().values_list("pk", flat=True))
    if not places:
        return []
    domains = list(ServiceDomain.objects.order_by().values_list("pk", flat=True))
    lead_ids = _lead_ids(neighbourhoods)
    busy = _busy_leads(neighbourhoods, as_of, rules)
    keys = []
    for place in places:
        for domain in domains:
            lead = lead_ids.get((place, domain))
            if lead is None:
                keys.append(gap_key(FindingKind.NO_LEAD, place, domain))
            elif (place, domain, lead) not in busy:
                keys.append(gap_key(FindingKind.SILENT_LEAD, place, domain, lead))
    return keys


def _lead_ids(neighbourhoods) -> dict[tuple[int, int], int | None]:
    """The lead's id (None for a row without one) by (neighbourhood id, domain id): one query."""
    rows = Responsibility.objects.filter(
        neighbourhood__in=neighbourhoods.order_by().values("pk")
    ).values_list("neighbourhood_id", "domain_id", "lead_id")
    return {(place, domain): lead for place, domain, lead in rows}


def _busy_leads(neighbourhoods, as_of, rules) -> set[tuple[int, int, int]]:
    """(neighbourhood id, domain id, agency id) of every agency that recorded in that domain
    there in the months up to *as_of* that keep a lead busy: one query, over those months only
    (an index on the delivery day serves it)."""
    return set(
        ServiceRecord.objects.alive()
        .filter(
            house__neighbourhood__in=neighbourhoods.order_by().values("pk"),
            delivered_on__gt=silence_starts(as_of, rules),
            delivered_on__lte=as_of,
        )
        .order_by()
        .values_list("house__neighbourhood_id", "service_type__domain_id", "house__agency_id")
        .distinct()
    )


def gaps_of(*, places, domains, leads, neighbourhoods, as_of, rules) -> list[Gap]:
    """The gaps of *places* (the neighbourhoods of the queryset *neighbourhoods*, already read,
    in order) in *domains*, given the lead agency of each (neighbourhood id, domain id) that
    has a Responsibility row (None for a row without a lead): for callers that have read those
    already (the division matrix). Two queries, one when no lead is silent."""
    busy = _busy_leads(neighbourhoods, as_of, rules)
    gaps, silent = [], []
    for place in places:
        for domain in domains:
            lead = leads.get((place.pk, domain.pk))
            if lead is None:
                gaps.append(Gap(FindingKind.NO_LEAD, place, domain, None, None))
            elif (place.pk, domain.pk, lead.pk) not in busy:
                silent.append(len(gaps))
                gaps.append(Gap(FindingKind.SILENT_LEAD, place, domain, lead, None))
    if silent:
        # A silent lead's last record is older than the months looked at above; only the
        # neighbourhoods with a silent lead are read for it.
        last_days = _last_days(
            {gaps[i].neighbourhood.pk for i in silent}, silence_starts(as_of, rules)
        )
        for i in silent:
            gap = gaps[i]
            last = last_days.get((gap.neighbourhood.pk, gap.domain.pk, gap.lead.pk))
            gaps[i] = dataclasses.replace(gap, last_delivered_on=last)
    return gaps


def _last_days(place_ids, up_to) -> dict[tuple[int, int, int], datetime.date]:
    """The last day each agency recorded in each domain of the neighbourhoods *place_ids*, on
    or before *up_to*, by (neighbourhood id, domain id, agency id): one query."""
    rows = (
        ServiceRecord.objects.alive()
        .filter(house__neighbourhood_id__in=place_ids, delivered_on__lte=up_to)
        .order_by()
        .values("house__neighbourhood_id", "service_type__domain_id", "house__agency_id")
        .annotate(last=Max("delivered_on"))
    )
    return {
        (row["house__neighbourhood_id"], row["service_type__domain_id"], row["house__agency_id"]): (
            row["last"]
        )
        for row in rows
    }
