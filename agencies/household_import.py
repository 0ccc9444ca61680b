"""Import of households from a CSV or XLSX file, for agencies that keep their lists in
spreadsheets.

:func:`households_import` first makes a :class:`HouseholdImportReport` — what every row would
do and, for a bad row, every Persian reason, with the row number a spreadsheet shows — and, with
``apply=True``, registers the households of every row in one transaction or none of them. Each
household is saved by ``agencies.household_services.household_register``, the registry's one
way in, so the rules are the register form's (an open house of the agency in the neighbourhood,
consent in force for any identity, one head per neighbourhood) and every saved household leaves
a ``REGISTER`` row in the access log.

Per row the import checks the national IDs' check digit (``core.national_id``), that the head is
not twice in the file for one neighbourhood nor already registered there, and that the
neighbourhood lies in the importer's registration scope. A row with an ID or a name needs
complete consent in force today; a row with neither is an anonymous household (members and
flags only).

The report never holds a national ID or a name: its rows carry the row number, the reasons and,
once saved, the household's reference. The identities read from the file wait, until the apply
writes them, in a list the report does not keep (:class:`_Pending`).
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from agencies.access import scope_for
from agencies.household_services import (
    NAME_MAX,
    NEIGHBOURHOOD_OUT_OF_SCOPE,
    Identity,
    household_name,
    household_register,
)
from agencies.import_places import PlaceNames
from agencies.models import Agency, ConsentScope, House, Household
from core import spreadsheets
from core.crypto import identity_hash
from core.digits import format_number, parse_int, to_latin_digits, to_persian_digits
from core.exports import Sheet
from core.jalali import FORMAT_HINT, JalaliDateError, parse_jalali, to_gregorian
from core.national_id import NATIONAL_ID_LENGTH, validate_national_id
from core.spreadsheets import Column, FileReport, ImportFileError, Table
from core.text import compact_key
from neighbourhoods.models import Neighbourhood

# Many afternoons' lists of a house. Each row is saved through household_register (about ten
# queries, three seals and a log row, some 12-17 ms a row measured on SQLite and PostgreSQL),
# so the apply of this many rows takes under 20 seconds, well inside gunicorn's 60.
MAX_ROWS = 1_000
MAX_FILE_BYTES = 2 * 1024 * 1024
# The report page lists this many bad rows; the full list is a download.
SHOWN_ERRORS = 200

_QUERY_CHUNK = 500  # hashes asked for in one query, well within SQLite's limits
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Members' IDs in one cell: spaces, commas (Latin and Persian) or semicolons (Latin and Persian).
_ID_SEPARATORS = re.compile(r"[\s,،;؛]+")
MEMBERS_MIN, MEMBERS_MAX = 1, 30


def _column(name: str, label: str, required: bool, *aliases: str) -> Column:
    return Column(name, label, required, (label, *aliases))


# The first alias of each is the header the template writes. The three consent columns are
# required in the header even when every household of the file is anonymous: a list that has
# no room for consent cannot say that the names in it may be kept.
COLUMNS = (
    _column("neighbourhood", "محله", True, "کد محله", "نام محله", "neighbourhood", "code"),
    _column("agency", "دستگاه", False, "دستگاه اجرایی", "دستگاه ثبت‌کننده", "agency"),
    _column("members", "تعداد اعضا", True, "شمار اعضا", "اعضا", "تعداد اعضای خانوار", "members"),
    _column("female_headed", "سرپرست زن", False, "زن سرپرست", "سرپرست خانوار زن", "female headed"),
    _column(
        "has_disabled_member",
        "عضو دارای معلولیت",
        False,
        "عضو توان‌خواه",
        "معلولیت",
        "توان‌خواه",
        "disabled",
    ),
    _column("has_elderly_member", "عضو سالمند", False, "سالمند", "elderly"),
    _column("national_id", "کد ملی سرپرست", False, "کد ملی", "national id"),
    _column("head_name", "نام سرپرست", False, "نام سرپرست خانوار", "نام و نام خانوادگی", "name"),
    _column("member_ids", "کدهای ملی اعضا", False, "کد ملی اعضا", "member ids"),
    _column("consent_given_on", "تاریخ رضایت", True, "consent date"),
    _column(
        "consent_scope",
        "دامنهٔ رضایت",
        True,
        "دامنه رضایت",
        "گسترهٔ رضایت",
        "گستره رضایت",
        "consent scope",
    ),
    _column("consent_until", "پایان رضایت", True, "رضایت تا", "consent until"),
)
LABELS = {column.field: column.label for column in COLUMNS}
CONSENT_FIELDS = ("consent_given_on", "consent_scope", "consent_until")
FLAG_FIELDS = ("female_headed", "has_disabled_member", "has_elderly_member")
IDENTITY_FIELDS = ("national_id", "head_name", "member_ids")
# What the reader asks of the header: the consent columns are checked after it, with a message
# of their own.
_READ_COLUMNS = tuple(
    replace(column, required=False) if column.field in CONSENT_FIELDS else column
    for column in COLUMNS
)

YES, NO = "بله", "خیر"
_YES = {"بله", "آری", "اری", "اره", "دارد", "هست", "1", "yes", "y", "true", "✓"}
_NO = {"خیر", "نه", "ندارد", "نیست", "0", "no", "n", "false"}
_FLAG_WORDS = {
    **{compact_key(word): True for word in _YES},
    **{compact_key(word): False for word in _NO},
}

# The short words a clerk writes for each consent scope; its label and value are accepted too.
SCOPE_WORDS = {
    ConsentScope.PROGRAM: ("همهٔ دستگاه‌ها", "همه دستگاه‌ها", "همهٔ دستگاه‌های طرح", "کل طرح"),
    ConsentScope.AGENCY: ("همین دستگاه", "فقط همین دستگاه", "فقط دستگاه ثبت‌کننده"),
}


def _scope_keys() -> dict[str, str]:
    keys = {}
    for scope in ConsentScope:
        for text in (scope.value, scope.label, spreadsheets.header_key(scope.label)):
            keys[compact_key(text)] = scope.value
        for word in SCOPE_WORDS[scope]:
            keys[compact_key(word)] = scope.value
    return keys


_SCOPE_KEYS = _scope_keys()

ANONYMOUS_LABEL = "خانوار بی‌نام"
IDENTIFIED_LABEL = "خانوار با نام و کد ملی"


class HouseholdAction(models.TextChoices):
    CREATE = "create", "تازه"
    ERROR = "error", "نادرست"


@dataclass
class HouseholdRow:
    """One data row, without what it says of anyone: its number, its reasons if it is bad,
    whether it names its head, and the household's reference once saved."""

    line: int
    errors: list[str] = field(default_factory=list)
    action: str = HouseholdAction.ERROR
    identified: bool = False
    reference: str = ""

    @property
    def action_label(self) -> str:
        return HouseholdAction(self.action).label

    @property
    def line_label(self) -> str:
        return f"ردیف {to_persian_digits(self.line)}"

    @property
    def label(self) -> str:
        """How the report names the household: its reference once saved, else its kind."""
        return self.reference or (IDENTIFIED_LABEL if self.identified else ANONYMOUS_LABEL)

    @property
    def message(self) -> str:
        """The row's reasons in one sentence that names it: «ردیف ۵: …»."""
        return f"{self.line_label}: " + " ".join(self.errors)


