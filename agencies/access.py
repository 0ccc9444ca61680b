"""Who may do what: the one module that reads roles, memberships and superuser status.

Everything else asks ``scope_for(user)`` and gets a :class:`Scope`, which answers every question
about a person: which houses, records, booths, exhibits and photos they may see
(``scope.filter(queryset)``), whether one object is theirs (``scope.contains(obj)``), and which
rights they hold (``scope.allows("write")``). Staff pages declare what they need with
:class:`StaffAccessMixin`; services raise :class:`OutOfScope` for an object the writer may not
touch, which pages answer with 404 (a guessed id tells nothing), and ``PermissionDenied`` for a
right the writer lacks (403).

The roles:

- superuser or provincial coordinator: the whole province, read, write, restore, approve, and
  the accounts of every agency;
- agency supervisor (مسئول استانی دستگاه): their agency's houses in the whole province, read,
  write, approve or return their agency's records, and their agency's accounts;
- viewer: the whole province, read only;
- agency staff: their agency's houses (optionally only some cities), read and write records that
  are not yet approved;
- news editors and comment moderators: Django groups with permissions (news/roles.py), which may
  be held with or without a program role;
- anyone else (no membership, anonymous): nothing.
"""

from functools import cached_property
from typing import NamedTuple

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from agencies.choices import RecordStatus

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# What a staff page may need. A program need first asks that the user sees the program at all
# (403 if not), then the page loads what its URL names through the scope (404 outside it), and
# only then the need itself is checked (403): a viewer gets 403 on a record they can see and 404
# on one they cannot.
NEEDS = (
    "signed_in",
    "see",
    "write",
    "restore",
    "approve",
    "manage_accounts",
    "manage_province",
    "edit_news",
    "moderate",
)
_PROGRAM_NEEDS = {"write", "restore", "approve", "manage_accounts", "manage_province"}

NEWS_EDIT_PERMISSIONS = ("news.add_article", "news.change_article")
NEWS_MODERATE_PERMISSION = "news.moderate_comment"


class StaffRole(models.TextChoices):
    AGENCY_STAFF = "agency_staff", "کارشناس دستگاه"
    SUPERVISOR = "agency_supervisor", "مسئول استانی دستگاه"
    COORDINATOR = "coordinator", "هماهنگ‌کنندهٔ استانی"
    VIEWER = "viewer", "ناظر (فقط خواندن)"
    NEWS = "news", "فقط اخبار و نظرها"


# Roles tied to one agency: their membership names it.
AGENCY_ROLES = (StaffRole.AGENCY_STAFF, StaffRole.SUPERVISOR)


class ScopePaths(NamedTuple):
    """Where a scoped model keeps its agency and its city, as ORM paths from the model.

    Each scoped model names them in ``SCOPE_PATHS``; ``Scope.filter`` uses them in SQL and
    ``Scope.contains`` follows the same attributes in Python, so the two never disagree.
    """

    agency: str
    city: str
    # The neighbourhood, for the models another agency's staff may read in their own
    # neighbourhoods ("what others did here"); None where no such reading exists.
    neighbourhood: str | None = None


class OutOfScope(Exception):
    """The object asked for lies outside the user's scope; staff pages answer 404."""


