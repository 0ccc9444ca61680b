"""Writes and reads of the household registry, each checked against the person's scope and,
where an identity is read, written to the access log.

A household is registered by a clerk in a neighbourhood where her agency keeps an open house;
its identity (the head's national ID and name, members' IDs) is stored only with consent in
force, hashed and sealed (``Household.set_identity``). Other agencies' households are reached
one at a time, by the exact national ID (:func:`household_find`), with a reason, and only when
the household agreed to be found by the whole program. Every such look-up, every opening of a
household's page and every removal of an identity leaves a :class:`HouseholdAccess` row.

Messages never repeat a national ID or a name: they may be shown, logged or mailed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.access import SYSTEM, OutOfScope, acting_user, scope_for
from agencies.models import (
    Agency,
    ConsentScope,
    House,
    Household,
    HouseholdAccess,
    HouseholdMember,
    RecordHousehold,
)
from core.caching import Topic, public_content_changed
from core.crypto import UnreadableSeal, identity_hash, reseal, seal, unseal
from core.digits import format_number
from core.jalali import format_date
from core.national_id import validate_national_id
from core.text import strip_direction_controls

NAME_MAX = 120
REASON_MAX = 300
NEIGHBOURHOOD_OUT_OF_SCOPE = (
    "دستگاه شما در این محله خانهٔ فعالی ندارد؛ خانوار را در محله‌ای ثبت کنید که در آن کار می‌کنید."
)
NOT_FOUND = (
    "خانواری با این کد ملی در محله‌هایی که دستگاه شما در آن کار می‌کند پیدا نشد "
    "(یا خانوار فقط به دستگاه ثبت‌کننده‌اش رضایت داده است). اگر تازه است، آن را ثبت کنید."
)
LOOKUP_REASON_NEEDED = "بنویسید برای چه کاری این خانوار را جست‌وجو می‌کنید؛ در دفتر دسترسی می‌ماند."


# --- Typed values ----------------------------------------------------------------------------


def household_name(value) -> str:
    """A typed name as it is stored: no direction controls, one space between words."""
    text = " ".join(strip_direction_controls(value).split())
    text = text.translate(str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"}))
    if len(text) > NAME_MAX:
        raise ValidationError(f"نام حداکثر {format_number(NAME_MAX)} نویسه است.", code="long")
    return text


def national_ids_in(text) -> list[tuple[int, str]]:
    """The national IDs in *text*, one per line (blank lines skipped), as ``(line, id)`` pairs;
    ``ValidationError`` naming the lines that are not valid IDs (never the IDs themselves)."""
    found, errors, seen = [], [], set()
    for number, line in enumerate(str(text or "").splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = validate_national_id(line)
        except ValidationError as error:
            errors.append(f"سطر {format_number(number)}: {error.messages[0]}")
            continue
        if value in seen:
            errors.append(f"سطر {format_number(number)}: این کد ملی در سطرهای بالاتر هم آمده است.")
            continue
        seen.add(value)
        found.append((number, value))
    if errors:
        raise ValidationError(errors, code="national_ids")
    return found


# --- The log ---------------------------------------------------------------------------------


def log_access(*, user, action, household=None, reason="", record=None) -> HouseholdAccess:
    """Write one row of the access log (kept whatever the request does next)."""
    scope = scope_for(user)
    person = acting_user(user)
    return HouseholdAccess.objects.create(
        user=person,
        username=getattr(person, "username", "") or str(user),
        agency_id=scope.agency_id,
        household=household,
        action=action,
        reason=(reason or "")[:REASON_MAX],
        record=record,
    )


# --- Registering -----------------------------------------------------------------------------


@dataclass
class Identity:
    """What identifies a household, as typed: the head's ID and name, members' IDs."""

    national_id: str = ""
    name: str = ""
    member_ids: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.national_id or self.name or self.member_ids)


def registration_neighbourhood_ids(user) -> set[int]:
    """The neighbourhoods where *user* may register households: those of their open houses."""
    houses = House.objects.visible_to(user).active()
    return set(houses.values_list("neighbourhood_id", flat=True))


def registering_agency(user, chosen: Agency | None) -> Agency:
    """The agency a new household is registered for: the clerk's own, or the one a
    province-wide person chose."""
    scope = scope_for(user)
    if scope.agency_id is not None:
        return Agency.objects.get(pk=scope.agency_id)
    if chosen is None:
        raise ValidationError(
            {"registered_by_agency": "دستگاهی را که خانوار را ثبت می‌کند برگزینید."}
        )
    return chosen


def household_register(*, household: Household, identity: Identity, user) -> Household:
    """Save a new *household* (unsaved, with neighbourhood, counts, flags and consent fields
    set) with its *identity*, for the user's agency.

    Refuses, keyed by field: a neighbourhood without an open house of the agency in the user's
    scope; an identity without consent in force today; a national ID already registered as a
    head in the same neighbourhood.
    """
    scope = scope_for(user)
    scope.require("write")
    if household.pk is not None:
        raise ValueError("household_register takes a household that is not saved yet")
    if household.neighbourhood_id not in registration_neighbourhood_ids(user):
        raise ValidationError({"neighbourhood": NEIGHBOURHOOD_OUT_OF_SCOPE})
    if scope.agency_id is not None:
        household.registered_by_agency_id = scope.agency_id
    elif (
        household.registered_by_agency_id is not None
        and not House.objects.filter(
            agency_id=household.registered_by_agency_id,
            neighbourhood_id=household.neighbourhood_id,
            is_active=True,
        ).exists()
    ):
        raise ValidationError({"registered_by_agency": "این دستگاه در این محله خانهٔ فعالی ندارد."})
    household.registered_by = acting_user(user)
    _check_consent(household, identity)
    if household.consent_given_on is not None:
        household.consent_recorded_by = acting_user(user)
    with transaction.atomic():
        if identity.given:
            _apply_identity(household, identity)
        household.full_clean()
        household.save()
        _save_members(household, identity.member_ids)
        log_access(user=user, action=HouseholdAccess.Action.REGISTER, household=household)
    return household


def household_update(*, household: Household, user, name: str | None = None) -> Household:
    """Save the edited counts, flags and consent of *household* (and a corrected *name*).

    The national ID is not edited: another ID is another household. Consent that no longer
    holds today removes the identity at once.
    """
    scope = scope_for(user)
    stored = scope.households(Household.objects.all()).filter(pk=household.pk).first()
    if stored is None:
        raise OutOfScope("household outside the scope")
    scope.require("write")
    with transaction.atomic():
        if household.is_identified and name is not None:
            household.head_name_sealed = seal(household_name(name))
        today = timezone.localdate()
        if household.is_identified and not household.consent_in_force(today):
            _erase(household)
        household.full_clean()
        household.save()
    if household.links.filter(record__status="approved").exists():
        public_content_changed(Topic.PROGRAM)
    return household


def household_erase_identity(*, household: Household, user, reason: str) -> Household:
    """Remove the identity of *household* (consent withdrawn): the head's ID and name and the
    members' IDs leave the database; the counts, flags and links stay."""
    scope = scope_for(user)
    stored = scope.households(Household.objects.all()).filter(pk=household.pk).first()
    if stored is None:
        raise OutOfScope("household outside the scope")
    scope.require("write")
    with transaction.atomic():
        _erase(stored)
        stored.save()
        log_access(user=user, action=HouseholdAccess.Action.ERASE, household=stored, reason=reason)
    return stored