@dataclass
class HouseholdImportReport(FileReport):
    """The dry run (or the outcome) of one file of households."""

    rows: list[HouseholdRow] = field(default_factory=list)

    @property
    def identified(self) -> int:
        return sum(1 for row in self.rows if row.action == "create" and row.identified)

    @property
    def anonymous(self) -> int:
        return self.created - self.identified

    @property
    def has_changes(self) -> bool:
        return self.created > 0

    @property
    def bad_rows(self) -> list[HouseholdRow]:
        return [row for row in self.rows if row.action == HouseholdAction.ERROR]

    @property
    def shown_errors(self) -> list[HouseholdRow]:
        """The first bad rows, as many as the page lists."""
        return self.bad_rows[:SHOWN_ERRORS]

    @property
    def references(self) -> list[str]:
        """The saved households' references, in the order of the file."""
        return [row.reference for row in self.rows if row.reference]

    def summary(self) -> str:
        """«۱۲ خانوار تازه (۸ با نام و کد ملی، ۴ بی‌نام)» (and the bad rows, if any)."""
        if self.file_error:
            return self.file_error
        text = (
            f"{format_number(self.created)} خانوار تازه ({format_number(self.identified)} با نام "
            f"و کد ملی، {format_number(self.anonymous)} بی‌نام)"
        )
        if self.bad:
            text += f"، {format_number(self.bad)} ردیف نادرست"
        return text