class _System:
    """The portal itself acting, for demo data and management commands: the whole province."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = False

    def has_perm(self, perm, obj=None):
        return True

    def has_perms(self, perms, obj=None):
        return True

    def __str__(self):
        return "سامانه"


SYSTEM = _System()


class Scope:
    """What one person may see and do; made by :func:`scope_for`, never by hand."""

    def __init__(
        self,
        *,
        sees_program=False,
        can_write=False,
        can_restore=False,
        can_approve=False,
        manages_accounts=False,
        agency_id=None,
        city_ids=None,
        role=None,
        must_change_password=False,
        user=None,
    ):
        self.sees_program = sees_program
        self.can_write = can_write
        self.can_restore = can_restore
        self.can_approve = can_approve
        self.manages_accounts = manages_accounts
        self.agency_id = agency_id
        self.city_ids = frozenset(city_ids) if city_ids else None
        self.role = role
        self.must_change_password = must_change_password
        self._user = user

    def __repr__(self):
        return (
            f"Scope(sees_program={self.sees_program}, can_write={self.can_write}, "
            f"agency_id={self.agency_id}, city_ids={self.city_ids})"
        )

    # --- rights -------------------------------------------------------------------------------

    @property
    def is_whole_province(self) -> bool:
        """Sees every agency in every city (coordinators, viewers, superusers)."""
        return self.sees_program and self.agency_id is None and self.city_ids is None

    @property
    def manages_province(self) -> bool:
        """Keeps the province's own data: exhibitions, the neighbourhood list (coordinators)."""
        return self.is_whole_province and self.can_write

    @cached_property
    def edits_news(self) -> bool:
        """Writes and publishes articles (the news editors' group, or a superuser)."""
        return self._user is not None and self._user.has_perms(NEWS_EDIT_PERMISSIONS)

    @cached_property
    def moderates_comments(self) -> bool:
        """Approves and rejects readers' comments (the moderators' group, or a superuser)."""
        return self._user is not None and self._user.has_perm(NEWS_MODERATE_PERMISSION)

    @property
    def has_any_role(self) -> bool:
        """Whether the staff panel has anything at all for this person."""
        return self.sees_program or self.edits_news or self.moderates_comments

    def allows(self, need: str) -> bool:
        """Whether this scope holds *need* (one of :data:`NEEDS`)."""
        if need == "signed_in":
            return True
        if need == "see":
            return self.sees_program
        if need == "write":
            return self.sees_program and self.can_write
        if need == "restore":
            return self.sees_program and self.can_restore
        if need == "approve":
            return self.sees_program and self.can_approve
        if need == "manage_accounts":
            return self.sees_program and self.manages_accounts
        if need == "manage_province":
            return self.manages_province
        if need == "edit_news":
            return self.edits_news
        if need == "moderate":
            return self.moderates_comments
        raise ValueError(f"unknown need: {need!r}")

    def require(self, need: str) -> None:
        """Raise ``PermissionDenied`` (403) unless this scope holds *need*."""
        if not self.allows(need):
            raise PermissionDenied(DENIED_MESSAGES.get(need, DENIED_MESSAGES["see"]))

    # --- objects -------------------------------------------------------------------------------

    def filter(self, queryset):
        """The part of *queryset* (of a model with ``SCOPE_PATHS``) this person may see."""
        if not self.sees_program:
            return queryset.none()
        paths = queryset.model.SCOPE_PATHS
        if self.agency_id is not None:
            queryset = queryset.filter(**{paths.agency: self.agency_id})
        if self.city_ids is not None:
            queryset = queryset.filter(**{f"{paths.city}__in": self.city_ids})
        return queryset

    def agencies(self, queryset):
        """The agencies (of *queryset*) this person works for: one for agency staff, else all."""
        if not self.sees_program:
            return queryset.none()
        return queryset if self.agency_id is None else queryset.filter(pk=self.agency_id)

    def neighbourhoods(self, queryset):
        """The neighbourhoods (of *queryset*) in this person's cities."""
        if not self.sees_program:
            return queryset.none()
        return queryset if self.city_ids is None else queryset.filter(city_id__in=self.city_ids)

    def neighbourhood_activity(self, queryset):
        """The part of *queryset* that lies in the neighbourhoods this person works in, whatever
        agency it belongs to: for agency staff, the neighbourhoods (of their cities) where their
        agency keeps a house; for province-wide roles, all. For reading only: nobody edits
        through it, and pages built on it show no notes and no people."""
        if not self.sees_program:
            return queryset.none()
        paths = queryset.model.SCOPE_PATHS
        if self.city_ids is not None:
            queryset = queryset.filter(**{f"{paths.city}__in": self.city_ids})
        if self.agency_id is not None:
            where = f"{paths.neighbourhood}__houses__agency_id"
            queryset = queryset.filter(**{where: self.agency_id})
        return queryset

    def households(self, queryset):
        """The households (of *queryset*) this person may open: for agency staff and
        supervisors, those their agency registered or served with a live record (in their
        cities); for coordinators, all. Read-only roles see none: they read counts only.
        Households of other agencies are found one at a time by exact national ID, logged."""
        if not (self.sees_program and self.can_write):
            return queryset.none()
        paths = queryset.model.SCOPE_PATHS
        if self.city_ids is not None:
            queryset = queryset.filter(**{f"{paths.city}__in": self.city_ids})
        if self.agency_id is not None:
            served = queryset.model.objects.filter(
                **{
                    queryset.model.SERVED_BY_PATH: self.agency_id,
                    "links__record__deleted_at__isnull": True,
                }
            )
            queryset = queryset.filter(
                models.Q(**{paths.agency: self.agency_id}) | models.Q(pk__in=served.values("pk"))
            )
        return queryset

    @property
    def is_one_agency(self) -> bool:
        """Works for one agency only (agency staff)."""
        return self.agency_id is not None

    @property
    def is_some_cities(self) -> bool:
        """Limited to some cities of the province."""
        return self.city_ids is not None

    def contains(self, obj) -> bool:
        """Whether *obj* (saved or not) lies in the scope, by the same rule as :meth:`filter`."""
        if not self.sees_program:
            return False
        paths = type(obj).SCOPE_PATHS
        if self.agency_id is not None and _follow(obj, paths.agency) != self.agency_id:
            return False
        return self.city_ids is None or _follow(obj, paths.city) in self.city_ids

    def may_edit(self, record) -> bool:
        """Whether this person may change *record*: in scope, a writer, and the record not
        approved unless they are the ones who approve (approved records are locked for clerks
        until a supervisor or coordinator returns them for correction)."""
        return (
            self.contains(record)
            and self.can_write
            and (record.status != RecordStatus.APPROVED or self.can_approve)
        )

    def may_approve(self, record) -> bool:
        """Whether this person approves or returns *record* (their agency's, or any)."""
        return self.can_approve and self.contains(record)

    # --- accounts ------------------------------------------------------------------------------

    def grantable_roles(self) -> list[str]:
        """The roles this person may give to an account: a supervisor only their agency's
        clerks; a coordinator every role; nobody the superuser flag (that is the admin's)."""
        if not self.allows("manage_accounts"):
            return []
        if self.agency_id is not None:
            return [StaffRole.AGENCY_STAFF]
        return list(StaffRole.values)

    def accounts(self, queryset):
        """The user accounts (of *queryset*) this person manages: never a superuser nor an
        account that opens the Django admin (``is_staff``: its model rights are the admin's to
        give); for a supervisor, only their agency's clerks that hold no rights beyond their
        membership (no group, no permission of their own: a news editor's account is a
        coordinator's to manage, or a supervisor resetting its password would gain its rights)."""
        if not self.allows("manage_accounts"):
            return queryset.none()
        queryset = queryset.filter(is_superuser=False, is_staff=False, membership__isnull=False)
        if self.agency_id is not None:
            queryset = queryset.filter(
                membership__agency_id=self.agency_id,
                membership__role=StaffRole.AGENCY_STAFF,
                groups__isnull=True,
                user_permissions__isnull=True,
            )
        return queryset

    def require_contains(self, obj) -> None:
        """Raise :class:`OutOfScope` unless *obj* lies inside the scope."""
        if not self.contains(obj):
            raise OutOfScope(f"{type(obj).__name__} is outside the scope")

    def get(self, queryset, **lookup):
        """One object of *queryset* inside the scope, or :class:`OutOfScope`."""
        try:
            return self.filter(queryset).get(**lookup)
        except queryset.model.DoesNotExist:
            raise OutOfScope(f"no {queryset.model.__name__} {lookup} in scope") from None


