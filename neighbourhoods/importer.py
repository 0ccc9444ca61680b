"""Import of the real neighbourhood list from a CSV or XLSX file.

The program's real list of neighbourhoods is not public, so the portal starts with demo
neighbourhoods and a coordinator loads the real list from the spreadsheet the province keeps.
:func:`import_neighbourhoods` first makes an :class:`ImportReport` — what every row would do
(create, update, unchanged) and why a bad row is bad — and, when asked to apply, writes all the
rows in one transaction or none of them. Rows are matched by their code, so loading the same
file twice changes nothing and a corrected file updates the neighbourhoods it names.

This layer knows neighbourhoods only. A caller that keeps something of its own per
neighbourhood passes an :class:`ImportExtension`: its columns are read with the file, it checks
their cells row by row, says what saving each row will do besides the neighbourhood, and writes
that in the same transaction. The program layer's ``agencies/neighbourhood_import.py`` adds the
agencies' houses that way; the staff pages and the ``import_neighbourhoods`` command call it.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.caching import public_content_changed
from core.digits import format_number, parse_int, to_latin_digits, to_persian_digits
from core.spreadsheets import FileReport
from core.text import compact_key
from neighbourhoods.import_table import (
    COLUMNS_BY_FIELD,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Column,
    ImportFileError,
    read_table,
)
from neighbourhoods.models import City, Neighbourhood

__all__ = [
    "CHANGE_REASON",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "Action",
    "Change",
    "ImportExtension",
    "ImportRefused",
    "ImportReport",
    "RowReport",
    "import_neighbourhoods",
]

# A neighbourhood of more people than this is a typing slip, not a neighbourhood.
MAX_COUNT = 10_000_000
CHANGE_REASON = "بارگذاری فهرست محله‌ها"

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_DECIMAL = re.compile(r"^-?\d{1,12}(\.\d{1,20})?$")
_MICRO = Decimal("0.000001")
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_COORDINATE_LIMITS = {"latitude": 90, "longitude": 180}


class Action(models.TextChoices):
    CREATE = "create", "ایجاد"
    UPDATE = "update", "به‌روزرسانی"
    UNCHANGED = "unchanged", "بدون تغییر"
    ERROR = "error", "نادرست"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowReport:
    """One data row of the file: what was typed, what it means and what will happen to it."""

    line: int
    cells: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    action: str = Action.ERROR
    existing: Neighbourhood | None = None
    # The neighbourhood as saved, once the file is applied (for an extension's write).
    saved: Neighbourhood | None = None
    # An extension's share of the row: its cleaned cells, what saving the row creates besides
    # the neighbourhood (named, one item each) and which of its values change.
    extra_values: dict = field(default_factory=dict)
    extra_created: list[str] = field(default_factory=list)
    extra_changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    @property
    def has_extra_changes(self) -> bool:
        return bool(self.extra_created or self.extra_changes)


@dataclass
class ImportReport(FileReport):
    """The dry run (or the outcome) of one file, shared by the staff page and the command."""

    rows: list[RowReport] = field(default_factory=list)
    # Demo neighbourhoods the file does not name: they stay until someone removes them.
    demo_left: int = 0
    # An extension's totals, as (count, what) pairs: (12, "خانهٔ تازه").
    extra_counts: list[tuple[int, str]] = field(default_factory=list)

    @property
    def updated(self) -> int:
        return self._count(Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(Action.UNCHANGED)

    @property
    def has_changes(self) -> bool:
        """Saving would change something: a neighbourhood, or what an extension keeps."""
        return self.created + self.updated > 0 or any(r.has_extra_changes for r in self.rows)

    def summary(self) -> str:
        """One Persian sentence with the counts, for messages and the command's last line."""
        if self.file_error:
            return self.file_error
        parts = [
            f"{format_number(self.created)} محلهٔ تازه",
            f"{format_number(self.updated)} به‌روزرسانی",
            f"{format_number(self.unchanged)} بدون تغییر",
        ]
        if self.bad:
            parts.append(f"{format_number(self.bad)} ردیف نادرست")
        sentence = "، ".join(parts[:-1]) + " و " + parts[-1]
        extras = [f"{format_number(count)} {what}" for count, what in self.extra_counts if count]
        if extras:
            sentence += "؛ " + (" و ".join(extras))
        return sentence


