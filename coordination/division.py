"""The division of labour: which agency leads each service domain in each neighbourhood and
which agencies support it, kept by the provincial coordinators.

Writes go through :func:`responsibility_save` (one domain), :func:`division_save` (one
neighbourhood's domains at once) and :func:`division_apply_pattern` (one neighbourhood's
division copied to the rest of its city); the panel, the admin and the demo data all call them.
Each change keeps one history row with the lead and the supporters as they became, and makes
the cached public pages stale, since a neighbourhood's page shows its division.

Reading: :func:`division_matrix` for the panel's table (with the gaps of coordination/gaps.py on
its cells) and :func:`neighbourhood_division` for the public page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.access import acting_user, scope_for
from agencies.models import Agency, CoordinationRules, ServiceDomain
from coordination.gaps import Gap, gaps_of
from coordination.models import Responsibility
from core.caching import Topic, public_content_changed
from core.jalali import format_date
from neighbourhoods.models import Neighbourhood

SAME_AGENCY_MESSAGE = "«{agency}» دستگاه مسئول این حوزه است و نمی‌تواند همکار هم باشد."
SUPPORTERS_WITHOUT_LEAD_MESSAGE = "تا دستگاه مسئول این حوزه تعیین نشده، همکار نمی‌توان گذاشت."


def supporters_error(lead: Agency | None, supporters) -> str | None:
    """Why *lead* and *supporters* cannot stand together, in Persian, or None when they can:
    the lead may not support itself, and supporters need a lead to support."""
    supporters = list(supporters)
    if lead is not None and any(agency.pk == lead.pk for agency in supporters):
        return SAME_AGENCY_MESSAGE.format(agency=lead.short_name)
    if lead is None and supporters:
        return SUPPORTERS_WITHOUT_LEAD_MESSAGE
    return None


def _supporter_ids(supporters) -> frozenset[int]:
    return frozenset(agency.pk for agency in supporters)


def responsibility_save(*, responsibility: Responsibility, supporters, user) -> Responsibility:
    """Save who leads one domain in one neighbourhood (*responsibility*, new or stored with its
    lead changed) and who supports it (*supporters*, agencies), as a coordinator.

    Of a stored row only the lead is taken: its neighbourhood and domain stay. Raises
    ``PermissionDenied`` for anyone but a provincial coordinator and ``ValidationError`` (keyed
    ``supporters``) when the lead is among the supporters or supporters are given without a
    lead. One history row with the acting user keeps the lead and the supporters as they
    become; nothing is written when nothing differs. The public pages go stale on commit.
    """
    scope_for(user).require("manage_province")
    supporters = list(supporters)
    if responsibility.pk is not None:
        stored = Responsibility.objects.get(pk=responsibility.pk)
        if stored.lead_id == responsibility.lead_id and _supporter_ids(
            stored.supporters.all()
        ) == _supporter_ids(supporters):
            return stored
        stored.lead = responsibility.lead
        responsibility = stored
    problem = supporters_error(responsibility.lead, supporters)
    if problem:
        raise ValidationError({"supporters": [problem]})
    with transaction.atomic():
        responsibility.full_clean()
        responsibility._history_user = acting_user(user)
        # The supporters are set with history held back, so that the one history row (written
        # by the last save) holds the lead and the supporters together, not a row per step.
        created = responsibility.pk is None
        if created:
            responsibility.save_without_historical_record()
        responsibility.skip_history_when_saving = True
        try:
            responsibility.supporters.set(supporters)
        finally:
            del responsibility.skip_history_when_saving
        responsibility.save()
        if created:  # the one row of a new responsibility says it was created
            responsibility.history.filter(
                history_id=responsibility.history.latest().history_id
            ).update(history_type="+")
        public_content_changed(Topic.PROGRAM)
    return responsibility


@dataclass(frozen=True)
class Assignment:
    """What a form says about one domain of a neighbourhood: its lead and supporters."""

    domain: ServiceDomain
    lead: Agency | None
    supporters: tuple[Agency, ...] = ()


def _stored_rows(neighbourhood_ids) -> dict[tuple[int, int], Responsibility]:
    rows = Responsibility.objects.filter(neighbourhood_id__in=neighbourhood_ids).prefetch_related(
        "supporters"
    )
    return {(row.neighbourhood_id, row.domain_id): row for row in rows}


def neighbourhood_rows(neighbourhood: Neighbourhood) -> dict[int, Responsibility]:
    """*neighbourhood*'s stored rows by domain id, with their supporters: two queries."""
    return {domain_id: row for (_place, domain_id), row in _stored_rows([neighbourhood.pk]).items()}