@dataclass
class _Pending:
    """What the apply saves for one good row: the unsaved household and its identity. Kept out
    of the report, which may be shown, kept or logged."""

    row: HouseholdRow
    household: Household
    identity: Identity


class _Refused(Exception):
    """A row the registry refused while the file was being saved: the whole file rolls back."""


def households_import(
    *, data: bytes, filename: str, user, apply: bool = False
) -> HouseholdImportReport:
    """Check a file of households as *user* and, with ``apply=True``, register them all or none.

    ``PermissionDenied`` without ``"write"``. Only neighbourhoods where the household's agency
    (the clerk's own; for province-wide staff, the row's) keeps an open house in the user's
    scope are accepted. The report is made again inside the transaction that writes, so what is
    saved matches the database at that moment; a file with any bad row is never applied.
    """
    scope = scope_for(user)
    scope.require("write")
    if not apply:
        return _plan(data, filename, scope, user)[0]
    report = HouseholdImportReport(filename=filename)
    pending = []
    try:
        with transaction.atomic():
            report, pending = _plan(data, filename, scope, user)
            if report.is_valid and report.has_changes:
                _write(pending, user)
                report.applied = True
    except _Refused:
        report.applied = False
        for item in pending:
            item.row.reference = ""
    except IntegrityError:
        # Everything the constraints check was checked; this is another import (or a clerk at
        # the register form) saving the same head in the same neighbourhood at the same moment.
        report.applied = False
        for row in report.rows:
            row.reference = ""
        report.file_error = (
            "پایگاه داده خانوارها را نپذیرفت؛ شاید همین خانوارها هم‌زمان جای دیگری ثبت شدند. "
            "چیزی ذخیره نشد؛ فایل را دوباره بررسی کنید."
        )
    return report


def _write(pending: list["_Pending"], user) -> None:
    refused = False
    for item in pending:
        try:
            household = household_register(
                household=item.household, identity=item.identity, user=user
            )
        except ValidationError as error:
            item.row.errors.extend(error.messages)
            item.row.action = HouseholdAction.ERROR
            refused = True
            continue
        item.row.reference = household.reference
    if refused:
        raise _Refused


# --- Reading the file ----------------------------------------------------------------------


def read_households_table(data: bytes, filename: str) -> Table:
    """The rows of a households file (see ``core.spreadsheets.read_table``), up to
    :data:`MAX_ROWS` rows and :data:`MAX_FILE_BYTES` bytes."""
    return spreadsheets.read_table(
        data, filename, _READ_COLUMNS, max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES
    )


def _missing_consent_columns(table: Table) -> str:
    found = {column.field for column in table.columns}
    missing = [LABELS[name] for name in CONSENT_FIELDS if name not in found]
    if not missing:
        return ""
    return (
        "ستون‌های رضایت در سطر عنوان نیست: "
        + "، ".join(f"«{label}»" for label in missing)
        + ". فایل خانوارها باید هر سه ستون «تاریخ رضایت»، «دامنهٔ رضایت» و «پایان رضایت» را "
        "داشته باشد، حتی اگر همهٔ خانوارها بی‌نام باشند: بدون رضایت خانوار، نام و کد ملی "
        "ثبت نمی‌شود. نمونهٔ فایل را ببینید."
    )