class ImportExtension:
    """What a caller adds to the import, for things it keeps per neighbourhood.

    The importer calls, in order: :attr:`columns` are read with the file's header;
    :meth:`check_row` for every row once its neighbourhood cells are read (errors added to
    ``row.errors`` make the row bad, and so block the file); :meth:`plan` once every row's
    action is decided, to fill ``row.extra_created``, ``row.extra_changes`` and
    ``report.extra_counts``; and, when the file is applied, :meth:`write` inside the
    transaction that saved the neighbourhoods (``row.saved``), after them. Raising
    :class:`ImportRefused` there undoes the whole file. The importer moves the public page cache
    on once for everything. This base class adds nothing.
    """

    columns: tuple[Column, ...] = ()

    def check_row(self, row: RowReport) -> None:
        """Read this extension's cells of *row*: cleaned values into ``row.extra_values``."""

    def plan(self, report: ImportReport) -> None:
        """Say what saving each good row would do besides its neighbourhood."""

    def write(self, report: ImportReport, user) -> None:
        """Save what :meth:`plan` said, as *user* (recorded in history; may be None)."""


def import_neighbourhoods(
    *,
    data: bytes,
    filename: str,
    apply: bool = False,
    user=None,
    extension: ImportExtension | None = None,
) -> ImportReport:
    """Check a neighbourhood file and, with ``apply=True``, save it all or nothing.

    The report is made again inside the transaction that writes, so what is saved matches the
    database as it is at that moment, not as it was at the dry run. A file with any bad row is
    never applied; the returned report says why. ``user`` is recorded in the history rows.
    *extension* adds the caller's own columns, checks and writes (see :class:`ImportExtension`).
    """
    extension = extension or ImportExtension()
    if not apply:
        return _plan(data, filename, extension)
    report = ImportReport(filename=filename)
    try:
        with transaction.atomic():
            report = _plan(data, filename, extension)
            if report.is_valid:
                _write(report, user, extension)
                report.applied = True
    except ImportRefused as refusal:
        report.applied = False
        report.file_error = str(refusal)
    except IntegrityError:
        # The report checks everything the database constraints do; this is the last guard,
        # e.g. for two names swapped between codes in one file, or a concurrent edit.
        report.applied = False
        report.file_error = (
            "پایگاه داده فهرست را نپذیرفت (نام یا کد تکراری در یک شهر). چیزی ذخیره نشد."
        )
    return report


class ImportRefused(Exception):
    """Saving the file stopped half-way; the message (Persian) says why. Nothing is saved."""


# Saved in bulk: a national list of 2,020 rows saved one by one (each save writing a history
# row and moving the public page cache on) took over half a minute on PostgreSQL.
_UPDATED_FIELDS = [
    "city",
    "name",
    "population",
    "households",
    "latitude",
    "longitude",
    "is_demo",
    "search_key",
]


def _write(report: ImportReport, user, extension: ImportExtension) -> None:
    created, updated = [], []
    for row in report.rows:
        if row.action == Action.CREATE:
            neighbourhood = Neighbourhood()
        elif row.action == Action.UPDATE:
            neighbourhood = row.existing
        else:
            row.saved = row.existing
            continue
        for name, value in row.values.items():
            if name != "code" or neighbourhood.pk is None:
                setattr(neighbourhood, name, value)
        neighbourhood.is_demo = False
        # Bulk writes skip Neighbourhood.save(), which keeps the search key; keep it alike.
        neighbourhood.search_key = compact_key(neighbourhood.name)
        try:
            # Uniqueness and the check constraints were tested by the report against the whole
            # file and the database; asking again would cost several queries per row.
            neighbourhood.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            messages = " ".join(str(m) for m in error.messages)
            raise ImportRefused(_row_prefix(row.line) + messages + " چیزی ذخیره نشد.") from error
        (created if neighbourhood.pk is None else updated).append(neighbourhood)
        row.saved = neighbourhood
    history = {"default_user": user, "default_change_reason": CHANGE_REASON, "batch_size": 500}
    bulk_create_with_history(created, Neighbourhood, **history)
    bulk_update_with_history(updated, Neighbourhood, fields=_UPDATED_FIELDS, **history)
    _give_ids(created)
    extension.write(report, user)
    # Once for the whole file: the cached public pages go stale when it commits.
    public_content_changed()


def _give_ids(created: list[Neighbourhood]) -> None:
    """Bulk inserts return ids on PostgreSQL and SQLite; on a database that does not, read
    them back by code, so an extension can point at the new rows."""
    missing = [n for n in created if n.pk is None]
    if missing:
        ids = dict(
            Neighbourhood.objects.filter(code__in=[n.code for n in missing]).values_list(
                "code", "pk"
            )
        )
        for neighbourhood in missing:
            neighbourhood.pk = ids[neighbourhood.code]


