"""Staff accounts kept in the panel: create, edit, deactivate, reactivate, reset a password, and
a person's own change of password. The import of a list of accounts is in
``agencies/account_import.py`` and makes each account through the same rules.

Who may do what comes from ``scope_for(user)``: ``"manage_accounts"`` (coordinators, agency
supervisors, superusers); the accounts a person manages are ``scope.accounts(...)`` (an account
outside it is :class:`~agencies.access.OutOfScope`, a 404) and the roles they may give
``scope.grantable_roles()``. The panel never sets ``is_superuser`` or ``is_staff`` and never
touches such an account. Nobody changes their own role or deactivates themselves.

A new account and a reset get a temporary password made with :mod:`secrets`; the caller shows
it once and keeps it nowhere. The membership's ``must_change_password`` then sends the person to
the password-change page until they choose their own.

Every change to a membership — and every deactivation, reactivation and reset, which leave a
history row with its reason — is kept by simple-history with the acting user, one row for each
change (``agencies/account_history.py`` tells them in Persian).
"""

import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from agencies.access import (
    AGENCY_ROLES,
    NEWS_EDIT_PERMISSIONS,
    NEWS_MODERATE_PERMISSION,
    OutOfScope,
    StaffRole,
    acting_user,
    scope_for,
)
from agencies.models import StaffMembership
from core.digits import to_latin_digits, to_persian_digits
from core.text import compact_key, normalize_for_search

# The fields of an account a person edits in the panel; never is_staff, is_superuser, password.
ACCOUNT_FIELDS = ("first_name", "last_name", "username", "email")

# What simple-history keeps as the reason of each kind of change (at most 100 characters).
REASON_CREATED = "ساخت حساب"
REASON_IMPORTED = "بارگذاری فهرست حساب‌ها"
REASON_EDITED = "ویرایش حساب"
REASON_DEACTIVATED = "غیرفعال شدن حساب"
REASON_REACTIVATED = "فعال شدن دوباره"
REASON_RESET = "بازنشانی گذرواژه"
REASON_PASSWORD_CHANGED = "گذرواژه به دست خود کاربر عوض شد"  # noqa: S105 (a reason, not a secret)
_REASON_MAX = 100

# Readable on paper and over the phone: no 0/O, 1/l/I.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_GROUPS, PASSWORD_GROUP_LENGTH = 3, 4

USERNAME_MIN, USERNAME_MAX = 3, 40
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]*$")
NAME_MAX = 150
EMAIL_MAX = 254