# --- Making the report -----------------------------------------------------------------------


def _plan(data: bytes, filename: str, scope, user) -> tuple[HouseholdImportReport, list]:
    report = HouseholdImportReport(filename=filename)
    try:
        table = read_households_table(data, filename)
    except ImportFileError as error:
        report.file_error = str(error)
        return report, []
    report.columns = table.columns
    report.file_error = _missing_consent_columns(table)
    found = {column.field for column in table.columns}
    if not report.file_error and not scope.is_one_agency and "agency" not in found:
        report.file_error = (
            "ستون «دستگاه» در سطر عنوان نیست؛ شما برای چند دستگاه کار می‌کنید، پس هر ردیف "
            "باید بگوید خانوار را کدام دستگاه ثبت می‌کند."
        )
    if report.file_error:
        return report, []
    places = _Places(scope, user)
    today = timezone.localdate()
    checked = [_check_row(line, cells, places=places, today=today) for line, cells in table.rows]
    _mark_repeated_heads(checked)
    _mark_registered_heads(checked, scope)
    pending = []
    for row, household, identity in checked:
        row.action = HouseholdAction.ERROR if row.errors else HouseholdAction.CREATE
        report.rows.append(row)
        if not row.errors:
            pending.append(_Pending(row=row, household=household, identity=identity))
    return report, pending


def _text(cell) -> str:
    """A cell as text (an Excel 4.0 is 4); dates are read by :func:`_date`."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _check_row(line: int, cells: dict, *, places, today) -> tuple:
    """The row's report, the unsaved household it makes and its identity."""
    row = HouseholdRow(line=line)
    errors = row.errors
    texts = {}
    for column in COLUMNS:
        cell = cells.get(column.field)
        text = _text(cell)
        if _CONTROL_CHARACTERS.search(text):
            errors.append(
                f"«{column.label}» نویسهٔ نامعتبر (نویسهٔ کنترلی مانند NUL) دارد؛ "
                "آن را دوباره تایپ کنید."
            )
            text = _CONTROL_CHARACTERS.sub("", text)
            if isinstance(cell, str):
                cells = {**cells, column.field: text}
        texts[column.field] = text
    if not _ID_SEPARATORS.sub("", texts["member_ids"]):
        texts["member_ids"] = ""  # only commas or spaces: no member named
    neighbourhood, agency = places.find(texts["neighbourhood"], texts["agency"], errors)
    members = _members(cells.get("members"), texts["members"], errors)
    flags = {
        name: _flag(cells.get(name), texts[name], LABELS[name], errors) for name in FLAG_FIELDS
    }
    identity = _identity(cells, texts, errors)
    row.identified = bool(identity.national_id or identity.name)
    consent = _consent(cells, texts, identity, members, today, errors)
    household = Household(
        neighbourhood=neighbourhood,
        registered_by_agency=agency,
        members=members,
        **flags,
        **consent,
    )
    return row, household, identity


