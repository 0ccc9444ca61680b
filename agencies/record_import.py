"""Import of service records from a CSV or XLSX file, for agencies moving from spreadsheets.

:func:`service_records_import` first makes a :class:`RecordImportReport` — what every row would
do and, for a bad row, every Persian reason, with the row number a spreadsheet shows — and, with
``apply=True``, saves the records of every row in one transaction or none of them. The rules
are the record form's and the model's (the parts add up to the total, no count above the total,
the date neither in the future nor before the program, an open house in the importer's scope,
an active service type) and the exact-duplicate refusal of the record services.

Each row carries its own reference («شناسهٔ ردیف»), kept as ``ServiceRecord.external_ref``,
unique per house: a row whose reference the house already has is "already imported", skipped
and counted, so loading the same file twice creates nothing the second time. Imported records
enter as submitted for approval, with the importer as author and history user.

A file is checked and saved in bulk — the houses, types, references and possible duplicates are
read in a few queries, the records written with ``bulk_create_with_history`` in batches — so
:data:`MAX_ROWS` rows are applied well inside the server's request timeout (bench/README.md).
Submitted records are not public, so no cached page goes stale.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from simple_history.utils import bulk_create_with_history

from agencies.access import acting_user, scope_for
from agencies.choices import RecordStatus
from agencies.forms import MAX_COST_RIALS, MAX_COUNT, ServiceRecordForm
from agencies.house_services import too_long
from agencies.import_places import PlaceNames
from agencies.models import RECORD_COUNT_FIELDS, Agency, House, ServiceRecord, ServiceType
from agencies.services import HOUSE_OUT_OF_SCOPE, validate_delivered_on
from core import spreadsheets
from core.digits import format_number, parse_int, to_latin_digits, to_persian_digits
from core.exports import Sheet
from core.jalali import FORMAT_HINT, JalaliDateError, jalali_year_month, parse_jalali, to_gregorian
from core.spreadsheets import Column, FileReport, ImportFileError, Table
from core.text import compact_key
from neighbourhoods.models import Neighbourhood

# A year of records of a whole agency fits; the apply of this many rows is measured by
# bench/record_import.py against the server's timeout.
MAX_ROWS = 20_000
MAX_FILE_BYTES = 8 * 1024 * 1024
# The report page lists this many bad rows; the full list is a download.
SHOWN_ERRORS = 200
CHANGE_REASON = "ورود از فایل"

_BATCH = 1000
_REF_QUERY_CHUNK = 500  # references asked for in one query, well within SQLite's limits
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REF_MAX = ServiceRecord._meta.get_field("external_ref").max_length
NOTES_MAX = ServiceRecordForm.base_fields["notes"].max_length


def _column(name: str, label: str, required: bool, *aliases: str) -> Column:
    return Column(name, label, required, (label, *aliases))


# In the order of the record form, after the row's own reference. The first alias of each is
# the header the template writes.
COLUMNS = (
    _column("external_ref", "شناسهٔ ردیف", True, "شناسه ردیف", "شناسه", "ref", "external ref"),
    _column("neighbourhood", "کد محله", True, "محله", "نام محله", "neighbourhood", "code"),
    _column("agency", "دستگاه", False, "دستگاه اجرایی", "agency"),
    _column("service_type", "نوع خدمت", True, "خدمت", "service type", "service"),
    _column("delivered_on", "تاریخ ارائه", True, "تاریخ", "تاریخ ارائه خدمت", "date"),
    _column("beneficiaries", "ذی‌نفعان", True, "تعداد ذی‌نفعان", "beneficiaries"),
    _column("male", "مرد", False, "مردان", "male"),
    _column("female", "زن", False, "زنان", "female"),
    _column("children", "کودک", False, "کودکان", "children"),
    _column("adults", "بزرگسال", False, "بزرگسالان", "adults"),
    _column("elderly", "سالمند", False, "سالمندان", "elderly"),
    _column("households", "خانوار", False, "خانوارها", "خانوارهای بهره‌مند", "households"),
    _column("disabled", "توان‌خواه", False, "توان‌خواهان", "توان‌خواهان بهره‌مند", "disabled"),
    _column("cost_rials", "هزینه (ریال)", False, "هزینه", "cost"),
    _column("notes", "توضیحات", False, "یادداشت", "notes"),
)
LABELS = {column.field: column.label for column in COLUMNS}
_PARTS = (
    (("male", "female"), "جمع مردان و زنان"),
    (("children", "adults", "elderly"), "جمع کودکان، بزرگسالان و سالمندان"),
)
_WITHIN_TOTAL = (("households", "تعداد خانوارها"), ("disabled", "تعداد توان‌خواهان"))


class RecordAction(models.TextChoices):
    CREATE = "create", "تازه"
    PRESENT = "present", "پیش‌تر وارد شده"
    ERROR = "error", "نادرست"


@dataclass
class RecordRow:
    """One data row: what was typed, the record it makes, and why it is bad if it is."""

    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    action: str = RecordAction.ERROR
    ref: str = ""
    ref_reused: bool = False
    house: House | None = None
    # The record's fields, once every cell of the row is good; saved by the apply.
    values: dict | None = None

    @property
    def action_label(self) -> str:
        return RecordAction(self.action).label

    @property
    def line_label(self) -> str:
        return f"ردیف {to_persian_digits(self.line)}"

    @property
    def message(self) -> str:
        """The row's reasons in one sentence that names it: «ردیف ۵: …»."""
        return f"{self.line_label}: " + " ".join(self.errors)


