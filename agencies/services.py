"""Writes to service records, each checked against the writer's scope.

Every function takes keyword arguments only: the record (a model instance, the same style as
every service of the portal) and the user acting. It checks the scope first (a record outside it
raises ``OutOfScope``, which pages answer with 404, so a guessed id tells nothing), runs
``full_clean`` and saves inside ``transaction.atomic`` with the writer recorded as the history
user, and tells the public page cache once the change commits. The staff panel and the Django
admin both write through here.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agencies.access import acting_user, scope_for
from agencies.choices import RecordStatus
from agencies.models import CoordinationRules, House, RecordHousehold, ServiceRecord
from agencies.record_history import TRACKED_FIELDS, changes_since
from core.caching import Topic, public_content_changed
from core.digits import format_number, to_persian_digits
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


class DuplicateRecord(ValidationError):
    """The same house already has a live record of the same type, date and counts."""

    def __init__(self, existing: ServiceRecord):
        self.existing = existing
        super().__init__(
            f"این خدمت پیش‌تر ثبت شده است: خدمت شمارهٔ {to_persian_digits(existing.pk)} همین خانه، "
            f"همین نوع خدمت، همین تاریخ ({format_date(existing.delivered_on)}) و همین شمارها را "
            "دارد. اگر خدمت دیگری است، تاریخ یا شمارها را درست کنید؛ اگر همان است، نیازی به "
            "ثبت دوباره نیست.",
            code="duplicate",
        )


class ParallelWork(ValidationError):
    """Another agency recorded the same aid in the same neighbourhood within the window, and
    the clerk has not yet said why hers is needed too. ``matches`` are those records."""

    def __init__(self, matches: list[ServiceRecord], rules: CoordinationRules):
        self.matches = matches
        self.rules = rules
        super().__init__(
            {
                "parallel_reason": (
                    "دستگاه دیگری در همین محله خدمت مشابهی ثبت کرده است؛ اگر این خدمت جدا و "
                    "لازم است، در یک جمله بنویسید چرا، سپس دوباره ذخیره کنید."
                )
            },
            code="parallel_work",
        )


class SameAidTwice(ValidationError):
    """A household the record lists received the same aid from another agency within the
    rules' window, and the clerk has not yet said why it is given again. ``matches`` are the
    other agencies' links (``RecordHousehold`` with the record, its house and type)."""

    def __init__(self, matches: list[RecordHousehold], rules: CoordinationRules):
        self.matches = matches
        self.rules = rules
        super().__init__(
            {
                "repeat_reason": (
                    "خانواری از این فهرست همین کمک را به‌تازگی از دستگاه دیگری گرفته است؛ اگر "
                    "باز هم لازم است، در یک جمله بنویسید چرا، سپس دوباره ذخیره کنید."
                )
            },
            code="same_aid_twice",
        )


def household_repeats(record: ServiceRecord, households, rules=None) -> list[RecordHousehold]:
    """The other agencies' live records that gave one of *households* the same aid as
    *record* within the rules' household window, as links, earliest first."""
    if not households:
        return []
    rules = rules or CoordinationRules.current()
    first, last = rules.household_window(record.delivered_on)
    others = (
        ServiceRecord.objects.alive()
        .filter(rules.household_types(record.service_type), delivered_on__range=(first, last))
        .exclude(house__agency_id=record.house.agency_id)
    )
    if record.pk is not None:
        others = others.exclude(pk=record.pk)
    found = RecordHousehold.objects.filter(
        record__in=others, household__in=[household.pk for household in households]
    ).select_related("record__house__agency", "record__service_type", "household")
    return list(found.order_by("record__delivered_on", "pk"))


