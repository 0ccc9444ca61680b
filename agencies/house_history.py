"""A house's history told in Persian: who changed which detail, from what to what, and why.

The same entries as a service record's history (``record_history.HistoryEntry``), shown by the
same template piece; the note is the reason simple_history kept with a save, such as the
neighbourhood import's («بارگذاری فهرست محله‌ها»).
"""

from agencies.house_services import HOUSE_FIELDS, shown_phone
from agencies.models import House
from agencies.record_history import FieldChange, HistoryEntry
from core.jalali import format_date


def house_field_label(name: str) -> str:
    """The Persian label of a house field, as the edit form shows it."""
    return str(House._meta.get_field(name).verbose_name)


def house_history_entries(house: House) -> list[HistoryEntry]:
    """Every saved state of *house*, oldest first, each with what changed from the one before
    (the first with the details it was given). One query, whatever the length of the history."""
    rows = list(house.history.select_related("history_user").order_by("history_date", "pk"))
    entries = []
    previous = None
    for row in rows:
        entries.append(
            HistoryEntry(
                when=row.history_date,
                user=row.history_user,
                kind={"+": "created", "-": "removed"}.get(row.history_type, "changed"),
                changes=_changes(previous, row),
                note=row.history_change_reason or "",
            )
        )
        previous = row
    return entries


def house_value(name: str, value) -> str:
    """Show one house detail as the panel does: Jalali date, Persian digits, yes or no."""
    if name == "is_active":
        return "فعال" if value else "غیرفعال"
    if value is None or value == "":
        return "—"
    if name == "opened_on":
        return format_date(value)
    if name == "phone":
        return shown_phone(value)
    return str(value)


def _changes(old, new) -> list[FieldChange]:
    changes = []
    for name in HOUSE_FIELDS:
        before = getattr(old, name) if old is not None else None
        after = getattr(new, name)
        if old is None and (after in (None, "") or after is True):
            continue  # a new house: only the details it was given, and only if it is closed
        if before != after:
            changes.append(
                FieldChange(
                    name=name,
                    label=house_field_label(name),
                    old=house_value(name, before) if old is not None else "—",
                    new=house_value(name, after),
                )
            )
    return changes