DENIED_MESSAGES = {
    "see": "برای این بخش نقشی به شما داده نشده است.",
    "write": "این نقش فقط اجازهٔ دیدن دارد.",
    "restore": "بازگرداندن خدمت حذف‌شده فقط از هماهنگ‌کنندهٔ استانی برمی‌آید.",
    "approve": "تأیید یا برگشت خدمت‌ها با مسئول استانی دستگاه یا هماهنگ‌کنندهٔ استانی است.",
    "manage_accounts": "ساختن و تغییر حساب‌ها با مسئول استانی دستگاه یا هماهنگ‌کنندهٔ استانی است.",
    "manage_province": "این کار فقط از هماهنگ‌کنندهٔ استانی برمی‌آید.",
    "edit_news": "نوشتن و انتشار خبر فقط برای ویراستاران خبر است.",
    "moderate": "بررسی نظرها فقط برای ناظران نظرها است.",
}


def _follow(obj, path: str):
    """The value at an ORM path such as ``booth__neighbourhood__city_id``, or None on the way."""
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


NOTHING = Scope()


def scope_for(user) -> Scope:
    """The scope of this user, read from their membership; cached on the user object."""
    if user is SYSTEM:
        return _SYSTEM_SCOPE
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_program_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._program_scope = scope
    return scope