@dataclass
class RecordImportReport(FileReport):
    """The dry run (or the outcome) of one file of service records."""

    rows: list[RecordRow] = field(default_factory=list)

    @property
    def present(self) -> int:
        return self._count(RecordAction.PRESENT)

    @property
    def has_changes(self) -> bool:
        return self.created > 0

    @property
    def bad_rows(self) -> list[RecordRow]:
        return [row for row in self.rows if row.action == RecordAction.ERROR]

    @property
    def shown_errors(self) -> list[RecordRow]:
        """The first bad rows, as many as the page lists."""
        return self.bad_rows[:SHOWN_ERRORS]

    def summary(self) -> str:
        """«۱۲ خدمت تازه، ۳ ردیف پیش‌تر وارد شده» (and the bad rows, if any)."""
        if self.file_error:
            return self.file_error
        parts = [
            f"{format_number(self.created)} خدمت تازه",
            f"{format_number(self.present)} ردیف پیش‌تر وارد شده",
        ]
        if self.bad:
            parts.append(f"{format_number(self.bad)} ردیف نادرست")
        return "، ".join(parts)


def service_records_import(
    *, data: bytes, filename: str, user, apply: bool = False
) -> RecordImportReport:
    """Check a file of service records as *user* and, with ``apply=True``, save them all or none.

    ``PermissionDenied`` without ``"write"``. Only houses in the user's scope are accepted; a row
    naming another agency's house or a city outside the user's cities is refused, with its row
    number. The report is made again inside the transaction that writes, so what is saved
    matches the database at that moment; a file with any bad row is never applied. The records
    are saved as submitted, with *user* as author and history user and the history reason
    :data:`CHANGE_REASON`.
    """
    scope = scope_for(user)
    scope.require("write")
    if not apply:
        return _plan(data, filename, scope)
    report = RecordImportReport(filename=filename)
    try:
        with transaction.atomic():
            report = _plan(data, filename, scope)
            if report.is_valid and report.has_changes:
                _write(report, user)
                report.applied = True
    except IntegrityError:
        # Everything the constraints check was checked; this is another import of the same
        # rows committing at the same moment.
        report.applied = False
        report.file_error = (
            "پایگاه داده خدمت‌ها را نپذیرفت؛ شاید همین فایل هم‌زمان جای دیگری ذخیره شد. "
            "چیزی ذخیره نشد؛ فایل را دوباره بررسی کنید."
        )
    return report