def household_count_errors(record: ServiceRecord, households) -> dict[str, str]:
    """Where *record*'s counts disagree with the *households* it lists, by field: the number
    of households, the people (at least one a household, at most all their members), and the
    people with a disability or elderly (at most the members of households that have them)."""
    if not households:
        return {}
    errors = {}
    listed = len(households)
    members = sum(household.members for household in households)
    if record.households != listed:
        errors["households"] = (
            f"خانوارهای بهره‌مند {format_number(record.households)} نوشته شده اما "
            f"{format_number(listed)} خانوار در فهرست است."
        )
    if record.beneficiaries > members:
        errors["beneficiaries"] = (
            f"تعداد ذی‌نفعان ({format_number(record.beneficiaries)}) از جمع اعضای خانوارهای "
            f"فهرست ({format_number(members)}) بیشتر است."
        )
    elif record.beneficiaries < listed:
        errors["beneficiaries"] = (
            f"تعداد ذی‌نفعان ({format_number(record.beneficiaries)}) از شمار خانوارهای فهرست "
            f"({format_number(listed)}) کمتر است؛ از هر خانوار دست‌کم یک نفر بهره برده است."
        )
    for field, flag, who in (
        ("disabled", "has_disabled_member", "عضو توان‌خواه"),
        ("elderly", "has_elderly_member", "عضو سالمند"),
    ):
        value = getattr(record, field)
        room = sum(household.members for household in households if getattr(household, flag))
        if value > room:
            errors[field] = (
                f"{format_number(value)} نفر نوشته شده، اما خانوارهای فهرست که {who} دارند "
                f"روی هم {format_number(room)} عضو دارند."
                if room
                else f"{format_number(value)} نفر نوشته شده، اما هیچ خانواری در فهرست {who} ندارد."
            )
    return errors


def _check_households(record, households, *, stored, linked) -> None:
    """Refuse counts that disagree with the listed households, and stop a record that gives a
    listed household the same aid another agency gave it lately until it carries a reason.

    *households* is the new list (``None``: unchanged, *linked*). The same-aid check runs again
    when the house, type or date changed or a household joined the list.
    """
    listed = linked if households is None else households
    record.repeat_reason = (record.repeat_reason or "").strip()
    if record.house_id is None or record.service_type_id is None or record.delivered_on is None:
        return
    errors = household_count_errors(record, listed)
    if errors:
        raise ValidationError(errors, code="household_counts")
    moved = stored is None or any(
        getattr(stored, name) != getattr(record, name)
        for name in ("house_id", "service_type_id", "delivered_on")
    )
    before = {household.pk for household in linked}
    joined = [household for household in listed if household.pk not in before]
    if not (moved or joined):
        return
    matches = household_repeats(record, listed if moved else joined)
    if not matches:
        if moved:
            record.repeat_reason = ""
    elif not record.repeat_reason:
        raise SameAidTwice(matches, CoordinationRules.current())


def record_households(record) -> list:
    """The households *record* lists, in the order they were linked."""
    if record.pk is None:
        return []
    links = RecordHousehold.objects.filter(record_id=record.pk).select_related("household")
    return [link.household for link in links.order_by("pk")]


def _set_households(record, households) -> bool:
    """Make *record*'s list *households*; whether it changed."""
    if households is None:
        return False
    wanted = {household.pk for household in households}
    current = set(
        RecordHousehold.objects.filter(record=record).values_list("household_id", flat=True)
    )
    if wanted == current:
        return False
    RecordHousehold.objects.filter(record=record).exclude(household_id__in=wanted).delete()
    RecordHousehold.objects.bulk_create(
        [RecordHousehold(record=record, household_id=pk) for pk in wanted - current]
    )
    return True


def parallel_records(record: ServiceRecord, rules: CoordinationRules | None = None):
    """The other agencies' live records parallel to *record* (see
    ``ServiceRecordQuerySet.parallel_to``), nearest date first, with what the warning names."""
    rules = rules or CoordinationRules.current()
    found = ServiceRecord.objects.parallel_to(record, rules).select_related(
        "house__agency", "service_type"
    )
    return rules, list(found.order_by("delivered_on", "pk"))