def households_erase_expired(*, day=None, user=SYSTEM) -> int:
    """Remove the identity of every household whose consent ended before *day* (today);
    return how many. Run daily (``manage.py erase_expired_consents``)."""
    day = day or timezone.localdate()
    erased = 0
    with transaction.atomic():
        for household in Household.objects.consent_ended(day).select_for_update():
            _erase(household)
            household.save()
            log_access(
                user=user,
                action=HouseholdAccess.Action.ERASE,
                household=household,
                reason=f"پایان رضایت در {format_date(household.consent_until)}",
            )
            erased += 1
    return erased


def _check_consent(household: Household, identity: Identity) -> None:
    today = timezone.localdate()
    consent_fields = (household.consent_given_on, household.consent_scope, household.consent_until)
    if not identity.given:
        if any(consent_fields):
            # Consent without an identity means nothing to keep; the form asks for both or none.
            raise ValidationError(
                {"national_id": "با رضایت خانوار، کد ملی و نام سرپرست را هم بنویسید."}
            )
        return
    errors = {}
    if household.consent_given_on is None:
        errors["consent_given_on"] = (
            "بدون رضایت خانوار، نام و کد ملی ثبت نمی‌شود؛ تاریخ رضایت را بنویسید یا خانوار را "
            "بی‌نام ثبت کنید (فقط شمار اعضا و ویژگی‌ها)."
        )
    elif household.consent_given_on > today:
        errors["consent_given_on"] = "تاریخ رضایت نمی‌تواند در آینده باشد."
    if not household.consent_scope:
        errors["consent_scope"] = "بگویید رضایت خانوار چه چیزی را در بر می‌گیرد."
    if household.consent_until is None:
        errors["consent_until"] = "رضایت تا کی معتبر است؟ تاریخ پایانش را بنویسید."
    elif household.consent_until < today:
        errors["consent_until"] = "این رضایت به پایان رسیده است؛ بدون رضایت معتبر، نام ثبت نمی‌شود."
    elif household.consent_given_on and household.consent_until < household.consent_given_on:
        errors["consent_until"] = "پایان رضایت نمی‌تواند پیش از تاریخ رضایت باشد."
    if not identity.national_id:
        errors["national_id"] = "کد ملی سرپرست خانوار را بنویسید."
    if not identity.name:
        errors["head_name"] = "نام سرپرست خانوار را بنویسید."
    if errors:
        raise ValidationError(errors)


