"""Yearly targets: keeping them (coordinators) and measuring each against what was done.

:func:`progress` sets every target beside the work delivered towards it in its Jalali year and
beside the share of that year already gone: a target is *behind* when its share achieved is
below the share of the year elapsed. What counts is what counts officially: approved records
that are not deleted (``ServiceRecord.objects.public()``), the figures the public pages and the
governor's report show; drafts and records waiting for approval join once approved.
:func:`summary` is the dashboard's digest of the same figures.

Targets are read by every program role within their cities (:func:`visible_targets`) and kept
by coordinators only (:func:`target_save`, :func:`target_delete`). They are not shown on public
pages, so changing them leaves the page cache alone.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum

from agencies.access import acting_user, scope_for
from agencies.models import House, ServiceRecord
from coordination.models import Target, TargetMeasure
from core.digits import format_number
from core.periods import Period

# The word after a figure of each measure: «۱۲۰ از ۳۰۰ ذی‌نفع».
MEASURE_UNITS = {
    TargetMeasure.BENEFICIARIES: "ذی‌نفع",
    TargetMeasure.HOUSEHOLDS: "خانوار",
    TargetMeasure.RECORDS: "خدمت",
}
WORST_SHOWN = 5


def percent_text(share: float) -> str:
    """A share as a whole Persian percentage: ``0.4249`` → ``۴۲٪``."""
    return f"{format_number(round(share * 100))}٪"


class _Bar:
    """What a progress bar shows of something with a ``share`` achieved and an ``expected``
    share: whole percentages, and where the bar and the expected marker start in the bar's
    0–100 drawing, which runs left to right while the page reads right to left."""

    share: float
    expected: float

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def bar_percent(self) -> int:
        """The filled part, at most the whole bar (a target passed is a full bar)."""
        return min(self.percent, 100)

    @property
    def bar_start(self) -> int:
        return 100 - self.bar_percent

    @property
    def expected_percent(self) -> int:
        return round(self.expected * 100)

    @property
    def marker_start(self) -> float:
        # The marker is one unit wide; at 0 % it would fall off the bar's right end.
        return min(100 - self.expected_percent, 99)

    @property
    def share_label(self) -> str:
        return percent_text(self.share)

    @property
    def expected_label(self) -> str:
        return f"انتظار تا امروز: {percent_text(self.expected)}"


@dataclass(frozen=True)
class Progress(_Bar):
    """One target beside what was done towards it by *today*."""

    target: Target
    achieved: int
    share: float  # achieved / target.value; above 1 once the target is passed
    expected: float  # the share of the target's Jalali year elapsed: 0 before it, 1 after it
    behind: bool
    label: str  # «۱۲۰ از ۳۰۰ ذی‌نفع (۴۰٪)»

    @property
    def name(self) -> str:
        """What the target is, for a screen reader's name of its bar."""
        return target_name(self.target)

    @property
    def gap(self) -> float:
        """How far the target is behind the year (negative when ahead)."""
        return self.expected - self.share


def target_name(target: Target) -> str:
    """«سلامت در کوی زرین (سمنان)، امداد، ذی‌نفعان، سال ۱۴۰۴»."""
    whose = target.agency.short_name if target.agency_id else "همهٔ دستگاه‌ها"
    place = f"{target.neighbourhood.name} ({target.neighbourhood.city.name})"
    return (
        f"{target.domain.name} در {place}، {whose}، {target.get_measure_display()}، "
        f"{Period.of_year(target.year).label}"
    )


def expected_share(year: int, today: dt.date) -> float:
    """The share of Jalali *year* gone on *today*, today included: 0 before the year's first
    day, 1 from its last day on (1404/12/29, or 1403/12/30 in a leap year)."""
    return Period.of_year(year).elapsed_share(today)


def progress(*, targets: Iterable[Target], today: dt.date, records=None) -> list[Progress]:
    """The progress of each of *targets* (a queryset, or a list of targets) on *today*.

    *records* are the service records that count, ``ServiceRecord.objects.public()`` unless
    given (see the module docstring). A target for one agency counts only that agency's
    records; a target for all agencies counts every agency's. Two queries whatever the number
    of targets: the targets themselves, and one ``GROUP BY`` over the records.
    """
    targets = list(targets)
    if not targets:
        return []
    records = ServiceRecord.objects.public() if records is None else records
    measured = _measured(targets, today, records)
    return [_progress(target, *figures) for target, figures in zip(targets, measured, strict=True)]