def _check_coordination(record: ServiceRecord, *, stored: ServiceRecord | None) -> None:
    """Refuse an exact duplicate of a live record of the same house, and stop a record that
    parallels another agency's work until it carries a reason.

    On an edit the parallel check runs again only when the house, type or date changed, so
    correcting a count does not ask for the reason a second time; a reason typed when nothing
    is parallel is dropped.
    """
    if record.house_id is None or record.service_type_id is None or record.delivered_on is None:
        return  # the missing field has its own error
    existing = ServiceRecord.objects.same_as(record).order_by("pk").first()
    if existing is not None:
        raise DuplicateRecord(existing)
    moved = stored is None or any(
        getattr(stored, name) != getattr(record, name)
        for name in ("house_id", "service_type_id", "delivered_on")
    )
    record.parallel_reason = (record.parallel_reason or "").strip()
    if not moved:
        return
    rules, matches = parallel_records(record)
    if not matches:
        record.parallel_reason = ""
    elif not record.parallel_reason:
        raise ParallelWork(matches, rules)


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


def service_record_check(*, record: ServiceRecord, user, households=None) -> None:
    """The rules a record must meet before it is saved by *user*, without saving anything.

    Raises ``ValidationError`` keyed by field: a house outside the user's scope or closed since
    (a record may stay at a house that has since closed), a delivery date in the future or before
    the program began; :class:`DuplicateRecord` for an exact copy of a live record of the same
    house; :class:`ParallelWork` when another agency recorded the same aid in the same
    neighbourhood within the rules' window and the record carries no ``parallel_reason``;
    counts that disagree with the listed *households* (``None``: the list stays as stored);
    :class:`SameAidTwice` when a listed household got the same aid from another agency within
    the household window and the record carries no ``repeat_reason``.
    The create and update services apply them again; the Django admin's form asks them first
    so a refusal shows on the form.
    """
    stored = None
    if record.pk is not None:
        stored = ServiceRecord.objects.filter(pk=record.pk).first()
    _check_house(user, record.house_id, allow_inactive_pk=stored.house_id if stored else None)
    _check_date(record.delivered_on)
    _check_coordination(record, stored=stored)
    _check_households(record, households, stored=stored, linked=record_households(record))


def service_record_create(
    *, record: ServiceRecord, user, submit: bool = False, households=None
) -> ServiceRecord:
    """Save a new *record* (an unsaved instance) of a service delivered by one of the user's
    houses: a draft, or submitted for approval with ``submit=True``; *households* are the
    households it served (found through ``household_services``), if listed.

    Raises ``PermissionDenied`` for a read-only user and ``ValidationError`` (keyed by field) for
    invalid data, including a house outside the user's scope.
    """
    scope_for(user).require("write")
    if record.pk is not None:
        raise ValueError("service_record_create takes a record that is not saved yet")
    service_record_check(record=record, user=user, households=households)
    record.created_by = acting_user(user)
    record.status = RecordStatus.SUBMITTED if submit else RecordStatus.DRAFT
    with transaction.atomic():
        _save(record, user, was_public=False, reason=SUBMITTED_REASON if submit else "")
        _set_households(record, households)
    return record


