"""An account's membership history told in Persian: who changed the role, the agency or the
cities, who deactivated, reactivated or reset the password, and when.

simple-history keeps one row per change of a membership (``accounts.save_membership``), its
cities in a table of their own and the reason of the change (``accounts.REASON_*``). Rows
written elsewhere (the Django admin) have no reason and are told as a creation or an edit.
"""

from dataclasses import dataclass, field

from agencies.accounts import (
    REASON_CREATED,
    REASON_DEACTIVATED,
    REASON_IMPORTED,
    REASON_REACTIVATED,
    REASON_RESET,
)
from agencies.models import Agency, StaffMembership, StaffRole
from agencies.record_history import FieldChange

# A reason that starts with one of these is that kind of change (for the colour of its card).
_KINDS = (
    (REASON_CREATED, "created"),
    (REASON_IMPORTED, "created"),
    (REASON_DEACTIVATED, "deactivated"),
    (REASON_REACTIVATED, "reactivated"),
    (REASON_RESET, "reset"),
)
_LABELS = {"role": "نقش", "agency": "دستگاه", "cities": "شهرها"}


@dataclass(frozen=True)
class AccountHistoryEntry:
    when: object
    user: object
    kind: str
    kind_label: str
    changes: list[FieldChange] = field(default_factory=list)


def account_history_entries(membership: StaffMembership) -> list[AccountHistoryEntry]:
    """Every saved state of *membership*, oldest first, each with what changed from the one
    before (the first with what it was given). Three queries whatever the length: the rows,
    their cities and the agencies they name."""
    rows = list(
        membership.history.select_related("history_user").order_by("history_date", "history_id")
    )
    cities = _cities_by_row(rows)
    agencies = dict(
        Agency.objects.filter(pk__in={row.agency_id for row in rows if row.agency_id}).values_list(
            "pk", "short_name"
        )
    )
    entries = []
    previous = None
    for row in rows:
        state = _state(row, cities, agencies)
        reason = row.history_change_reason or ""
        entries.append(
            AccountHistoryEntry(
                when=row.history_date,
                user=row.history_user,
                kind=_kind(reason, row, previous),
                kind_label=reason or ("ساخت حساب" if previous is None else "ویرایش"),
                changes=_changes(previous, state),
            )
        )
        previous = state
    return entries


def _cities_by_row(rows) -> dict[int, list[str]]:
    through = StaffMembership.history.model.cities.model
    names: dict[int, list[str]] = {row.history_id: [] for row in rows}
    links = (
        through.objects.filter(history_id__in=list(names))
        .order_by("city__name")
        .values_list("history_id", "city__name")
    )
    for history_id, name in links:
        names[history_id].append(name)
    return names


def _state(row, cities, agencies) -> dict[str, str]:
    role = StaffRole(row.role).label if row.role in StaffRole.values else row.role
    return {
        "role": str(role),
        "agency": agencies.get(row.agency_id, "—") if row.agency_id else "—",
        "cities": "، ".join(cities[row.history_id]) or "همهٔ شهرها",
    }


def _kind(reason: str, row, previous) -> str:
    for prefix, kind in _KINDS:
        if reason.startswith(prefix):
            return kind
    return "created" if previous is None or row.history_type == "+" else "changed"


def _changes(previous, state) -> list[FieldChange]:
    changes = []
    for name, label in _LABELS.items():
        before = previous[name] if previous is not None else "—"
        if before != state[name]:
            changes.append(FieldChange(name=name, label=label, old=before, new=state[name]))
    return changes