def _write(report: RecordImportReport, user) -> None:
    author = acting_user(user)
    records = [
        ServiceRecord(**row.values, status=RecordStatus.SUBMITTED, created_by=author)
        for row in report.rows
        if row.action == RecordAction.CREATE
    ]
    # Not full_clean() per record: every rule it would apply to these fields (lengths, ranges,
    # choices, the links, the constraints) was checked for the whole file by _plan, in a few
    # queries, and the database's constraints guard the write; asking again would cost queries
    # and a few seconds for a large file.
    bulk_create_with_history(
        records,
        ServiceRecord,
        batch_size=_BATCH,
        default_user=author,
        default_change_reason=CHANGE_REASON,
    )


# --- Reading the file ----------------------------------------------------------------------


def read_records_table(data: bytes, filename: str) -> Table:
    """The rows of a records file (see ``core.spreadsheets.read_table``), up to
    :data:`MAX_ROWS` rows and :data:`MAX_FILE_BYTES` bytes: four times the rows the short
    lists allow, which is what this import is measured for (bench/record_import.py)."""
    return spreadsheets.read_table(
        data, filename, COLUMNS, max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES
    )


# --- Making the report -----------------------------------------------------------------------


def _plan(data: bytes, filename: str, scope) -> RecordImportReport:
    report = RecordImportReport(filename=filename)
    try:
        table = read_records_table(data, filename)
    except ImportFileError as error:
        report.file_error = str(error)
        return report
    report.columns = table.columns
    if not scope.is_one_agency and "agency" not in {c.field for c in table.columns}:
        report.file_error = (
            "ستون «دستگاه» در سطر عنوان نیست؛ خدمت‌های چند دستگاه را می‌بینید، پس هر ردیف باید "
            "بگوید خدمت کدام دستگاه است."
        )
        return report
    places = _Places(scope)
    types = _ServiceTypes()
    dates = _Dates()
    report.rows = [
        _check_row(line, cells, places=places, types=types, dates=dates)
        for line, cells in table.rows
    ]
    _mark_reused_refs(report.rows)
    _mark_already_imported(report.rows)
    _mark_duplicates(report.rows)
    for row in report.rows:
        if row.action != RecordAction.PRESENT:
            row.action = RecordAction.ERROR if row.errors else RecordAction.CREATE
    return report


