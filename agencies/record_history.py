"""A service record's history told in Persian: who changed which field, from what to what.

simple_history keeps one row per save. The history page and the edit-conflict message both
compare such rows field by field and show the values the way the panel shows them (Jalali
dates, Persian digits, house and service type names).
"""

from dataclasses import dataclass, field
from itertools import pairwise

from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from agencies.models import RECORD_COUNT_FIELDS, House, ServiceRecord, ServiceType
from core.digits import format_number
from core.jalali import format_date, format_datetime

# The fields a person edits, in the order the form shows them.
TRACKED_FIELDS = (
    "house",
    "service_type",
    "delivered_on",
    *RECORD_COUNT_FIELDS,
    "notes",
    "parallel_reason",
    "repeat_reason",
)

KIND_LABELS = {
    "created": "ثبت",
    "changed": "ویرایش",
    "deleted": "حذف",
    "restored": "بازگردانی",
    "removed": "پاک شدن از پایگاه داده",
    "submitted": "ارسال برای تأیید",
    "approved": "تأیید",
    "returned": "برگشت برای اصلاح",
}
# A save that moved the record to one of these states is told as that step.
_STATUS_KINDS = {"submitted": "submitted", "approved": "approved", "returned": "returned"}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    user: object
    kind: str
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""  # the reason given when the record was returned for correction

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def field_label(name: str) -> str:
    """The Persian label of a service record field, as the form shows it."""
    return str(ServiceRecord._meta.get_field(name).verbose_name)


def history_entries(record) -> list[HistoryEntry]:
    """Every saved state of *record*, oldest first, each with what changed from the one before.

    Runs three queries whatever the length of the history: the rows, and the names of the
    houses and service types they mention.
    """
    rows = list(record.history.select_related("history_user").order_by("history_date", "pk"))
    names = _names_for(rows)
    entries = []
    previous = None
    for row in rows:
        changes = _changes(previous, row, names) if previous is not None else []
        kind = _kind(previous, row)
        entries.append(
            HistoryEntry(
                when=row.history_date,
                user=row.history_user,
                kind=kind,
                changes=changes,
                note=_note(kind, previous, row),
            )
        )
        previous = row
    return entries


def _note(kind, previous, row) -> str:
    """The reason a save carried: why a record was returned, or why it was saved although
    another agency had done the same in the same place (when that reason first appears)."""
    if kind == "returned":
        return row.return_reason
    notes = []
    reason = getattr(row, "parallel_reason", "")
    if reason and (previous is None or previous.parallel_reason != reason):
        notes.append(f"ثبت با وجود کار موازی: {reason}")
    repeat = getattr(row, "repeat_reason", "")
    if repeat and (previous is None or previous.repeat_reason != repeat):
        notes.append(f"ثبت با وجود خدمت دوباره به خانوار: {repeat}")
    return "؛ ".join(notes)


def changes_since(record, version: int) -> tuple[list[FieldChange], list[HistoryEntry]]:
    """What changed in *record* after the state saved as *version*, and the saves that did it.

    Used when a form opened at *version* comes back after someone else saved: the first list
    compares that state with the present one, the second says who saved in between and when.
    """
    rows = list(record.history.select_related("history_user").order_by("history_date", "pk"))
    seen = [row for row in rows if row.version == version]
    later = [row for row in rows if row.version > version]
    if not later:
        return [], []
    names = _names_for(rows)
    base = seen[-1] if seen else None
    changes = _changes(base, later[-1], names) if base is not None else []
    saves = [
        HistoryEntry(when=row.history_date, user=row.history_user, kind=_kind(before, row))
        for before, row in pairwise([base, *later])
    ]
    return changes, saves


def display_value(name: str, value, names: dict | None = None) -> str:
    """Show one field value as the panel does: Persian digits, Jalali date, names for links."""
    if value is None or value == "":
        return "—"
    if name in ("house", "service_type"):
        label = (names or {}).get(name, {}).get(value)
        return label or f"شمارهٔ {format_number(value)}"
    if name == "delivered_on":
        return format_date(value)
    if name == "cost_rials":
        return f"{format_number(value)} ریال"
    if name in ("notes", "parallel_reason", "repeat_reason"):
        return Truncator(value).chars(120)
    return format_number(value)


def _changes(old, new, names) -> list[FieldChange]:
    delta = new.diff_against(old, included_fields=TRACKED_FIELDS)
    by_name = {change.field: change for change in delta.changes}
    return [
        FieldChange(
            name=name,
            label=field_label(name),
            old=display_value(name, by_name[name].old, names),
            new=display_value(name, by_name[name].new, names),
        )
        for name in TRACKED_FIELDS
        if name in by_name
    ]


def _kind(previous, row) -> str:
    if row.history_type == "+":
        return "created"
    if row.history_type == "-":
        return "removed"
    was_deleted = previous is not None and previous.deleted_at is not None
    if row.deleted_at is not None and not was_deleted:
        return "deleted"
    if row.deleted_at is None and was_deleted:
        return "restored"
    if previous is not None and previous.status != row.status and row.status in _STATUS_KINDS:
        return _STATUS_KINDS[row.status]
    return "changed"


def _names_for(rows) -> dict:
    """Names of the houses and service types the rows point at, two queries in all."""
    house_ids = {row.house_id for row in rows}
    type_ids = {row.service_type_id for row in rows}
    houses = House.objects.filter(pk__in=house_ids).with_place()
    types = ServiceType.objects.filter(pk__in=type_ids)
    return {
        "house": {house.pk: str(house) for house in houses},
        "service_type": {service_type.pk: str(service_type) for service_type in types},
    }


def conflict_message(conflict) -> str:
    """The Persian refusal of an edit conflict (``services.EditConflict``): who saved meanwhile,
    when, and each field from what to what. The panel and the admin show the same words."""
    editors = "، ".join(_person(user) for user in conflict.editors) or "کاربر دیگری"
    when = format_datetime(conflict.saves[-1].when) if conflict.saves else ""
    if conflict.current.is_deleted:
        return format_html(
            "ذخیره نشد: {} این خدمت را پس از باز شدن فرم شما حذف کرده است ({}).", editors, when
        )
    changes = format_html_join(
        "", "<li>{}: از «{}» به «{}»</li>", ((c.label, c.old, c.new) for c in conflict.changes)
    )
    return format_html(
        "ذخیره نشد: {} این خدمت را پس از باز شدن فرم شما ویرایش کرده است ({}). "
        "این‌ها در این فاصله عوض شده‌اند:<ul class='mb-1'>{}</ul>"
        "نوشته‌های شما در فرم مانده است؛ آن‌ها را با مقدارهای تازه مقایسه کنید و اگر هنوز "
        "درست است، دوباره ذخیره کنید.",
        editors,
        when,
        changes,
    )


def _person(user) -> str:
    if user is None:
        return "کاربری ناشناس"
    return f"«{user.get_full_name() or user.get_username()}»"
