"""Import of staff accounts from a CSV or XLSX file, by the same rules as the panel's create page.

:func:`account_import` first makes an :class:`AccountImportReport` — what every row would do
and, for a bad row, the Persian reason of each bad cell — and, with ``apply=True``, creates the
accounts of every row in one transaction or none of them. A username already in the system is
"already present": the row is skipped and that account is not modified, so loading the same
file twice creates nothing the second time. A username held by an account the importer does not
manage is an error. The temporary passwords of the created accounts are in the returned report
only, to be shown once.

Making an account costs a deliberately slow password hash (about half a second), so a file is
at most :data:`MAX_ROWS` rows: a page request must finish well within the server's timeout.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower

from agencies.access import AGENCY_ROLES, StaffRole, scope_for
from agencies.accounts import (
    REASON_IMPORTED,
    IssuedPassword,
    check_grant,
    clean_email,
    clean_person_name,
    clean_username,
    create_checked_account,
)
from agencies.models import Agency, StaffMembership
from core.digits import format_number, to_latin_digits, to_persian_digits
from core.spreadsheets import (
    Column,
    FileReport,
    ImportFileError,
    header_key,
    read_table,
    template_csv,
)
from core.text import compact_key
from neighbourhoods.models import City

MAX_ROWS = 50

COLUMNS = (
    Column("first_name", "نام", True, ("نام", "نام کوچک", "first name", "firstname")),
    Column(
        "last_name",
        "نام خانوادگی",
        True,
        ("نام خانوادگی", "نام‌خانوادگی", "فامیلی", "last name", "lastname", "surname"),
    ),
    Column("username", "نام کاربری", True, ("نام کاربری", "username", "user name", "user")),
    Column("role", "نقش", True, ("نقش", "سمت", "role")),
    Column("agency", "دستگاه", False, ("دستگاه", "دستگاه اجرایی", "خانه", "agency")),
    Column("cities", "شهرها", False, ("شهرها", "شهر", "cities", "city")),
    Column("email", "ایمیل", False, ("ایمیل", "رایانامه", "پست الکترونیک", "email", "e-mail")),
)

_CITY_SEPARATORS = re.compile(r"[,،;؛\n]+")


class AccountAction(models.TextChoices):
    CREATE = "create", "ساخته می‌شود"
    PRESENT = "present", "از پیش هست"
    ERROR = "error", "نادرست"


@dataclass
class AccountRow:
    """One data row: what was typed, the account it makes, and why it is bad if it is."""

    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    action: str = AccountAction.ERROR
    username: str | None = None
    account: object = None
    membership: StaffMembership | None = None
    cities: list = field(default_factory=list)
    issued: IssuedPassword | None = None

    @property
    def action_label(self) -> str:
        return AccountAction(self.action).label


@dataclass
class AccountImportReport(FileReport):
    """The dry run (or the outcome) of one file."""

    rows: list[AccountRow] = field(default_factory=list)

    @property
    def present(self) -> int:
        return self._count(AccountAction.PRESENT)

    @property
    def has_changes(self) -> bool:
        return self.created > 0

    @property
    def issued(self) -> list[IssuedPassword]:
        """The temporary passwords of the accounts this file created (after apply only)."""
        return [row.issued for row in self.rows if row.issued is not None]

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        return (
            f"{format_number(self.created)} حساب تازه و "
            f"{format_number(self.present)} حساب که از پیش بود"
        )


class _ImportRefused(Exception):
    """Saving stopped half-way; the message says why. The transaction is undone."""


def account_import(*, data: bytes, filename: str, user, apply: bool = False):
    """Check a file of accounts as *user* and, with ``apply=True``, create them all or none.

    ``PermissionDenied`` without ``"manage_accounts"``. The report is made again inside the
    transaction that writes, so what is saved matches the database at that moment. A file with
    any bad row is never applied; the returned report says why.
    """
    scope = scope_for(user)
    scope.require("manage_accounts")
    if not apply:
        return _plan(data, filename, scope)
    report = AccountImportReport(filename=filename)
    try:
        with transaction.atomic():
            report = _plan(data, filename, scope)
            if report.is_valid and report.has_changes:
                _write(report, user)
                report.applied = True
    except _ImportRefused as refusal:
        for row in report.rows:
            row.issued = None  # rolled back: those passwords belong to no account
        report.applied = False
        report.file_error = str(refusal)
    return report


def account_import_template(user) -> str:
    """A CSV to fill in: the Persian headers and made-up rows of the roles *user* may give."""
    scope = scope_for(user)
    agency = scope.agencies(Agency.objects.order_by("order", "name")).first()
    slug = agency.slug if agency else "emdad"
    examples = [
        ["مریم", "احمدی", f"{slug}.ahmadi", StaffRole.AGENCY_STAFF.label, slug, "سمنان، سرخه", ""],
        ["رضا", "کریمی", f"{slug}.karimi", StaffRole.AGENCY_STAFF.label, slug, "", ""],
    ]
    if StaffRole.COORDINATOR in scope.grantable_roles():
        examples.append(
            ["زهرا", "رحیمی", "z.rahimi", StaffRole.VIEWER.label, "", "", "z.rahimi@example.ir"]
        )
    return template_csv(COLUMNS, examples)


def _write(report: AccountImportReport, user) -> None:
    for row in report.rows:
        if row.action != AccountAction.CREATE:
            continue
        try:
            row.issued = create_checked_account(
                account=row.account,
                membership=row.membership,
                cities=row.cities,
                groups=[],
                user=user,
                reason=REASON_IMPORTED,
            )
        except ValidationError as error:
            raise _ImportRefused(
                f"ردیف {to_persian_digits(row.line)}: {' '.join(error.messages)} چیزی ذخیره نشد."
            ) from error


# --- Making the report -------------------------------------------------------------------------


def _plan(data: bytes, filename: str, scope) -> AccountImportReport:
    report = AccountImportReport(filename=filename)
    try:
        table = read_table(data, filename, COLUMNS)
    except ImportFileError as error:
        report.file_error = str(error)
        return report
    if len(table.rows) > MAX_ROWS:
        report.file_error = (
            f"فایل {to_persian_digits(len(table.rows))} ردیف دارد؛ در هر فایل حداکثر "
            f"{to_persian_digits(MAX_ROWS)} حساب بگذارید و بقیه را در فایل‌های بعدی بارگذاری کنید."
        )
        return report
    report.columns = table.columns
    finders = (_Finder.agencies(), _Finder.cities())
    # A supervisor's file may leave the agency out: it can only be their own.
    own = Agency.objects.filter(pk=scope.agency_id).first() if scope.is_one_agency else None
    report.rows = [_check_row(line, cells, scope, finders, own) for line, cells in table.rows]
    _decide(report.rows, scope)
    return report


def _display(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class _Finder:
    """Find a row of a small table by any of its names, however spelt, or its slug."""

    def __init__(self, what: str, items, keys):
        self.what = what
        self.by_key = defaultdict(set)
        for item in items:
            for key in keys(item):
                if key:
                    self.by_key[key].add(item)

    @classmethod
    def agencies(cls):
        return cls(
            "دستگاه",
            Agency.objects.all(),
            lambda a: {
                a.slug.lower(),
                compact_key(a.short_name),
                compact_key(a.house_name),
                compact_key(a.name),
            },
        )

    @classmethod
    def cities(cls):
        return cls("شهر", City.objects.all(), lambda c: {c.slug.lower(), compact_key(c.name)})

    def find(self, text: str, errors: list[str]):
        slug = to_latin_digits(text).strip().lower()
        matches = self.by_key.get(slug) or self.by_key.get(compact_key(text)) or set()
        if len(matches) == 1:
            return next(iter(matches))
        if matches:
            errors.append(
                f"بیش از یک {self.what} «{text}» در سامانه هست؛ شناسهٔ لاتین آن را بنویسید."
            )
        else:
            errors.append(f"{self.what} «{text}» در سامانه نیست.")
        return None


def _role(text: str, errors: list[str]):
    if not text:
        errors.append("«نقش» را بنویسید.")
        return None
    wanted = header_key(text)
    for role in StaffRole:
        if wanted in (header_key(role.label), header_key(role.value)):
            return role.value
    labels = "، ".join(f"«{role.label}»" for role in StaffRole)
    errors.append(f"نقش «{text}» شناخته نشد؛ یکی از این‌ها را بنویسید: {labels}.")
    return None


def _check_row(line, cells, scope, finders, own_agency) -> AccountRow:
    agencies, cities = finders
    row = AccountRow(line=line, cells={c.field: _display(cells.get(c.field)) for c in COLUMNS})
    cells = row.cells
    values = {}
    cleaners = (
        ("first_name", lambda v: clean_person_name(v, label="نام")),
        ("last_name", lambda v: clean_person_name(v, label="نام خانوادگی")),
        ("username", clean_username),
        ("email", clean_email),
    )
    for name, clean in cleaners:
        try:
            values[name] = clean(cells[name])
        except ValidationError as error:
            row.errors.extend(error.messages)
    role = _role(cells["role"], row.errors)
    agency = None
    if cells["agency"]:
        agency = agencies.find(cells["agency"], row.errors)
    elif own_agency is not None and role in AGENCY_ROLES:
        agency = own_agency
    found_cities = []
    for name in _CITY_SEPARATORS.split(cells["cities"]):
        if name.strip():
            city = cities.find(name.strip(), row.errors)
            if city is not None and city not in found_cities:
                found_cities.append(city)
    if role is not None and not (cells["agency"] and agency is None):
        grant = check_grant(scope, role=role, agency=agency, cities=found_cities, groups=())
        for messages in grant.values():
            row.errors.extend(messages)
    if not row.errors:
        row.account = get_user_model()(**values)
        row.membership = StaffMembership(role=role, agency=agency)
        row.cities = found_cities
        row.action = AccountAction.CREATE
    row.username = values.get("username")
    return row


def _decide(rows: list[AccountRow], scope) -> None:
    """Duplicates within the file are errors; a username in the system is present (when the
    importer manages that account) or an error (when the account is someone else's)."""
    lines = defaultdict(list)
    for row in rows:
        if row.username:
            lines[row.username].append(row.line)
    User = get_user_model()
    usernames = list(lines)
    existing = dict(
        User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=usernames)
        .values_list("lower", "pk")
    )
    managed = set(
        scope.accounts(User.objects.filter(pk__in=existing.values())).values_list("pk", flat=True)
    )
    for row in rows:
        if not row.username:
            continue
        same = lines[row.username]
        if len(same) > 1:
            others = "، ".join(to_persian_digits(n) for n in same if n != row.line)
            row.errors.append(f"نام کاربری «{row.username}» در ردیف {others} هم آمده است.")
            row.action = AccountAction.ERROR
        elif row.username in existing:
            if existing[row.username] in managed:
                row.errors = []
                row.action = AccountAction.PRESENT
            else:
                row.errors.append(
                    f"نام کاربری «{row.username}» را حساب دیگری دارد؛ نام دیگری بنویسید."
                )
                row.action = AccountAction.ERROR