_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
# Tatweel, direction controls and NUL: invisible, never part of a name.
_INVISIBLES = dict.fromkeys(
    map(ord, "\x00\u0640\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
# Groups a coordinator may give: those holding the news rights and nothing outside the news.
_NEWS_APPS = ("news", "taggit")
_NEWS_CODENAMES = tuple(
    name.split(".", 1)[1] for name in (*NEWS_EDIT_PERMISSIONS, NEWS_MODERATE_PERMISSION)
)


@dataclass(frozen=True)
class IssuedPassword:
    """A temporary password just given to *account*: shown once, then forgotten."""

    account: object
    password: str = field(repr=False)


def temporary_password() -> str:
    """A random password such as ``k7Rm-xQ4p-Zt9a`` (about 70 bits), easy to read and type."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )


# --- What may be typed --------------------------------------------------------------------


def clean_username(value) -> str:
    """A typed username as it is stored (Latin digits, lower case), or ``ValidationError``.

    Latin letters, digits and «.»، «_»، «-», starting with a letter: what every keyboard and
    the login form's left-to-right field handle alike. Checked before any query, so a NUL byte
    or a kilobyte of text never reaches the database.
    """
    text = to_latin_digits(str(value or "")).strip().lower()
    if not text:
        raise ValidationError("نام کاربری را بنویسید.", code="required")
    if len(text) > USERNAME_MAX:
        raise ValidationError(
            f"نام کاربری بیش از {to_persian_digits(USERNAME_MAX)} نویسه است؛ کوتاه‌ترش کنید.",
            code="max_length",
        )
    if len(text) < USERNAME_MIN or not _USERNAME.match(text):
        raise ValidationError(
            "نام کاربری فقط حرف کوچک لاتین، رقم و «.»، «_» یا «-» می‌گیرد، با حرف آغاز می‌شود و "
            f"دست‌کم {to_persian_digits(USERNAME_MIN)} نویسه است؛ مانند emdad.rezaei",
            code="invalid",
        )
    return text


def clean_person_name(value, *, label: str) -> str:
    """A first or last name as it is stored: Persian letters, one space between words."""
    text = " ".join(str(value or "").translate(_ARABIC_LETTERS).translate(_INVISIBLES).split())
    if not text:
        raise ValidationError(f"«{label}» را بنویسید.", code="required")
    if len(text) > NAME_MAX:
        raise ValidationError(
            f"«{label}» بیش از {to_persian_digits(NAME_MAX)} نویسه است؛ کوتاه‌ترش کنید.",
            code="max_length",
        )
    return text


def clean_email(value) -> str:
    """An optional email address, stripped; ``ValidationError`` when it is not one."""
    text = str(value or "").translate(_INVISIBLES).strip()
    if not text:
        return ""
    if len(text) > EMAIL_MAX:
        raise ValidationError("نشانی ایمیل بیش از اندازه بلند است.", code="max_length")
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(f"«{text}» نشانی ایمیل درستی نیست.", code="invalid") from None
    return text


def persian_password_errors(error: ValidationError) -> ValidationError:
    """Django's password validators' refusals, every one in Persian with Persian digits (the
    Persian catalogue leaves some in English)."""
    messages = []
    for item in error.error_list:
        params = item.params or {}
        if item.code == "password_too_short":
            minimum = to_persian_digits(params.get("min_length", 8))
            messages.append(f"گذرواژه کوتاه است؛ دست‌کم {minimum} نویسه بنویسید.")
        elif item.code == "password_too_similar":
            messages.append("گذرواژه بیش از اندازه به نام، نام کاربری یا ایمیل شما شبیه است.")
        elif item.code == "password_too_common":
            messages.append("این گذرواژه بسیار رایج است؛ گذرواژهٔ دیگری برگزینید.")
        elif item.code == "password_entirely_numeric":
            messages.append("گذرواژه نمی‌تواند فقط رقم باشد؛ حرف هم بگذارید.")
        else:
            messages.extend(item.messages)
    return ValidationError(messages)


def news_groups():
    """The groups a coordinator may give: the news editors' and the comment moderators'
    (found by their permissions), never a group that holds any right outside the news."""
    outside = (
        Permission.objects.filter(group__isnull=False)
        .exclude(content_type__app_label__in=_NEWS_APPS)
        .values("group")
    )
    return (
        Group.objects.filter(
            permissions__content_type__app_label="news", permissions__codename__in=_NEWS_CODENAMES
        )
        .exclude(pk__in=outside)
        .distinct()
        .order_by("name")
    )


# --- Queries --------------------------------------------------------------------------------


def managed_accounts(user):
    """The accounts *user* manages, with their membership and agency (the panel's list)."""
    accounts = get_user_model().objects.select_related("membership__agency")
    return scope_for(user).accounts(accounts)


def search_accounts(accounts, query: str):
    """The *accounts* whose name or username holds every word of *query*, however it is
    spelt (Arabic letters, ZWNJ or space, digits: core.text). The accounts a person manages
    are a few hundred; they are compared here, in one query of four columns."""
    words = [compact_key(word) for word in normalize_for_search(query).split()]
    words = [word for word in words if word]
    if not words:
        return accounts
    rows = accounts.values_list("pk", "first_name", "last_name", "username")
    found = [
        pk
        for pk, first, last, username in rows
        if all(word in compact_key(f"{first}{last}{username}") for word in words)
    ]
    return accounts.filter(pk__in=found)


def _managed(scope, pk):
    accounts = get_user_model().objects.select_related("membership__agency")
    try:
        return scope.accounts(accounts).get(pk=pk)
    except accounts.model.DoesNotExist:
        raise OutOfScope(f"no account {pk} in scope") from None


# --- Rules ------------------------------------------------------------------------------------


def _role_label(role) -> str:
    return str(StaffRole(role).label) if role in StaffRole.values else str(role)


def check_grant(scope, *, role, agency, cities, groups) -> dict:
    """What is wrong with giving *role* in *agency* (an Agency or None), limited to *cities*,
    with the news *groups*, as the person whose *scope* this is: Persian messages by field."""
    errors = {}
    grantable = scope.grantable_roles()
    if role not in StaffRole.values:
        errors["role"] = ["نقش را از فهرست برگزینید."]
    elif role not in grantable:
        labels = "، ".join(f"«{_role_label(r)}»" for r in grantable)
        errors["role"] = [f"شما نقش «{_role_label(role)}» را نمی‌توانید بدهید؛ فقط {labels}."]
    if role in AGENCY_ROLES and agency is None:
        errors["agency"] = [f"برای نقش «{_role_label(role)}» دستگاه را برگزینید."]
    elif role in StaffRole.values and role not in AGENCY_ROLES and agency is not None:
        errors["agency"] = [
            f"نقش «{_role_label(role)}» به دستگاهی وابسته نیست؛ دستگاه را خالی بگذارید."
        ]
    elif agency is not None and scope.is_one_agency and agency.pk != scope.agency_id:
        errors["agency"] = ["فقط حساب‌های دستگاه خودتان را می‌توانید بسازید یا تغییر دهید."]
    if cities and role != StaffRole.AGENCY_STAFF:
        errors["cities"] = [
            f"محدود کردن به چند شهر فقط برای «{StaffRole.AGENCY_STAFF.label}» است؛ "
            "شهرها را خالی بگذارید."
        ]
    if groups:
        if scope.is_one_agency:
            errors["news_groups"] = ["گروه‌های خبر را فقط هماهنگ‌کنندهٔ استانی می‌دهد."]
        elif not {group.pk for group in groups} <= set(news_groups().values_list("pk", flat=True)):
            errors["news_groups"] = ["فقط گروه‌های خبر و نظرها را می‌توان داد."]
    return errors


def _clean_account(account, errors: dict) -> None:
    """Clean the typed fields of *account* in place; problems go into *errors* by field."""
    cleaners = {
        "first_name": lambda v: clean_person_name(v, label="نام"),
        "last_name": lambda v: clean_person_name(v, label="نام خانوادگی"),
        "username": clean_username,
        "email": clean_email,
    }
    for name, clean in cleaners.items():
        try:
            setattr(account, name, clean(getattr(account, name)))
        except ValidationError as error:
            errors[name] = error.messages
    if "username" not in errors:
        taken = get_user_model().objects.filter(username__iexact=account.username)
        if account.pk is not None:
            taken = taken.exclude(pk=account.pk)
        if taken.exists():
            errors["username"] = [
                f"نام کاربری «{account.username}» را حساب دیگری دارد؛ نام دیگری بنویسید."
            ]


def _groups_reason(reason: str, groups) -> str:
    names = "، ".join(group.name for group in groups) or "هیچ"
    return f"{reason}؛ گروه‌های خبر: {names}"[:_REASON_MAX]


def save_membership(membership, *, user, reason: str, cities=None) -> None:
    """Save *membership* (and, when given, its *cities*) as ONE history row by *user*.

    simple-history would write a row for the save and another for each change of the cities;
    the cities are set without history and the final save keeps them all in its row.
    """
    membership._history_user = acting_user(user)
    membership._change_reason = reason[:_REASON_MAX]
    if cities is not None:
        membership.skip_history_when_saving = True
        try:
            membership.save()
            membership.cities.set(cities)
        finally:
            del membership.skip_history_when_saving
    membership.save()


# --- Services -------------------------------------------------------------------------------


def account_create(*, account, membership, user, cities=(), groups=()) -> IssuedPassword:
    """Create *account* (an unsaved User with first and last name, username, optional email)
    with *membership* (an unsaved StaffMembership with role and agency), limited to *cities*,
    in the news *groups*, as *user*; return its temporary password, to be shown once.

    ``PermissionDenied`` without ``"manage_accounts"``; ``ValidationError`` keyed by field for
    a name, username or email that is not right, a username taken (whatever its case), or a
    role, agency, city or group *user* may not give. Nothing is saved then.
    """
    scope = scope_for(user)
    scope.require("manage_accounts")
    errors = check_grant(
        scope, role=membership.role, agency=membership.agency, cities=cities, groups=groups
    )
    _clean_account(account, errors)
    if errors:
        raise ValidationError(errors)
    reason = _groups_reason(REASON_CREATED, groups) if groups else REASON_CREATED
    return create_checked_account(
        account=account,
        membership=membership,
        cities=list(cities),
        groups=list(groups),
        user=user,
        reason=reason,
    )


def create_checked_account(*, account, membership, cities, groups, user, reason) -> IssuedPassword:
    """Save a new account whose rules were checked (by :func:`account_create` or the import);
    inside the caller's transaction if there is one."""
    password = temporary_password()
    account.is_staff = account.is_superuser = False
    account.is_active = True
    account.set_password(password)
    try:
        with transaction.atomic():
            account.full_clean()
            account.save()
            membership.user = account
            membership.must_change_password = True
            membership.full_clean()
            save_membership(membership, user=user, reason=reason, cities=cities)
            if groups:
                account.groups.add(*groups)
    except IntegrityError:
        # Someone took the username between the check and the save.
        raise ValidationError(
            {"username": [f"نام کاربری «{account.username}» را حساب دیگری دارد."]}
        ) from None
    return IssuedPassword(account=account, password=password)


def account_update(*, account, membership, user, cities, groups=None):
    """Save the edits of a managed account: *account* carries the typed names, username and
    email; *membership* the role and agency; *cities* and (coordinators only; None leaves them)
    the news *groups*. Only :data:`ACCOUNT_FIELDS` of the account are taken.

    ``OutOfScope`` for an account *user* does not manage, ``ValidationError`` by field for
    bad input, a role or agency *user* may not give, or a change of one's own rights.
    Returns the saved account.
    """
    scope = scope_for(user)
    scope.require("manage_accounts")
    current = _managed(scope, account.pk)
    stored = current.membership
    cities = list(cities)
    if groups is not None:
        groups = list(groups)
    errors = check_grant(
        scope, role=membership.role, agency=membership.agency, cities=cities, groups=groups
    )
    for name in ACCOUNT_FIELDS:
        setattr(current, name, getattr(account, name))
    _clean_account(current, errors)
    old_cities = set(stored.cities.values_list("pk", flat=True))
    membership_changed = (
        membership.role != stored.role
        or membership.agency_id != stored.agency_id
        or {city.pk for city in cities} != old_cities
    )
    all_news = list(news_groups())
    old_groups = {group for group in all_news if group in set(current.groups.all())}
    groups_changed = groups is not None and set(groups) != old_groups
    if current.pk == user.pk and (membership_changed or groups_changed):
        errors.setdefault("role", []).append(
            "نقش، دستگاه، شهرها و گروه‌های حساب خودتان را نمی‌توانید عوض کنید؛ "
            "از هماهنگ‌کنندهٔ دیگری بخواهید."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current.full_clean()
        current.save(update_fields=ACCOUNT_FIELDS)
        if groups_changed:
            current.groups.remove(*(old_groups - set(groups)))
            current.groups.add(*(set(groups) - old_groups))
        if membership_changed or groups_changed:
            stored.role = membership.role
            stored.agency = membership.agency
            stored.full_clean()
            reason = _groups_reason(REASON_EDITED, groups) if groups_changed else REASON_EDITED
            save_membership(stored, user=user, reason=reason, cities=cities)
    return current


def account_deactivate(*, account, user):
    """Stop *account* signing in (its sessions end with it); nobody deactivates themselves."""
    return _set_active(account=account, user=user, active=False)


def account_reactivate(*, account, user):
    """Let a deactivated *account* sign in again."""
    return _set_active(account=account, user=user, active=True)


def _set_active(*, account, user, active: bool):
    scope = scope_for(user)
    scope.require("manage_accounts")
    current = _managed(scope, account.pk)
    if current.pk == user.pk:
        raise ValidationError("حساب خودتان را نمی‌توانید غیرفعال یا فعال کنید.")
    if current.is_active == active:
        return current
    with transaction.atomic():
        current.is_active = active
        current.save(update_fields=["is_active"])
        reason = REASON_REACTIVATED if active else REASON_DEACTIVATED
        save_membership(current.membership, user=user, reason=reason)
    return current


def account_password_reset(*, account, user) -> IssuedPassword:
    """Give *account* a new temporary password (to be shown once) and make them change it at
    their next sign-in; their old password stops working and their sessions end (the session
    auth hash changes with the password). One's own password is changed on its own page."""
    scope = scope_for(user)
    scope.require("manage_accounts")
    current = _managed(scope, account.pk)
    if current.pk == user.pk:
        raise ValidationError("گذرواژهٔ خودتان را از صفحهٔ «تغییر گذرواژه» عوض کنید.")
    password = temporary_password()
    with transaction.atomic():
        current.set_password(password)
        current.save(update_fields=["password"])
        membership = current.membership
        membership.must_change_password = True
        save_membership(membership, user=user, reason=REASON_RESET)
    return IssuedPassword(account=current, password=password)


def account_password_change(*, user, password: str) -> None:
    """*user* chose their own new *password* (the form checked the old one): it must pass
    Django's password validators; the temporary-password flag is cleared. The caller keeps
    the person signed in (``update_session_auth_hash``); their other sessions end."""
    if not getattr(user, "is_authenticated", False) or not user.pk:
        raise PermissionDenied("برای عوض کردن گذرواژه باید وارد شده باشید.")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise persian_password_errors(error) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        membership = StaffMembership.objects.filter(user=user).first()
        if membership is not None:
            membership.must_change_password = False
            save_membership(membership, user=user, reason=REASON_PASSWORD_CHANGED)