class _Places(PlaceNames):
    """Find the neighbourhood a row names and the agency that registers the household (blank:
    the clerk's own), and say why a place outside the importer's registration scope is
    refused."""

    def __init__(self, scope, user):
        super().__init__(scope, sheet="محله‌ها", agency_label=LABELS["agency"], echo=False)
        # Where each agency keeps a house (open or closed), and those open in the user's scope:
        # registration_neighbourhood_ids(user) for one agency, by pair for several.
        self.houses = {
            (neighbourhood, agency): active
            for neighbourhood, agency, active in House.objects.order_by().values_list(
                "neighbourhood_id", "agency_id", "is_active"
            )
        }
        self.open = set(
            House.objects.visible_to(user)
            .active()
            .order_by()
            .values_list("neighbourhood_id", "agency_id")
        )

    def find(self, place_text: str, agency_text: str, errors: list[str]):
        if not place_text:
            errors.append(f"«{LABELS['neighbourhood']}» خالی است.")
            neighbourhood = None
        else:
            neighbourhood = self.neighbourhood(place_text, errors)
        agency = self._agency(agency_text, errors)
        if neighbourhood is None or agency is None:
            return neighbourhood, agency
        if (neighbourhood.pk, agency.pk) not in self.open:
            errors.append(self._refusal(neighbourhood, agency))
        return neighbourhood, agency

    def _agency(self, text: str, errors: list[str]) -> Agency | None:
        agency = self.agency(text, errors)
        if agency is not None and self.own_agency is not None and agency != self.own_agency:
            errors.append(
                f"شما فقط خانوارهای {self.own_agency.short_name} را ثبت می‌کنید؛ ستون "
                f"«{LABELS['agency']}» را خالی بگذارید."
            )
            return None
        return agency

    def _refusal(self, neighbourhood: Neighbourhood, agency: Agency) -> str:
        place = f"محلهٔ «{neighbourhood.name}» ({neighbourhood.city.name})"
        cities = self.scope.city_ids
        if cities is not None and neighbourhood.city_id not in cities:
            return (
                f"شهر «{neighbourhood.city.name}» در محدودهٔ دسترسی شما نیست؛ فقط خانوارهای "
                "شهرهای خودتان را ثبت کنید."
            )
        active = self.houses.get((neighbourhood.pk, agency.pk))
        if active is False:
            return f"{agency.house_name} در {place} دیگر فعال نیست؛ خانوار ثبت نمی‌شود."
        if self.own_agency is not None:
            return f"{place}: {NEIGHBOURHOOD_OUT_OF_SCOPE}"
        return f"{agency.house_name} در {place} خانهٔ فعالی ندارد؛ خانوار ثبت نمی‌شود."


def _members(cell, text: str, errors: list[str]) -> int | None:
    label = LABELS["members"]
    if not text:
        errors.append(f"«{label}» خالی است.")
        return None
    try:
        if isinstance(cell, float) and not cell.is_integer():
            raise ValueError
        value = parse_int(text)
    except (TypeError, ValueError):
        value = None
    if value is None or not MEMBERS_MIN <= value <= MEMBERS_MAX:
        errors.append(
            f"«{label}» باید عدد صحیحی از {format_number(MEMBERS_MIN)} تا "
            f"{format_number(MEMBERS_MAX)} باشد."
        )
        return None
    return value


def _flag(cell, text: str, label: str, errors: list[str]) -> bool:
    """«بله»/«خیر» (or 1/0, in any digits); blank is «خیر»."""
    if isinstance(cell, bool):
        return cell
    if not text:
        return False
    value = _FLAG_WORDS.get(compact_key(to_latin_digits(text)))
    if value is None:
        errors.append(f"«{label}» باید «{YES}» یا «{NO}» (یا ۱ و ۰) باشد.")
        return False
    return value