def _pattern_of(row: Responsibility | None) -> tuple[int | None, frozenset[int]]:
    """A domain's division as a comparable value; no row reads as no lead, no supporters."""
    if row is None:
        return None, frozenset()
    return row.lead_id, _supporter_ids(row.supporters.all())


def division_save(*, neighbourhood: Neighbourhood, assignments, user) -> int:
    """Save one neighbourhood's division (*assignments*, one :class:`Assignment` per domain a
    form shows) as a coordinator, all domains or none; returns how many domains changed.

    A domain left without a lead and without supporters and that has no row yet gets none
    (nothing to keep). Refusals are those of :func:`responsibility_save`, keyed by the domain's
    form fields ``lead_<domain id>`` / ``supporters_<domain id>``.
    """
    scope_for(user).require("manage_province")
    assignments = list(assignments)
    errors = {}
    for item in assignments:
        problem = supporters_error(item.lead, item.supporters)
        if problem:
            errors[f"supporters_{item.domain.pk}"] = [problem]
    if errors:
        raise ValidationError(errors)
    rows = _stored_rows([neighbourhood.pk])
    changed = 0
    with transaction.atomic():
        for item in assignments:
            row = rows.get((neighbourhood.pk, item.domain.pk))
            wanted = (item.lead.pk if item.lead else None, _supporter_ids(item.supporters))
            if _pattern_of(row) == wanted:
                continue
            if row is None:
                row = Responsibility(neighbourhood=neighbourhood, domain=item.domain)
            row.lead = item.lead
            responsibility_save(responsibility=row, supporters=item.supporters, user=user)
            changed += 1
    return changed


def _city_others(source: Neighbourhood):
    return (
        Neighbourhood.objects.filter(city_id=source.city_id)
        .exclude(pk=source.pk)
        .order_by("name", "pk")
    )


def division_pattern_changes(source: Neighbourhood) -> list[Neighbourhood]:
    """The other neighbourhoods of *source*'s city whose division differs from *source*'s in
    some domain: those :func:`division_apply_pattern` would change. Four queries."""
    others = list(_city_others(source))
    rows = _stored_rows([source.pk, *(place.pk for place in others)])
    domain_ids = list(ServiceDomain.objects.values_list("pk", flat=True))
    return [
        place
        for place in others
        if any(
            _pattern_of(rows.get((place.pk, domain_id)))
            != _pattern_of(rows.get((source.pk, domain_id)))
            for domain_id in domain_ids
        )
    ]


def division_apply_pattern(*, source: Neighbourhood, user) -> int:
    """Give every other neighbourhood of *source*'s city the same division as *source* (the
    same lead and supporters in each domain; a domain *source* leaves open is opened there
    too), as a coordinator, in one transaction, each change with its history row. Returns how
    many neighbourhoods changed. Raises ``PermissionDenied`` for anyone but a coordinator."""
    scope_for(user).require("manage_province")
    domains = list(ServiceDomain.objects.order_by("order", "name"))
    own = _stored_rows([source.pk])
    pattern = []
    for domain in domains:
        row = own.get((source.pk, domain.pk))
        supporters = tuple(row.supporters.all()) if row else ()
        pattern.append(
            Assignment(domain=domain, lead=row.lead if row else None, supporters=supporters)
        )
    changed = 0
    with transaction.atomic():
        for place in division_pattern_changes(source):
            if division_save(neighbourhood=place, assignments=pattern, user=user):
                changed += 1
    return changed


# --- Reading -----------------------------------------------------------------------------------


@dataclass
class DivisionCell:
    domain: ServiceDomain
    responsibility: Responsibility | None
    gap: Gap | None = None

    @property
    def lead(self) -> Agency | None:
        return self.responsibility.lead if self.responsibility else None

    @property
    def supporters(self) -> list[Agency]:
        return list(self.responsibility.supporters.all()) if self.responsibility else []

    @property
    def gap_label(self) -> str:
        if self.gap is None:
            return ""
        if self.gap.is_no_lead:
            return "بی‌مسئول"
        return "مسئول بی‌کار"

    @property
    def gap_detail(self) -> str:
        """The gap in a sentence, for the badge's title and screen readers."""
        if self.gap is None:
            return ""
        if self.gap.is_no_lead:
            return "برای این حوزه دستگاه مسئولی تعیین نشده است."
        if self.gap.last_delivered_on is None:
            return f"{self.gap.lead.short_name} در این حوزه در این محله خدمتی ثبت نکرده است."
        return (
            f"آخرین خدمت {self.gap.lead.short_name} در این حوزه در این محله: "
            f"{format_date(self.gap.last_delivered_on)}"
        )


@dataclass
class DivisionRow:
    neighbourhood: Neighbourhood
    cells: list[DivisionCell] = field(default_factory=list)

    @property
    def gap_count(self) -> int:
        return sum(1 for cell in self.cells if cell.gap is not None)