def _display(cell) -> str:
    """A cell as text, the way the person typed it (an Excel 12.0 is shown as 12)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime | dt.date):
        return cell.strftime("%Y-%m-%d")
    return str(cell).strip()


def _check_row(line, cells, *, places, types, dates) -> RecordRow:
    row = RecordRow(line=line, cells={c.field: _display(cells.get(c.field)) for c in COLUMNS})
    errors = row.errors
    for column in COLUMNS:
        text = row.cells[column.field]
        if _CONTROL_CHARACTERS.search(text):
            errors.append(
                f"«{column.label}» نویسهٔ نامعتبر (نویسهٔ کنترلی مانند NUL) دارد؛ "
                "آن را دوباره تایپ کنید."
            )
            row.cells[column.field] = _CONTROL_CHARACTERS.sub("", text)
        elif column.required and not text:
            errors.append(f"«{column.label}» خالی است.")
    row.ref = to_latin_digits(row.cells["external_ref"]).strip()
    if len(row.ref) > _REF_MAX:
        errors.append(too_long(LABELS["external_ref"], row.ref, _REF_MAX))
    notes = row.cells["notes"]
    if len(notes) > NOTES_MAX:
        errors.append(too_long(LABELS["notes"], notes, NOTES_MAX))
    row.house = places.house(row.cells["neighbourhood"], row.cells["agency"], errors)
    service_type = types.find(row.cells["service_type"], errors)
    delivered_on, jalali = dates.read(cells.get("delivered_on"), errors)
    counts = {name: _count(cells.get(name), name, errors) for name in RECORD_COUNT_FIELDS}
    _check_counts(counts, errors)
    if errors:
        return row
    # Bulk writes skip ServiceRecord.save(), which keeps the Jalali year and month.
    row.values = {
        "house": row.house,
        "service_type": service_type,
        "delivered_on": delivered_on,
        "jalali_year": jalali[0],
        "jalali_month": jalali[1],
        **counts,
        "notes": notes,
        "external_ref": row.ref,
    }
    return row


class _Places(PlaceNames):
    """Find the house a row names: its neighbourhood and agency (blank: the importer's own),
    and say why one outside the scope is refused."""

    def __init__(self, scope):
        super().__init__(scope, sheet="خانه‌ها", agency_label=LABELS["agency"])
        self.houses = {
            (house.neighbourhood_id, house.agency_id): house
            for house in House.objects.order_by().only(
                "pk", "agency_id", "neighbourhood_id", "is_active"
            )
        }
        self.visible = set(scope.filter(House.objects.all()).values_list("pk", flat=True))

    def house(self, place_text: str, agency_text: str, errors: list[str]) -> House | None:
        neighbourhood = self.neighbourhood(place_text, errors) if place_text else None
        agency = self.agency(agency_text, errors)
        if neighbourhood is None or agency is None:
            return None
        place = f"محلهٔ «{neighbourhood.name}» ({neighbourhood.city.name})"
        house = self.houses.get((neighbourhood.pk, agency.pk))
        if house is None:
            errors.append(f"{agency.house_name} در {place} خانه‌ای ندارد.")
            return None
        if house.pk not in self.visible:
            errors.append(self._out_of_scope(agency, neighbourhood, place))
            return None
        house.agency, house.neighbourhood = agency, neighbourhood
        if not house.is_active:
            errors.append(f"{agency.house_name} در {place} دیگر فعال نیست.")
        return house

    def _out_of_scope(self, agency: Agency, neighbourhood: Neighbourhood, place: str) -> str:
        scope = self.scope
        if scope.agency_id is not None and agency.pk != scope.agency_id:
            own = self.own_agency.short_name if self.own_agency else ""
            return (
                f"{agency.house_name} در {place} از دستگاه دیگری است؛ شما فقط خدمت‌های "
                f"خانه‌های {own} را وارد می‌کنید."
            )
        if scope.city_ids is not None and neighbourhood.city_id not in scope.city_ids:
            return (
                f"شهر «{neighbourhood.city.name}» در محدودهٔ دسترسی شما نیست؛ فقط خدمت‌های "
                "شهرهای خودتان را وارد کنید."
            )
        return HOUSE_OUT_OF_SCOPE


class _ServiceTypes:
    """Find a service type by its name, however spelt, or its Latin slug."""

    def __init__(self):
        self.by_key = defaultdict(list)
        for service_type in ServiceType.objects.select_related("domain"):
            self.by_key[service_type.slug.lower()].append(service_type)
            self.by_key[compact_key(service_type.name)].append(service_type)

    def find(self, text: str, errors: list[str]) -> ServiceType | None:
        if not text:
            return None
        matches = self.by_key.get(text.strip().lower()) or self.by_key.get(compact_key(text), [])
        if len(matches) > 1:
            # One name in two domains: the active one, if only one still is.
            active = [t for t in matches if t.is_active]
            matches = active if len(active) == 1 else matches
        if not matches:
            errors.append(
                f"نوع خدمت «{text}» در سامانه نیست؛ نام را از برگهٔ «انواع خدمت» نمونهٔ فایل بردارید."
            )
            return None
        if len(matches) > 1:
            domains = "، ".join(t.domain.name for t in matches)
            errors.append(
                f"نوع خدمت «{text}» در چند حوزه هست ({domains})؛ شناسهٔ لاتین آن را بنویسید."
            )
            return None
        service_type = matches[0]
        if not service_type.is_active:
            errors.append(f"نوع خدمت «{service_type.name}» دیگر فعال نیست.")
        return service_type


class _Dates:
    """Read delivery dates: Jalali text in any digits, or a real date cell of a spreadsheet."""

    def __init__(self):
        # A file repeats the same few hundred days: each cell is read once.
        self._read = {}

    def read(self, cell, errors: list[str]) -> tuple[dt.date | None, tuple[int, int] | None]:
        """The day of *cell* and its Jalali year and month, or Nones (and its errors)."""
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None, None
        if isinstance(cell, dt.datetime):
            cell = cell.date()
        key = (type(cell), cell)
        if key not in self._read:
            found = []
            day = self._day(cell, found)
            self._read[key] = (day, jalali_year_month(day) if day else None, found)
        day, jalali, found = self._read[key]
        errors.extend(found)
        return day, jalali

    def _day(self, cell, errors: list[str]) -> dt.date | None:
        label = LABELS["delivered_on"]
        if isinstance(cell, dt.date):
            day = self._from_cell(cell, errors)
        elif isinstance(cell, str):
            try:
                day = parse_jalali(cell)
            except JalaliDateError as error:
                errors.append(f"«{label}»: {error}")
                return None
        else:
            shown = to_persian_digits(_display(cell))
            errors.append(f"«{label}» باید تاریخی مانند {FORMAT_HINT} باشد؛ «{shown}» تاریخ نیست.")
            return None
        if day is None:
            return None
        try:
            validate_delivered_on(day)
        except ValidationError as error:
            errors.extend(error.messages)
            return None
        return day

    @staticmethod
    def _from_cell(cell: dt.date, errors: list[str]) -> dt.date | None:
        # A spreadsheet that takes «1404/08/12» for a date keeps it as the Gregorian year 1404;
        # no service of this program is that old, so the figures are the Jalali date typed.
        if 1300 <= cell.year <= 1500:
            try:
                return to_gregorian(cell.year, cell.month, cell.day)
            except JalaliDateError as error:
                errors.append(f"«{LABELS['delivered_on']}»: {error}")
                return None
        return cell


def _count(cell, name: str, errors: list[str]) -> int | None:
    """One count as an integer; blank is None (zero, or an error for the required total)."""
    label = LABELS[name]
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    try:
        if isinstance(cell, bool):
            raise ValueError
        if isinstance(cell, str) and cell.isascii() and cell.isdigit():
            value = int(cell)  # most cells of a CSV: plain digits
        elif isinstance(cell, float):
            if not cell.is_integer():
                raise ValueError
            value = int(cell)
        else:
            value = parse_int(cell)
    except (TypeError, ValueError):
        shown = to_persian_digits(_display(cell))
        errors.append(f"«{label}» باید عدد صحیح باشد؛ «{shown}» عدد صحیح نیست.")
        return None
    limit = MAX_COST_RIALS if name == "cost_rials" else MAX_COUNT
    if value < 0:
        errors.append(f"«{label}» نمی‌تواند منفی باشد.")
        return None
    if value > limit:
        errors.append(f"«{label}» بیش از اندازه بزرگ است (بیشتر از {format_number(limit)}).")
        return None
    return value


def _check_counts(counts: dict, errors: list[str]) -> None:
    """The record form's rules: blank parts are zero; the parts add up to the total and
    households and the disabled are not more than the total."""
    total = counts["beneficiaries"]
    bad = {name for name, value in counts.items() if value is None}
    for name in RECORD_COUNT_FIELDS:
        if name != "beneficiaries" and counts[name] is None:
            counts[name] = 0
    if total is None:
        return
    for name, what in _WITHIN_TOTAL:
        if name not in bad and counts[name] > total:
            errors.append(
                f"{what} ({format_number(counts[name])}) نمی‌تواند از تعداد ذی‌نفعان "
                f"({format_number(total)}) بیشتر باشد."
            )
    for names, what in _PARTS:
        parts = sum(counts[name] for name in names)
        if not bad.intersection(names) and parts != total:
            errors.append(
                f"{what} ({format_number(parts)}) با تعداد ذی‌نفعان ({format_number(total)}) "
                "برابر نیست."
            )


def _and_list(numbers) -> str:
    items = [to_persian_digits(n) for n in numbers]
    return items[0] if len(items) == 1 else "، ".join(items[:-1]) + " و " + items[-1]


def _mark_reused_refs(rows: list[RecordRow]) -> None:
    """A reference names one row of the file; used for two, it names neither."""
    lines = defaultdict(list)
    for row in rows:
        if row.ref:
            lines[row.ref].append(row.line)
    for row in rows:
        same = lines.get(row.ref, [])
        if len(same) > 1:
            row.ref_reused = True
            others = _and_list(n for n in same if n != row.line)
            row.errors.append(
                f"«{LABELS['external_ref']}» «{row.ref}» در ردیف {others} هم آمده است؛ "
                "شناسهٔ هر ردیف باید یکتا باشد."
            )


def _mark_already_imported(rows: list[RecordRow]) -> None:
    """A row whose house already has its reference was imported before: skipped, not an
    error, whatever its cells say now (the record is edited in the panel, not by a file)."""
    wanted = {
        (row.house.pk, row.ref): row
        for row in rows
        if row.house is not None and row.ref and not row.ref_reused
    }
    houses = sorted({house for house, _ref in wanted})
    refs = sorted({ref for _house, ref in wanted})
    found = set()
    for start in range(0, len(refs), _REF_QUERY_CHUNK):
        # The house and the reference together, and never blank: the unique index's own terms.
        found.update(
            ServiceRecord.objects.filter(
                house_id__in=houses, external_ref__in=refs[start : start + _REF_QUERY_CHUNK]
            )
            .exclude(external_ref="")
            .order_by()
            .values_list("house_id", "external_ref")
        )
    for key in found & wanted.keys():
        row = wanted[key]
        row.errors = []
        row.action = RecordAction.PRESENT


def _same_key(values: dict) -> tuple:
    """What ``ServiceRecord.objects.same_as`` compares: house, type, date and every count."""
    return (
        values["house"].pk,
        values["service_type"].pk,
        values["delivered_on"],
        *(values[name] for name in RECORD_COUNT_FIELDS),
    )


def _mark_duplicates(rows: list[RecordRow]) -> None:
    """Refuse a row that repeats a live record of its house (as the record services do) or
    another row of the file."""
    new = [row for row in rows if row.values is not None and row.action != RecordAction.PRESENT]
    if not new:
        return
    days = [row.values["delivered_on"] for row in new]
    existing = {}
    stored = (
        ServiceRecord.objects.alive()
        .filter(
            house_id__in={row.values["house"].pk for row in new},
            delivered_on__range=(min(days), max(days)),
        )
        .order_by("-pk")
        .values_list("pk", "house_id", "service_type_id", "delivered_on", *RECORD_COUNT_FIELDS)
    )
    for pk, *key in stored:
        existing[tuple(key)] = pk  # the oldest last, so it is the one named
    first_line = {}
    for row in new:
        key = _same_key(row.values)
        if key in existing:
            row.errors.append(
                f"این خدمت پیش‌تر ثبت شده است: خدمت شمارهٔ {to_persian_digits(existing[key])} همین "
                "خانه، همین نوع خدمت، همین تاریخ و همین شمارها را دارد."
            )
        elif key in first_line:
            row.errors.append(
                f"این ردیف همان ردیف {to_persian_digits(first_line[key])} است (همان خانه، نوع "
                "خدمت، تاریخ و شمارها)؛ اگر خدمت دیگری است، شمارها یا تاریخ را درست کنید."
            )
        else:
            first_line[key] = row.line


# --- The error list -----------------------------------------------------------


def error_sheet(report: RecordImportReport) -> Sheet:
    """Every bad row of *report*, for download: its number, its reference and its reasons."""
    return Sheet(
        title="ردیف‌های نادرست",
        header=("ردیف", LABELS["external_ref"], "دلیل"),
        rows=((row.line, row.ref, " ".join(row.errors)) for row in report.bad_rows),
    )