def _measured(targets, today: dt.date, records) -> list[tuple[int, float, float]]:
    """``(achieved, share, expected)`` of each of *targets*: anything with a target's ``year``,
    ``neighbourhood_id``, ``domain_id``, ``agency_id``, ``measure`` and ``value``. One query."""
    totals = _totals(records, targets)
    shares_of_year = {}
    result = []
    for target in targets:
        if target.year not in shares_of_year:
            shares_of_year[target.year] = expected_share(target.year, today)
        by_agency = totals.get((target.year, target.neighbourhood_id, target.domain_id), {})
        if target.agency_id is None:
            done = list(by_agency.values())
        else:
            done = [by_agency.get(target.agency_id, {})]
        achieved = sum(figures.get(f"total_{target.measure}") or 0 for figures in done)
        result.append((achieved, achieved / target.value, shares_of_year[target.year]))
    return result


def _progress(target: Target, achieved: int, share: float, expected: float) -> Progress:
    unit = MEASURE_UNITS.get(target.measure, "")
    label = (
        f"{format_number(achieved)} از {format_number(target.value)} {unit} ({percent_text(share)})"
    )
    return Progress(
        target=target,
        achieved=achieved,
        share=share,
        expected=expected,
        behind=share < expected,
        label=label,
    )


def _totals(records, targets: list[Target]) -> dict:
    """``{(year, neighbourhood, domain): {agency: {"total_<measure>": figure}}}`` for what
    *targets* could count, in one grouped query."""
    rows = (
        records.filter(
            jalali_year__in={target.year for target in targets},
            house__neighbourhood_id__in={target.neighbourhood_id for target in targets},
            service_type__domain_id__in={target.domain_id for target in targets},
        )
        .values(
            "jalali_year",
            "house__neighbourhood_id",
            "service_type__domain_id",
            "house__agency_id",
        )
        .annotate(
            # Named apart from the record's own fields, which an annotation may not shadow.
            **{
                f"total_{TargetMeasure.BENEFICIARIES}": Sum("beneficiaries"),
                f"total_{TargetMeasure.HOUSEHOLDS}": Sum("households"),
                f"total_{TargetMeasure.RECORDS}": Count("id"),
            },
        )
        .order_by()
    )
    totals = defaultdict(dict)
    for row in rows:
        key = (row["jalali_year"], row["house__neighbourhood_id"], row["service_type__domain_id"])
        totals[key][row["house__agency_id"]] = row
    return totals


# --- The dashboard's digest -----------------------------------------------------------------


@dataclass(frozen=True)
class GroupProgress(_Bar):
    """The targets of one domain or one neighbourhood taken together."""

    pk: int
    name: str
    targets: int
    behind_count: int
    share: float  # the mean of its targets' shares, each counted at most as reached
    expected: float  # the mean of their expected shares

    @property
    def behind(self) -> bool:
        return self.share < self.expected

    @property
    def label(self) -> str:
        return (
            f"{format_number(self.targets)} هدف، {format_number(self.behind_count)} عقب‌تر از "
            f"انتظار؛ میانگین پیشرفت {percent_text(self.share)}"
        )


@dataclass(frozen=True)
class TargetSummary:
    """What the dashboard shows of a set of targets: counts, each domain and neighbourhood
    taken together, and the targets furthest behind."""

    count: int
    behind: int
    by_domain: list[GroupProgress]
    by_neighbourhood: list[GroupProgress]
    worst: list[Progress]
    year: int | None  # the one Jalali year of the targets, or None when they span several

    @property
    def year_label(self) -> str:
        return Period.of_year(self.year).label if self.year else ""


# What the digest reads of each target: the fields progress is measured by, and the names of
# its place and domain. Rows, not model instances: a national year has thousands of targets.
_DIGEST_FIELDS = (
    "pk",
    "year",
    "neighbourhood_id",
    "domain_id",
    "agency_id",
    "measure",
    "value",
    "neighbourhood__name",
    "neighbourhood__city__name",
    "domain__name",
    "domain__order",
)


@dataclass(frozen=True)
class _Measured:
    """One target's row in the digest, with its figures."""

    row: tuple  # of _DIGEST_FIELDS
    share: float
    expected: float
    achieved: int

    @property
    def behind(self) -> bool:
        return self.share < self.expected

    @property
    def gap(self) -> float:
        return self.expected - self.share