@dataclass
class DivisionMatrix:
    domains: list[ServiceDomain]
    rows: list[DivisionRow]
    silent_lead_months: int

    @property
    def gap_count(self) -> int:
        return sum(row.gap_count for row in self.rows)


def division_matrix(*, neighbourhoods, as_of: datetime.date, rules=None) -> DivisionMatrix:
    """The division of the given Neighbourhood queryset as a table: a row per neighbourhood
    (by city and name), a cell per domain with its responsibility and its gap as of *as_of*.
    Five queries (six without *rules*), whatever the number of neighbourhoods."""
    rules = rules if rules is not None else CoordinationRules.current()
    places = list(neighbourhoods.select_related("city").order_by("city__name", "name", "pk"))
    domains = list(ServiceDomain.objects.order_by("order", "name"))
    if not places:
        return DivisionMatrix(domains, [], rules.silent_lead_months)
    rows = {
        (row.neighbourhood_id, row.domain_id): row
        for row in Responsibility.objects.filter(
            neighbourhood__in=neighbourhoods.order_by().values("pk")
        )
        .select_related("lead")
        .prefetch_related("supporters")
    }
    gaps = {
        (gap.neighbourhood.pk, gap.domain.pk): gap
        for gap in gaps_of(
            places=places,
            domains=domains,
            leads={cell: row.lead for cell, row in rows.items()},
            neighbourhoods=neighbourhoods,
            as_of=as_of,
            rules=rules,
        )
    }
    table = [
        DivisionRow(
            neighbourhood=place,
            cells=[
                DivisionCell(
                    domain=domain,
                    responsibility=rows.get((place.pk, domain.pk)),
                    gap=gaps.get((place.pk, domain.pk)),
                )
                for domain in domains
            ],
        )
        for place in places
    ]
    return DivisionMatrix(domains, table, rules.silent_lead_months)


def neighbourhood_division(neighbourhood: Neighbourhood) -> list[DivisionCell]:
    """Each domain, in order, with who leads it in *neighbourhood* and who supports (no gaps:
    the public page says only who is responsible). Three queries."""
    rows = {
        row.domain_id: row
        for row in Responsibility.objects.filter(neighbourhood=neighbourhood)
        .select_related("lead")
        .prefetch_related("supporters")
    }
    return [
        DivisionCell(domain=domain, responsibility=rows.get(domain.pk))
        for domain in ServiceDomain.objects.order_by("order", "name")
    ]


# --- History -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DivisionChange:
    """One saved state of one domain's division in a neighbourhood, and what it was before."""

    when: datetime.datetime
    user: object
    domain: ServiceDomain
    lead: str
    supporters: str
    old_lead: str | None  # None for the first state
    old_supporters: str | None

    @property
    def is_first(self) -> bool:
        return self.old_lead is None


def _names(agencies_by_id, ids) -> str:
    names = [agencies_by_id[pk].short_name for pk in ids if pk in agencies_by_id]
    return "، ".join(sorted(names)) if names else "—"


def _supporters_history():
    """simple-history's table of the supporters each saved state had (one row per agency)."""
    return next(
        relation.related_model.objects
        for relation in Responsibility.history.model._meta.related_objects
        if relation.related_model._meta.model_name.endswith("_supporters")
    )


def division_history(neighbourhood: Neighbourhood) -> list[DivisionChange]:
    """Every change of *neighbourhood*'s division, newest first: who, when, which domain, the
    lead and supporters before and after. Four queries, whatever the length of the history."""
    history = list(
        Responsibility.history.filter(neighbourhood_id=neighbourhood.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    supporters_by_state = {}
    for state_id, agency_id in (
        _supporters_history()
        .filter(history__in=[row.history_id for row in history])
        .values_list("history_id", "agency_id")
    ):
        supporters_by_state.setdefault(state_id, []).append(agency_id)
    agencies = {agency.pk: agency for agency in Agency.objects.all()}
    domains = {domain.pk: domain for domain in ServiceDomain.objects.all()}
    changes = []
    previous = {}
    for row in history:
        if row.history_type == "-":
            continue
        lead = agencies[row.lead_id].short_name if row.lead_id in agencies else "—"
        supporters = _names(agencies, supporters_by_state.get(row.history_id, []))
        before = previous.get(row.domain_id)
        previous[row.domain_id] = (lead, supporters)
        if before == (lead, supporters):
            continue
        changes.append(
            DivisionChange(
                when=row.history_date,
                user=row.history_user,
                domain=domains.get(row.domain_id),
                lead=lead,
                supporters=supporters,
                old_lead=before[0] if before else None,
                old_supporters=before[1] if before else None,
            )
        )
    changes.reverse()
    return changes