def _row_prefix(line: int) -> str:
    return f"ردیف {to_persian_digits(line)}: "


# --- Making the report -------------------------------------------------------------------


def _plan(data: bytes, filename: str, extension: ImportExtension) -> ImportReport:
    report = ImportReport(filename=filename)
    try:
        table = read_table(data, filename, extension.columns)
    except ImportFileError as error:
        report.file_error = str(error)
        return report
    report.columns = table.columns
    cities = _CityFinder()
    report.rows = [_clean_row(line, cells, table.columns, cities) for line, cells in table.rows]
    for row in report.rows:
        extension.check_row(row)
    existing = {
        n.code.upper(): n
        for n in Neighbourhood.objects.select_related("city").order_by("code").iterator()
    }
    _mark_duplicate_codes(report.rows)
    _mark_duplicate_names(report.rows, existing)
    for row in report.rows:
        _decide(row, existing, report.columns)
    extension.plan(report)
    file_codes = {row.values.get("code") for row in report.rows}
    report.demo_left = sum(
        1 for code, n in existing.items() if n.is_demo and code not in file_codes
    )
    return report


class _CityFinder:
    """Find a city by its name, however it is spelt, or by its slug."""

    def __init__(self):
        self.by_key = defaultdict(list)
        self.by_slug = {}
        for city in City.objects.all():
            self.by_key[compact_key(city.name)].append(city)
            self.by_slug[city.slug.lower()] = city

    def find(self, text: str, row: RowReport) -> City | None:
        by_slug = self.by_slug.get(to_latin_digits(text).strip().lower())
        if by_slug is not None:
            return by_slug
        matches = self.by_key.get(compact_key(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            row.errors.append(
                f"بیش از یک شهر با نام «{text}» در سامانه هست؛ "
                "به جای نام، شناسهٔ لاتین شهر را بنویسید."
            )
        else:
            row.errors.append(
                f"شهر «{text}» در سامانه نیست؛ نام شهر را با فهرست شهرهای سامانه مقایسه کنید."
            )
        return None


def _display(cell) -> str:
    """A cell as text, the way the person typed it (an Excel 1150.0 is shown as 1150)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _clean_row(line, cells, columns, cities: _CityFinder) -> RowReport:
    row = RowReport(line=line, cells={c.field: _display(cells.get(c.field)) for c in columns})
    for column in columns:
        if column.required and not row.cells[column.field]:
            row.errors.append(f"«{column.label}» خالی است.")
    if row.cells["city"]:
        row.values["city"] = cities.find(row.cells["city"], row)
    if row.cells["name"]:
        row.values["name"] = _clean_name(row.cells["name"], row)
    if row.cells["code"]:
        row.values["code"] = _clean_code(row.cells["code"], row)
    for name in ("population", "households"):
        if name in row.cells:
            row.values[name] = _clean_count(cells.get(name), name, row)
    for name in ("latitude", "longitude"):
        if name in row.cells:
            row.values[name] = _clean_coordinate(cells.get(name), name, row)
    _check_together(row)
    return row


def _clean_name(text: str, row: RowReport) -> str:
    # Arabic keyboards type ي and ك; the stored name uses the Persian letters.
    name = " ".join(text.translate(_ARABIC_LETTERS).split())
    limit = Neighbourhood._meta.get_field("name").max_length
    if len(name) > limit:
        row.errors.append(f"نام محله بیش از {to_persian_digits(limit)} نویسه است.")
    return name


def _clean_code(text: str, row: RowReport) -> str:
    code = to_latin_digits(text).strip().upper()
    limit = Neighbourhood._meta.get_field("code").max_length
    if not _CODE.match(code) or len(code) > limit:
        row.errors.append(
            f"کد محله «{text}» نادرست است؛ فقط حروف لاتین، رقم، خط تیره و زیرخط، "
            f"حداکثر {to_persian_digits(limit)} نویسه."
        )
    return code


def _clean_count(cell, name: str, row: RowReport) -> int | None:
    label = COLUMNS_BY_FIELD[name].label
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    try:
        if isinstance(cell, bool):
            raise ValueError
        if isinstance(cell, float):
            if not cell.is_integer():
                raise ValueError
            value = int(cell)
        else:
            value = parse_int(cell)
    except (TypeError, ValueError):
        shown = to_persian_digits(_display(cell))
        row.errors.append(f"«{label}» باید عدد صحیح باشد؛ «{shown}» عدد صحیح نیست.")
        return None
    if value < 0:
        row.errors.append(f"«{label}» نمی‌تواند منفی باشد.")
    elif value > MAX_COUNT:
        row.errors.append(
            f"«{label}» بیش از اندازه بزرگ است (بیشتر از {format_number(MAX_COUNT)})."
        )
    return value


def _clean_coordinate(cell, name: str, row: RowReport) -> Decimal | None:
    label = COLUMNS_BY_FIELD[name].label
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    text = compact_key(_display(cell)).replace("−", "-")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # «35,57»: a decimal comma, as some spreadsheets write it
    try:
        if isinstance(cell, bool) or not _DECIMAL.match(text):
            raise InvalidOperation
        value = Decimal(text).quantize(_MICRO, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        shown = to_persian_digits(_display(cell))
        row.errors.append(f"«{label}» باید عدد اعشاری باشد؛ «{shown}» عدد نیست.")
        return None
    limit = _COORDINATE_LIMITS[name]
    if not -limit <= value <= limit:
        row.errors.append(
            f"«{label}» باید بین {to_persian_digits(limit)}- و {to_persian_digits(limit)} باشد؛ "
            f"«{to_persian_digits(_display(cell))}» بیرون از این بازه است."
        )
    return value


def _check_together(row: RowReport) -> None:
    population, households = row.values.get("population"), row.values.get("households")
    if population is not None and households is not None and households > population:
        row.errors.append(
            f"تعداد خانوار ({format_number(households)}) از جمعیت "
            f"({format_number(population)}) بیشتر است."
        )
    if bool(row.cells.get("latitude")) != bool(row.cells.get("longitude")):
        row.errors.append("عرض و طول جغرافیایی باید با هم نوشته شوند؛ یکی از آن دو خالی است.")


def _and_list(numbers) -> str:
    items = [to_persian_digits(n) for n in numbers]
    return items[0] if len(items) == 1 else "، ".join(items[:-1]) + " و " + items[-1]


def _mark_duplicate_codes(rows: list[RowReport]) -> None:
    lines = defaultdict(list)
    for row in rows:
        if row.values.get("code"):
            lines[row.values["code"]].append(row.line)
    for row in rows:
        same = lines.get(row.values.get("code"), [])
        if len(same) > 1:
            row.errors.append(
                f"کد «{row.values['code']}» در ردیف‌های {_and_list(same)} تکرار شده است؛ "
                "کد هر محله باید یکتا باشد."
            )


def _mark_duplicate_names(rows: list[RowReport], existing: dict) -> None:
    """Two neighbourhoods of one city may not share a name, in the file or once it is saved."""
    lines = defaultdict(list)
    named = [row for row in rows if row.values.get("city") and row.values.get("name")]
    for row in named:
        key = (row.values["city"].pk, compact_key(row.values["name"]))
        lines[key].append(row.line)
    file_codes = {row.values.get("code") for row in rows}
    stay = {
        (n.city_id, compact_key(n.name)): n
        for code, n in existing.items()
        if code not in file_codes
    }
    for row in named:
        key = (row.values["city"].pk, compact_key(row.values["name"]))
        city, name = row.values["city"].name, row.values["name"]
        if len(lines[key]) > 1:
            row.errors.append(
                f"محلهٔ «{name}» در شهر «{city}» در ردیف‌های {_and_list(lines[key])} تکرار شده است."
            )
        other = stay.get(key)
        if other is not None:
            demo = " (دادهٔ نمایشی)" if other.is_demo else ""
            row.errors.append(
                f"در شهر «{city}» محلهٔ «{other.name}» با کد «{other.code}»{demo} از پیش ثبت شده "
                "است؛ اگر همان محله است، همان کد را در فایل بنویسید."
            )


def _decide(row: RowReport, existing: dict, columns) -> None:
    if row.errors:
        row.action = Action.ERROR
        return
    current = existing.get(row.values["code"])
    if current is None:
        row.action = Action.CREATE
        return
    row.existing = current
    for column in columns:
        if column.field == "code" or column.field not in COLUMNS_BY_FIELD:
            continue  # the code is the match; an extension's columns are the extension's
        old = getattr(current, column.field)
        new = row.values[column.field]
        if old != new:
            row.changes.append(Change(column.label, _shown(old), _shown(new)))
    if current.is_demo:
        row.changes.append(Change("دادهٔ نمایشی", "بله", "خیر"))
    row.action = Action.UPDATE if row.changes else Action.UNCHANGED


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, City):
        return value.name
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, Decimal):
        return to_persian_digits(format(value.normalize(), "f"))
    return str(value)