def _apply_identity(household: Household, identity: Identity) -> None:
    national_id = validate_national_id(identity.national_id)
    household.set_identity(national_id=national_id, name=household_name(identity.name))
    taken = Household.objects.filter(
        neighbourhood_id=household.neighbourhood_id, head_id_hash=household.head_id_hash
    )
    if taken.exists():
        raise ValidationError(
            {"national_id": "خانواری با همین کد ملی سرپرست در این محله پیش‌تر ثبت شده است."},
            code="duplicate",
        )


def _save_members(household: Household, member_ids) -> None:
    for value in dict.fromkeys(member_ids):
        HouseholdMember.objects.create(
            household=household, id_hash=identity_hash(value), id_sealed=seal(value)
        )


def _erase(household: Household) -> None:
    household.head_id_hash = ""
    household.head_id_sealed = ""
    household.head_name_sealed = ""
    household.identity_removed_at = timezone.now()
    if household.pk is not None:
        household.member_ids.all().delete()


# --- Finding and reading ---------------------------------------------------------------------


def findable_by(user):
    """The households *user* may reach by exact national ID: their own agency's in their
    scope, and other agencies' in the neighbourhoods where the user's agency keeps an open
    house, when the household agreed to the whole program."""
    scope = scope_for(user)
    if not (scope.sees_program and scope.can_write):
        return Household.objects.none()
    own = scope.households(Household.objects.all())
    if scope.agency_id is None:
        return own
    others = Household.objects.filter(
        neighbourhood_id__in=registration_neighbourhood_ids(user),
        consent_scope=ConsentScope.PROGRAM,
    )
    return Household.objects.filter(pk__in=own.values("pk")) | others


def household_find(*, national_id: str, user, reason: str, record=None) -> Household | None:
    """The one household *user* may reach with this exact *national_id*, or None; the look-up
    is logged either way, with *reason*. A partial or invalid ID is a ``ValidationError``."""
    scope = scope_for(user)
    scope.require("write")
    value = validate_national_id(national_id)
    reason = " ".join(strip_direction_controls(reason).split())
    if not reason:
        raise ValidationError({"reason": LOOKUP_REASON_NEEDED})
    found = findable_by(user).with_national_id(value).select_related("neighbourhood").first()
    log_access(
        user=user,
        action=HouseholdAccess.Action.LOOKUP if found else HouseholdAccess.Action.LOOKUP_MISSED,
        household=found,
        reason=reason,
        record=record,
    )
    return found