def _national_id(cell, text: str) -> str:
    """A typed ID in ten Latin digits; ``ValidationError`` with core.national_id's message.

    A spreadsheet that took the ID for a number dropped its leading zeros: a numeric cell is
    padded back to ten digits (a text cell is read as typed)."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 0 < len(text) < 10:
        text = text.zfill(NATIONAL_ID_LENGTH)
    return validate_national_id(text)


def _identity(cells: dict, texts: dict, errors: list[str]) -> Identity:
    """The head's ID and name and the members' IDs, checked; what is wrong is said without
    repeating any of them."""
    national_id = ""
    if texts["national_id"]:
        try:
            national_id = _national_id(cells.get("national_id"), texts["national_id"])
        except ValidationError as error:
            errors.append(f"«{LABELS['national_id']}»: {error.messages[0]}")
    name = ""
    if texts["head_name"]:
        try:
            name = household_name(texts["head_name"])
        except ValidationError:
            errors.append(f"«{LABELS['head_name']}» حداکثر {format_number(NAME_MAX)} نویسه است.")
        else:
            if not name:
                errors.append(f"«{LABELS['head_name']}» جز فاصله و نشانهٔ جهت چیزی ندارد.")
    members = []
    label = LABELS["member_ids"]
    cell = cells.get("member_ids")  # a number: one ID a spreadsheet took for a number
    typed = [part for part in _ID_SEPARATORS.split(texts["member_ids"]) if part]
    for number, part in enumerate(typed, 1):
        try:
            value = _national_id(cell, part)
        except ValidationError as error:
            errors.append(f"«{label}»، کد شمارهٔ {to_persian_digits(number)}: {error.messages[0]}")
            continue
        if value not in members:
            members.append(value)
    return Identity(national_id=national_id, name=name, member_ids=tuple(members))


def _consent(cells, texts, identity: Identity, members, today, errors: list[str]) -> dict:
    """The consent fields of the household; the reasons an identity may not be kept."""
    given = any(texts[name] for name in IDENTITY_FIELDS)
    typed = any(texts[name] for name in CONSENT_FIELDS)
    found = {"consent_given_on": None, "consent_scope": "", "consent_until": None}
    if not given:
        if typed:
            errors.append(
                "رضایت بدون کد ملی و نام سرپرست معنایی ندارد: یا کد ملی و نام سرپرست را هم "
                "بنویسید یا ستون‌های رضایت این ردیف را خالی بگذارید (خانوار بی‌نام)."
            )
        return found
    reasons = []
    start = _date(cells.get("consent_given_on"), texts["consent_given_on"], "consent_given_on")
    end = _date(cells.get("consent_until"), texts["consent_until"], "consent_until")
    scope = _SCOPE_KEYS.get(compact_key(texts["consent_scope"])) if texts["consent_scope"] else ""
    if isinstance(start, str):
        reasons.append(start)
    elif start is None:
        reasons.append(f"«{LABELS['consent_given_on']}» خالی است.")
    elif start > today:
        reasons.append("تاریخ رضایت نمی‌تواند در آینده باشد.")
    else:
        found["consent_given_on"] = start
    if scope is None:
        words = " یا ".join(f"«{SCOPE_WORDS[s][0]}»" for s in ConsentScope)
        reasons.append(f"«{LABELS['consent_scope']}» شناخته نشد؛ {words} بنویسید.")
    elif not scope:
        reasons.append(f"«{LABELS['consent_scope']}» خالی است؛ بگویید رضایت چه را در بر می‌گیرد.")
    else:
        found["consent_scope"] = scope
    if isinstance(end, str):
        reasons.append(end)
    elif end is None:
        reasons.append(f"«{LABELS['consent_until']}» خالی است؛ رضایت تا کی معتبر است؟")
    elif end < today:
        reasons.append("این رضایت به پایان رسیده است؛ بدون رضایت معتبر، نام و کد ملی ثبت نمی‌شود.")
    elif isinstance(start, dt.date) and end < start:
        reasons.append("پایان رضایت نمی‌تواند پیش از تاریخ رضایت باشد.")
    else:
        found["consent_until"] = end
    if reasons:
        errors.append(
            "کد ملی یا نام بدون رضایت کامل و معتبر خانوار ثبت نمی‌شود (یا آن‌ها را پاک کنید تا "
            "خانوار بی‌نام ثبت شود):"
        )
        errors.extend(reasons)
    if texts["national_id"] and not texts["head_name"]:
        errors.append(f"«{LABELS['head_name']}» خالی است؛ با کد ملی، نام سرپرست هم لازم است.")
    elif texts["head_name"] and not texts["national_id"]:
        errors.append(f"«{LABELS['national_id']}» خالی است؛ با نام، کد ملی سرپرست هم لازم است.")
    elif texts["member_ids"] and not texts["national_id"]:
        errors.append(
            f"«{LABELS['national_id']}» و «{LABELS['head_name']}» خالی است؛ کد ملی اعضا فقط "
            "با سرپرست خانوار ثبت می‌شود."
        )
    people = set(identity.member_ids) | ({identity.national_id} if identity.national_id else set())
    if members is not None and len(people) > members:
        errors.append(
            f"شمار کدهای ملی (با سرپرست، {format_number(len(people))}) از «{LABELS['members']}» "
            f"({format_number(members)}) بیشتر است."
        )
    return found


def _date(cell, text: str, name: str):
    """A Jalali date typed in any digits, or a date cell of a spreadsheet; None when blank;
    a Persian reason (a ``str``) when it is not a date."""
    label = LABELS[name]
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        # A spreadsheet that takes «1404/08/12» for a date keeps it as the Gregorian year 1404:
        # those figures are the Jalali date typed.
        if 1300 <= cell.year <= 1500:
            try:
                return to_gregorian(cell.year, cell.month, cell.day)
            except JalaliDateError as error:
                return f"«{label}»: {error}"
        return cell
    if not text:
        return None
    if not isinstance(cell, str):
        return f"«{label}» باید تاریخی شمسی مانند {FORMAT_HINT} باشد."
    try:
        return parse_jalali(text)
    except JalaliDateError as error:
        return f"«{label}»: {error}"


def _and_list(numbers) -> str:
    items = [to_persian_digits(n) for n in numbers]
    return items[0] if len(items) == 1 else "، ".join(items[:-1]) + " و " + items[-1]


def _mark_repeated_heads(checked: list) -> None:
    """A head named twice for one neighbourhood in the file: every such row is refused, each
    naming the others (which one is right is the clerk's to say)."""
    lines = defaultdict(list)
    for row, household, identity in checked:
        if identity.national_id and household.neighbourhood is not None:
            lines[(household.neighbourhood.pk, identity.national_id)].append(row.line)
    for row, household, identity in checked:
        if not identity.national_id or household.neighbourhood is None:
            continue
        same = lines[(household.neighbourhood.pk, identity.national_id)]
        if len(same) > 1:
            others = _and_list(n for n in same if n != row.line)
            row.errors.append(
                f"همین «{LABELS['national_id']}» برای همین محله در ردیف {others} هم آمده است؛ "
                "هر سرپرست در هر محله یک خانوار است."
            )


def _mark_registered_heads(checked: list, scope) -> None:
    """A head already registered in the same neighbourhood (the registry's rule): refused,
    naming the household when the importer may open it."""
    wanted = {}
    for row, household, identity in checked:
        if identity.national_id and household.neighbourhood is not None:
            key = (household.neighbourhood.pk, identity_hash(identity.national_id))
            wanted.setdefault(key, []).append(row)
    if not wanted:
        return
    digests = sorted({digest for _place, digest in wanted})
    places = {place for place, _digest in wanted}
    found = {}
    for start in range(0, len(digests), _QUERY_CHUNK):
        stored = (
            Household.objects.filter(
                neighbourhood_id__in=places, head_id_hash__in=digests[start : start + _QUERY_CHUNK]
            )
            .order_by()
            .values_list("neighbourhood_id", "head_id_hash", "pk")
        )
        for place, digest, pk in stored:
            found[(place, digest)] = pk
    hits = {key: pk for key, pk in found.items() if key in wanted}
    if not hits:
        return
    mine = scope.households(Household.objects.filter(pk__in=hits.values()))
    readable = set(mine.values_list("pk", flat=True))
    for key, pk in hits.items():
        shown = f" ({Household(pk=pk).reference})" if pk in readable else ""
        for row in wanted[key]:
            row.errors.append(
                f"خانواری با همین «{LABELS['national_id']}» در این محله پیش‌تر ثبت شده "
                f"است{shown}؛ آن را دوباره ثبت نکنید."
            )


# --- The error list -----------------------------------------------------------


def error_sheet(report: HouseholdImportReport) -> Sheet:
    """Every bad row of *report*, for download: its number and its reasons (never an ID or a
    name)."""
    return Sheet(
        title="ردیف‌های نادرست",
        header=("ردیف", "دلیل"),
        rows=((row.line, " ".join(row.errors)) for row in report.bad_rows),
    )