def service_record_update(
    *, record: ServiceRecord, user, version: int, submit: bool = False, households=None
) -> ServiceRecord:
    """Save the edited fields of *record* unless someone else saved it after *version* was read.

    *record* is the stored record with the person's edits applied (a ModelForm's instance); only
    the fields people edit (``TRACKED_FIELDS``) are taken from it. The version check is a
    conditional ``UPDATE … WHERE id = … AND version = …`` that also bumps the version, so of two
    saves made from the same version exactly one wins; the other raises :class:`EditConflict`
    naming what changed meanwhile and who changed it. With ``submit=True`` a draft or returned
    record is also submitted for approval, in the same save. Raises :class:`OutOfScope` for a
    record the user may not see and ``PermissionDenied`` for an approved record a clerk may not
    change. *households* replaces the record's list of households (``None`` keeps it; the
    counts must still agree with it). Returns the saved record (unchanged, with no history row,
    when nothing differs).
    """
    scope = scope_for(user)
    current = scope.get(ServiceRecord.objects.all(), pk=record.pk)
    scope.require("write")
    _require_editable(scope, current)
    _check_house(user, record.house_id, allow_inactive_pk=current.house_id)
    _check_date(record.delivered_on)
    _check_coordination(record, stored=current)
    linked = record_households(current)
    _check_households(record, households, stored=current, linked=linked)
    relisted = households is not None and {h.pk for h in households} != {h.pk for h in linked}
    submitting = submit and current.status in SUBMITTABLE
    # Checked before the transaction: on SQLite a transaction that reads before it writes can
    # be refused the write lock, and a save that changes nothing needs no lock at all.
    if (
        current.version == version
        and not current.is_deleted
        and not submitting
        and not relisted
        and not _differs(current, record)
    ):
        return current
    with transaction.atomic():
        claimed = ServiceRecord.objects.filter(
            pk=record.pk, version=version, deleted_at__isnull=True
        ).update(version=F("version") + 1)
        if not claimed:
            raise _conflict(record.pk, version)
        fresh = ServiceRecord.objects.get(pk=record.pk)
        was_public = fresh.is_public
        for name in TRACKED_FIELDS:
            setattr(fresh, name, getattr(record, name))
        if submitting:
            fresh.status = RecordStatus.SUBMITTED
        _save(fresh, user, was_public=was_public, reason=SUBMITTED_REASON if submitting else "")
        _set_households(fresh, households)
    return fresh


def service_record_delete(*, record: ServiceRecord, user) -> ServiceRecord:
    """Mark *record* deleted (kept in the database, restorable by a coordinator)."""
    scope = scope_for(user)
    current = scope.get(ServiceRecord.objects.all(), pk=record.pk)
    scope.require("write")
    _require_editable(scope, current)
    with transaction.atomic():
        fresh = scope.get(ServiceRecord.objects.select_for_update(), pk=record.pk)
        if fresh.is_deleted:
            return fresh
        was_public = fresh.is_public
        fresh.deleted_at = timezone.now()
        fresh.version += 1
        _save(fresh, user, was_public=was_public)
    return fresh


def service_record_restore(*, record: ServiceRecord, user) -> ServiceRecord:
    """Bring back a deleted record; only coordinators (``scope.can_restore``) may."""
    scope = scope_for(user)
    # Out of scope is "not found" even for those who may not restore, as everywhere else.
    scope.get(ServiceRecord.objects.all(), pk=record.pk)
    scope.require("restore")
    with transaction.atomic():
        fresh = scope.get(ServiceRecord.objects.select_for_update(), pk=record.pk)
        if not fresh.is_deleted:
            return fresh
        fresh.deleted_at = None
        fresh.version += 1
        _save(fresh, user, was_public=False)
    return fresh


# --- Approval ---------------------------------------------------------------------------------

SUBMITTABLE = (RecordStatus.DRAFT, RecordStatus.RETURNED)
SUBMITTED_REASON = "ارسال برای تأیید"
APPROVED_REASON = "تأیید"
RETURNED_REASON = "برگشت برای اصلاح"
RETURN_REASON_MAX = 1000


def service_record_submit(*, record: ServiceRecord, user) -> ServiceRecord:
    """Send a draft or returned record for approval (its agency's writers may)."""
    scope = scope_for(user)
    scope.get(ServiceRecord.objects.all(), pk=record.pk)
    scope.require("write")
    with transaction.atomic():
        fresh = scope.get(ServiceRecord.objects.alive().select_for_update(), pk=record.pk)
        if fresh.status not in SUBMITTABLE:
            return fresh
        fresh.status = RecordStatus.SUBMITTED
        fresh.version += 1
        _save(fresh, user, was_public=False, reason=SUBMITTED_REASON)
    return fresh


def service_records_approve(*, records, user) -> int:
    """Approve the submitted records among *records* (a queryset) that lie in the user's scope;
    return how many were approved. Each gets its history row with who and when, and public
    pages go stale once, on commit."""
    scope = scope_for(user)
    scope.require("approve")
    approved = 0
    with transaction.atomic():
        chosen = ServiceRecord.objects.filter(pk__in=records.values("pk"))
        candidates = scope.filter(chosen).awaiting_approval().select_for_update().order_by("pk")
        now = timezone.now()
        for fresh in candidates:
            fresh.status = RecordStatus.APPROVED
            fresh.return_reason = ""
            fresh.reviewed_by, fresh.reviewed_at = acting_user(user), now
            fresh.version += 1
            _save(fresh, user, was_public=False, reason=APPROVED_REASON)
            approved += 1
    return approved