def household_open(*, household_id: int, user, reason: str = "") -> Household:
    """The household *user* opens (its page), logged; ``OutOfScope`` if not theirs to open."""
    scope = scope_for(user)
    household = (
        scope.households(
            Household.objects.select_related("neighbourhood__city", "registered_by_agency")
        )
        .filter(pk=household_id)
        .first()
    )
    if household is None:
        raise OutOfScope("household outside the scope")
    log_access(user=user, action=HouseholdAccess.Action.VIEW, household=household, reason=reason)
    return household


def households_for_record(*, national_ids, record, user) -> tuple[list[Household], list[int]]:
    """The households named by *national_ids* (``(line, id)`` pairs) that *user* may link to
    *record*: found in the record's neighbourhood, each look-up logged as a link. Returns the
    households and the line numbers that found none."""
    if not national_ids:
        return [], []
    scope_for(user).require("write")
    neighbourhood_id = record.house.neighbourhood_id
    reachable = findable_by(user).filter(neighbourhood_id=neighbourhood_id)
    digests = {identity_hash(value): line for line, value in national_ids}
    by_line = {}
    for household in reachable.filter(head_id_hash__in=digests):
        by_line[digests[household.head_id_hash]] = household
    members = HouseholdMember.objects.filter(
        id_hash__in=digests, household__in=reachable
    ).select_related("household")
    for member in members:
        by_line.setdefault(digests[member.id_hash], member.household)
    reason = "پیوند به خدمت"
    already = set()
    if record.pk is not None:
        already = set(
            RecordHousehold.objects.filter(record_id=record.pk).values_list(
                "household_id", flat=True
            )
        )
    for household in dict.fromkeys(by_line.values()):
        if household.pk in already:
            continue  # read when it was first linked; opening the record again is no look-up
        log_access(
            user=user,
            action=HouseholdAccess.Action.LINK,
            household=household,
            reason=reason,
            record=record if record.pk else None,
        )
    missing = [line for line, _value in national_ids if line not in by_line]
    ordered = [by_line[line] for line, _value in national_ids if line in by_line]
    return list(dict.fromkeys(ordered)), missing


def require_household_reader(user) -> None:
    """Households are read by those who write records; read-only roles see counts only."""
    if not scope_for(user).allows("write"):
        raise PermissionDenied("خانوارها را فقط کارشناسان و هماهنگ‌کنندگان می‌بینند.")


# --- Keys ------------------------------------------------------------------------------------


@dataclass
class KeyRotation:
    """What :func:`households_rotate_keys` did."""

    households: int = 0
    members: int = 0
    unreadable: int = 0  # values no configured key opened: left as they were


def households_rotate_keys(*, batch: int = 500, progress=None) -> KeyRotation:
    """Seal every stored identity again with the newest encryption key and compute every hash
    again with the current hash key (both from ``settings``), in batches, each batch in its own
    transaction; *progress(done, total)* is called after each. Safe to run twice, and to stop
    and run again: a value already sealed with the newest key is sealed again, which changes
    nothing of what it holds."""
    report = KeyRotation()
    households = Household.objects.identified().order_by("pk")
    members = HouseholdMember.objects.order_by("pk")
    total = households.count() + members.count()
    done = 0
    for queryset, fields in (
        (households, ("head_id_sealed", "head_name_sealed")),
        (members, ("id_sealed",)),
    ):
        last = 0
        while True:
            rows = list(queryset.filter(pk__gt=last)[:batch])
            if not rows:
                break
            last = rows[-1].pk
            changed = []
            for row in rows:
                try:
                    _rotate_row(row, fields)
                except UnreadableSeal:
                    report.unreadable += 1
                    continue
                changed.append(row)
            hash_field = "head_id_hash" if queryset.model is Household else "id_hash"
            with transaction.atomic():
                queryset.model.objects.bulk_update(changed, [*fields, hash_field])
            if queryset.model is Household:
                report.households += len(changed)
            else:
                report.members += len(changed)
            done += len(rows)
            if progress is not None:
                progress(done, total)
    return report


def _rotate_row(row, fields) -> None:
    for name in fields:
        setattr(row, name, reseal(getattr(row, name)))
    if isinstance(row, Household):
        row.head_id_hash = identity_hash(unseal(row.head_id_sealed))
    else:
        row.id_hash = identity_hash(unseal(row.id_sealed))