def summary(*, targets, today: dt.date, worst: int = WORST_SHOWN) -> TargetSummary:
    """The dashboard's digest of *targets* (a Target queryset) on *today* (see
    :class:`TargetSummary`).

    A group's share is the mean of its targets' shares, each capped at 1, so one target passed
    twice over does not hide another left undone; the *worst* targets are those behind by the
    widest margin. Three queries: the targets as rows, the records' ``GROUP BY`` and the worst
    targets themselves (none when no target is behind).
    """
    rows = list(targets.values_list(*_DIGEST_FIELDS, named=True))
    measured = _measured(rows, today, ServiceRecord.objects.public()) if rows else []
    items = [
        _Measured(row=row, achieved=achieved, share=share, expected=expected)
        for row, (achieved, share, expected) in zip(rows, measured, strict=True)
    ]
    behind = [item for item in items if item.behind]
    behind.sort(key=lambda item: (-item.gap, item.share, item.row.pk))
    years = {item.row.year for item in items}
    return TargetSummary(
        count=len(items),
        behind=len(behind),
        by_domain=_groups(items, lambda r: (r.domain_id, r.domain__name, r.domain__order)),
        by_neighbourhood=_groups(
            items,
            lambda r: (
                r.neighbourhood_id,
                f"{r.neighbourhood__name} ({r.neighbourhood__city__name})",
                r.neighbourhood__name,
            ),
        ),
        worst=_worst(behind[:worst]),
        year=years.pop() if len(years) == 1 else None,
    )


def _worst(items: list[_Measured]) -> list[Progress]:
    """The progress of the targets of *items*, loaded with their place, domain and agency."""
    if not items:
        return []
    found = Target.objects.with_related().in_bulk([item.row.pk for item in items])
    return [
        _progress(found[item.row.pk], item.achieved, item.share, item.expected) for item in items
    ]


def _groups(items: list[_Measured], key) -> list[GroupProgress]:
    grouped = defaultdict(list)
    names = {}
    for item in items:
        pk, name, order = key(item.row)
        grouped[pk].append(item)
        names[pk] = (order, name)
    groups = []
    for pk, members in grouped.items():
        order, name = names[pk]
        count = len(members)
        groups.append(
            (
                order,
                GroupProgress(
                    pk=pk,
                    name=name,
                    targets=count,
                    behind_count=sum(1 for m in members if m.behind),
                    share=sum(min(m.share, 1.0) for m in members) / count,
                    expected=sum(m.expected for m in members) / count,
                ),
            )
        )
    groups.sort(key=lambda pair: (pair[0], pair[1].name))
    return [group for _order, group in groups]


# --- Reading and keeping targets --------------------------------------------------------------


def visible_targets(user):
    """The targets *user* may read: every program role, within their cities."""
    scope = scope_for(user)
    if not scope.sees_program:
        return Target.objects.none()
    if scope.is_some_cities:
        return Target.objects.filter(neighbourhood__city_id__in=scope.city_ids)
    return Target.objects.all()


def target_problems(target: Target) -> dict[str, str]:
    """What the model's own checks do not say of *target*, by field: another target with the
    same year, place, domain, agency and measure, or an agency without a house there."""
    problems = {}
    if not (target.neighbourhood_id and target.domain_id and target.year and target.measure):
        return problems
    same = Target.objects.filter(
        year=target.year,
        neighbourhood_id=target.neighbourhood_id,
        domain_id=target.domain_id,
        measure=target.measure,
        agency_id=target.agency_id,
    )
    if target.pk is not None:
        same = same.exclude(pk=target.pk)
    if same.exists():
        whose = "همهٔ دستگاه‌ها با هم" if target.agency_id is None else "این دستگاه"
        problems["__all__"] = (
            f"برای {whose} در این محله و حوزه در این سال، هدفی با همین سنجه از پیش هست؛ "
            "همان را ویرایش کنید."
        )
    if (
        target.agency_id is not None
        and not House.objects.filter(
            agency_id=target.agency_id, neighbourhood_id=target.neighbourhood_id
        ).exists()
    ):
        problems["agency"] = "این دستگاه در این محله خانه ندارد؛ هدف را برای همهٔ دستگاه‌ها بگذارید."
    return problems


def target_save(*, target: Target, user) -> Target:
    """Create or change *target* (a new or edited instance) as *user*, a coordinator
    (``PermissionDenied`` otherwise). ``ValidationError`` with Persian messages by field when
    the target is not valid or repeats another; its history records *user*."""
    scope_for(user).require("manage_province")
    with transaction.atomic():
        problems = target_problems(target)
        if problems:
            raise ValidationError(problems)
        target.full_clean()
        target._history_user = acting_user(user)
        target.save()
    return target


def target_delete(*, target: Target, user) -> None:
    """Delete *target* as *user*, a coordinator; its history keeps it and who deleted it."""
    scope_for(user).require("manage_province")
    with transaction.atomic():
        target._history_user = acting_user(user)
        target.delete()
