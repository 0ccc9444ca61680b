"""Writes to service records, each checked against the writer's scope.

Every function takes keyword arguments only, checks the scope first (a record outside it is
reported as not found, so a guessed id tells nothing), runs ``full_clean`` and saves inside
``transaction.atomic`` with the writer recorded as the history user.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from agencies.models import House, ServiceRecord
from agencies.record_history import TRACKED_FIELDS, changes_since
from agencies.scoping import scope_for
from core.jalali import format_date

# Stored by ServiceRecord.save() from delivered_on; nothing for full_clean to check before then.
DERIVED_FIELDS = ("jalali_year", "jalali_month")

HOUSE_OUT_OF_SCOPE = "این خانه در محدودهٔ دسترسی شما نیست؛ یکی از خانه‌های فهرست را انتخاب کنید."


class EditConflict(Exception):
    """Someone else saved (or deleted) the record after the form was opened.

    ``changes`` lists the fields that differ from the state the form was opened with, ``saves``
    who saved in between and when, ``current`` the record as it is now.
    """

    def __init__(self, *, current, changes, saves):
        super().__init__("service record changed since the form was opened")
        self.current = current
        self.changes = changes
        self.saves = saves

    @property
    def editors(self) -> list:
        """The people who saved in between, each named once, in the order they saved."""
        people = []
        for save in self.saves:
            if save.user not in people:
                people.append(save.user)
        return people


def program_start() -> dt.date:
    """The day the program began (settings.PROGRAM_START_DATE); no service is older."""
    return dt.date.fromisoformat(settings.PROGRAM_START_DATE)


def validate_delivered_on(value: dt.date) -> None:
    """Refuse a delivery date in the future or before the program began."""
    if value > timezone.localdate():
        raise ValidationError("تاریخ ارائهٔ خدمت نمی‌تواند در آینده باشد.", code="future")
    start = program_start()
    if value < start:
        raise ValidationError(
            f"تاریخ ارائهٔ خدمت نمی‌تواند پیش از آغاز طرح ({format_date(start, 'long')}) باشد.",
            code="before_program",
        )


def service_record_create(*, user, data: dict) -> ServiceRecord:
    """Record a service delivered by one of the user's houses.

    *data* holds the editable fields (see ``TRACKED_FIELDS``). Raises ``PermissionDenied`` for
    a read-only user and ``ValidationError`` (keyed by field) for invalid data, including a
    house outside the user's scope.
    """
    scope_for(user).require_write()
    _check_fields(data)
    _check_house(user, data.get("house"), allow_inactive_pk=None)
    _check_date(data.get("delivered_on"))
    record = ServiceRecord(**data, created_by=user)
    with transaction.atomic():
        _save(record, user)
    return record


def service_record_update(*, record, user, data: dict, version: int) -> ServiceRecord:
    """Save *data* onto *record* unless someone else saved it after *version* was read.

    The version check is a conditional ``UPDATE … WHERE id = … AND version = …`` that also
    bumps the version, so of two saves made from the same version exactly one wins; the other
    raises :class:`EditConflict` naming what changed meanwhile and who changed it. Returns the
    saved record (unchanged, with no history row, when *data* changes nothing).
    """
    scope = scope_for(user)
    scope.require_write()
    current = _visible(user, record.pk)
    _check_fields(data)
    _check_house(user, data.get("house"), allow_inactive_pk=current.house_id)
    _check_date(data.get("delivered_on"))
    # Checked before the transaction: on SQLite a transaction that reads before it writes can
    # be refused the write lock, and a save that changes nothing needs no lock at all.
    if current.version == version and not current.is_deleted and not _differs(current, data):
        return current
    with transaction.atomic():
        claimed = ServiceRecord.objects.filter(
            pk=record.pk, version=version, deleted_at__isnull=True
        ).update(version=F("version") + 1)
        if not claimed:
            raise _conflict(record.pk, version)
        fresh = ServiceRecord.objects.get(pk=record.pk)
        for name, value in data.items():
            setattr(fresh, name, value)
        _save(fresh, user)
    return fresh


def service_record_delete(*, record, user) -> ServiceRecord:
    """Mark *record* deleted (kept in the database, restorable by a coordinator)."""
    scope_for(user).require_write()
    with transaction.atomic():
        fresh = _visible(user, record.pk, lock=True)
        if fresh.is_deleted:
            return fresh
        fresh.deleted_at = timezone.now()
        fresh.version += 1
        _save(fresh, user)
    return fresh


def service_record_restore(*, record, user) -> ServiceRecord:
    """Bring back a deleted record; only coordinators (``scope.can_restore``) may."""
    # Out of scope is "not found" even for those who may not restore, as everywhere else.
    _visible(user, record.pk)
    if not scope_for(user).can_restore:
        raise PermissionDenied("بازگرداندن خدمت حذف‌شده فقط از هماهنگ‌کنندهٔ استانی برمی‌آید.")
    with transaction.atomic():
        fresh = _visible(user, record.pk, lock=True)
        if not fresh.is_deleted:
            return fresh
        fresh.deleted_at = None
        fresh.version += 1
        _save(fresh, user)
    return fresh


def _save(record, user) -> None:
    record._history_user = user
    record.full_clean(exclude=DERIVED_FIELDS)
    record.save()


def _visible(user, pk, *, lock=False) -> ServiceRecord:
    queryset = ServiceRecord.objects.visible_to(user)
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=pk)
    except ServiceRecord.DoesNotExist:
        raise Http404("خدمت پیدا نشد.") from None


def _check_fields(data) -> None:
    unknown = set(data) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"not editable on a service record: {sorted(unknown)}")


def _check_house(user, house, *, allow_inactive_pk) -> None:
    if house is None:
        return
    houses = House.objects.visible_to(user).filter(pk=house.pk)
    if not houses.exists():
        raise ValidationError({"house": HOUSE_OUT_OF_SCOPE}, code="out_of_scope")
    # A record may stay at a house that has since closed; new ones go to open houses only.
    if house.pk != allow_inactive_pk and not houses.active().exists():
        raise ValidationError({"house": "این خانه دیگر فعال نیست."}, code="inactive")


def _check_date(value) -> None:
    if value is None:
        return
    try:
        validate_delivered_on(value)
    except ValidationError as error:
        raise ValidationError({"delivered_on": error.messages}) from error


def _differs(record, data) -> bool:
    for name, value in data.items():
        if name in ("house", "service_type"):
            # Compare ids so the check does not load the related rows.
            if getattr(record, f"{name}_id") != getattr(value, "pk", value):
                return True
        elif getattr(record, name) != value:
            return True
    return False


def _conflict(pk, version) -> EditConflict:
    current = ServiceRecord.objects.with_related().get(pk=pk)
    changes, saves = changes_since(current, version)
    return EditConflict(current=current, changes=changes, saves=saves)