_EVERYTHING = {
    "sees_program": True,
    "can_write": True,
    "can_restore": True,
    "can_approve": True,
    "manages_accounts": True,
}
_SYSTEM_SCOPE = Scope(**_EVERYTHING, user=SYSTEM)


def _compute_scope(user) -> Scope:
    if user.is_superuser:
        return Scope(**_EVERYTHING, user=user)
    membership = getattr(user, "membership", None)
    if membership is None:
        return Scope(user=user)
    common = {
        "role": membership.role,
        "must_change_password": membership.must_change_password,
        "user": user,
    }
    if membership.role == StaffRole.COORDINATOR:
        return Scope(**_EVERYTHING, **common)
    if membership.role == StaffRole.VIEWER:
        return Scope(sees_program=True, **common)
    if membership.role == StaffRole.SUPERVISOR and membership.agency_id:
        return Scope(
            sees_program=True,
            can_write=True,
            can_approve=True,
            manages_accounts=True,
            agency_id=membership.agency_id,
            **common,
        )
    if membership.role == StaffRole.AGENCY_STAFF and membership.agency_id:
        return Scope(
            sees_program=True,
            can_write=True,
            agency_id=membership.agency_id,
            city_ids=membership.cities.values_list("id", flat=True),
            **common,
        )
    return Scope(**common)


def acting_user(user):
    """The user to record as author or history user: a real account, or None for SYSTEM."""
    return user if getattr(user, "pk", None) else None


# --- Pages ------------------------------------------------------------------------------------


class StaffAccessMixin:
    """The one way a staff page says who may enter: ``needs = "see"`` (the default), ``"write"``,
    ``"restore"``, ``"manage_province"``, ``"edit_news"``, ``"moderate"``, or ``"signed_in"``
    (anyone with an account: the panel home).

    Anonymous visitors go to the login page. A page that only reads (``needs = "see"``) still
    needs ``"write"`` for a POST. ``load(**kwargs)`` fetches what the URL names through the scope
    before the need is checked; an :class:`OutOfScope` raised there or by a service is a 404.
    ``self.scope`` is the user's scope; templates get it as ``scope`` from the context processor.
    """

    needs = "see"
    # The page where a temporary password is replaced; every other page sends there first.
    password_change_page = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.scope = scope_for(request.user)
        if self.scope.must_change_password and not self.password_change_page:
            return redirect("accounts_panel:password_change")
        need = self.need_for(request.method)
        self.scope.require("see" if need in _PROGRAM_NEEDS else need)
        try:
            self.load(**kwargs)
            self.scope.require(need)
            response = super().dispatch(request, *args, **kwargs)
        except OutOfScope as error:
            raise Http404(str(error)) from None
        # Staff pages hold what one person may see: no shared or browser cache keeps them.
        patch_cache_control(response, private=True, no_store=True)
        return response

    def need_for(self, method: str) -> str:
        """What this request needs: ``needs``, but a form sent to a reading page needs write."""
        if self.needs == "see" and method not in SAFE_METHODS:
            return "write"
        return self.needs

    def load(self, **kwargs) -> None:
        """Fetch the objects the URL names, through ``self.scope``; nothing by default."""


class ScopedAdminMixin:
    """A Django admin that lists and edits only what the signed-in person's scope holds."""

    def get_queryset(self, request):
        return scope_for(request.user).filter(super().get_queryset(request))


def scope_context(request):
    """Context processor: ``scope`` for every template, worked out only if a template asks."""
    return {"scope": SimpleLazyObject(lambda: scope_for(getattr(request, "user", None)))}


__all__ = [
    "NEEDS",
    "SYSTEM",
    "OutOfScope",
    "Scope",
    "ScopePaths",
    "ScopedAdminMixin",
    "StaffAccessMixin",
    "StaffRole",
    "acting_user",
    "scope_context",
    "scope_for",
]