def service_record_approve(*, record: ServiceRecord, user) -> ServiceRecord:
    """Approve one submitted record (see :func:`service_records_approve`)."""
    scope = scope_for(user)
    scope.get(ServiceRecord.objects.all(), pk=record.pk)
    service_records_approve(records=ServiceRecord.objects.filter(pk=record.pk), user=user)
    return ServiceRecord.objects.get(pk=record.pk)


def service_record_return(*, record: ServiceRecord, user, reason: str) -> ServiceRecord:
    """Return a submitted or approved record to its clerk for correction, saying why.

    An approved record returned leaves the public figures until it is approved again; this is
    also how a supervisor reopens an approved record for a clerk to correct.
    """
    scope = scope_for(user)
    scope.get(ServiceRecord.objects.all(), pk=record.pk)
    scope.require("approve")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "بنویسید چه چیزی باید اصلاح شود."})
    if len(reason) > RETURN_REASON_MAX:
        raise ValidationError(
            {"reason": f"دلیل برگشت حداکثر {format_number(RETURN_REASON_MAX)} نویسه است."}
        )
    with transaction.atomic():
        fresh = scope.get(ServiceRecord.objects.alive().select_for_update(), pk=record.pk)
        if fresh.status not in (RecordStatus.SUBMITTED, RecordStatus.APPROVED):
            raise ValidationError("فقط خدمت ارسال‌شده یا تأییدشده برگردانده می‌شود.")
        was_public = fresh.is_public
        fresh.status = RecordStatus.RETURNED
        fresh.return_reason = reason
        fresh.reviewed_by, fresh.reviewed_at = acting_user(user), timezone.now()
        fresh.version += 1
        _save(fresh, user, was_public=was_public, reason=RETURNED_REASON)
    return fresh


def _require_editable(scope, record) -> None:
    if not scope.may_edit(record):
        raise PermissionDenied(
            "این خدمت تأیید شده و قفل است؛ برای اصلاح، مسئول استانی دستگاه یا هماهنگ‌کننده "
            "باید آن را برای اصلاح برگرداند."
        )


def _save(record, user, *, was_public: bool, reason: str = "") -> None:
    """Validate and save with the history user (and what the save did, for the history);
    public pages go stale only when the record counted there before or counts now."""
    record._history_user = acting_user(user)
    if reason:
        record._change_reason = reason
    record.full_clean(exclude=DERIVED_FIELDS)
    record.save()
    if was_public or record.is_public:
        public_content_changed(Topic.PROGRAM)


def _check_house(user, house_id, *, allow_inactive_pk) -> None:
    if house_id is None:
        return
    house = House.objects.visible_to(user).filter(pk=house_id).values("is_active").first()
    if house is None:
        raise ValidationError({"house": HOUSE_OUT_OF_SCOPE}, code="out_of_scope")
    # A record may stay at a house that has since closed; new ones go to open houses only.
    if house_id != allow_inactive_pk and not house["is_active"]:
        raise ValidationError({"house": "این خانه دیگر فعال نیست."}, code="inactive")


def _check_date(value) -> None:
    if value is None:
        return
    try:
        validate_delivered_on(value)
    except ValidationError as error:
        raise ValidationError({"delivered_on": error.messages}) from error


def _differs(current, edited) -> bool:
    for name in TRACKED_FIELDS:
        # Compare ids for the links so the check does not load the related rows.
        attname = ServiceRecord._meta.get_field(name).attname
        if getattr(current, attname) != getattr(edited, attname):
            return True
    return False


def _conflict(pk, version) -> EditConflict:
    current = ServiceRecord.objects.with_related().get(pk=pk)
    changes, saves = changes_since(current, version)
    return EditConflict(current=current, changes=changes, saves=saves)
