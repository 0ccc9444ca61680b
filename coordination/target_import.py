"""Import of yearly targets from a CSV or XLSX file (coordinators only).

:func:`target_import` first makes a :class:`TargetImportReport` — what every row would do
(create, update, unchanged) and, for a bad row, the Persian reason of each bad cell — and, with
``apply=True``, writes every row in one transaction or none. A row is matched to a stored target
by year, neighbourhood code, domain, measure and agency (empty: all agencies together), so
loading the same file again changes nothing and a corrected file changes only the values it
corrects. Numbers may be typed with Persian, Arabic or Latin digits.

The file is read by ``core.spreadsheets``, kept between the dry run and the apply by
``core.uploads``; the checks are those of :func:`coordination.targets.target_problems` and the
model, run against the whole file and the database before anything is written.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.access import acting_user, scope_for
from agencies.models import Agency, House, ServiceDomain
from coordination.models import Target, TargetMeasure
from core.digits import format_number, parse_int, to_latin_digits, to_persian_digits
from core.exports import Sheet
from core.periods import Period
from core.spreadsheets import Column, FileReport, ImportFileError, header_key, read_table
from core.text import compact_key
from neighbourhoods.models import Neighbourhood

CHANGE_REASON = "بارگذاری هدف‌ها"

COLUMNS = (
    Column("year", "سال", True, ("سال", "سال شمسی", "year")),
    Column("code", "کد محله", True, ("کد محله", "کد", "neighbourhood code", "code")),
    Column("domain", "حوزه", True, ("حوزه", "حوزهٔ خدمت", "حوزه خدمت", "domain")),
    # header_key drops the parenthesis: «دستگاه (اختیاری)» and «دستگاه» are one header.
    Column("agency", "دستگاه", False, ("دستگاه (اختیاری)", "دستگاه اجرایی", "agency")),
    Column("measure", "سنجه", True, ("سنجه", "measure")),
    Column("value", "هدف", True, ("هدف", "هدف سالانه", "مقدار هدف", "target", "value")),
)

_YEAR_LIMITS = (1390, 1500)
_VALUE_LIMIT = 10_000_000

# Other words a person may write for each measure, besides its label and its Latin value.
_MEASURE_WORDS = {
    TargetMeasure.BENEFICIARIES: ("ذی‌نفع", "ذینفعان", "نفر", "تعداد ذی‌نفعان"),
    TargetMeasure.HOUSEHOLDS: ("خانوار", "خانوارها", "تعداد خانوار"),
    TargetMeasure.RECORDS: ("خدمت", "خدمات", "تعداد خدمات", "service", "services"),
}


class TargetAction(models.TextChoices):
    CREATE = "create", "ایجاد"
    UPDATE = "update", "به‌روزرسانی"
    UNCHANGED = "unchanged", "بدون تغییر"
    ERROR = "error", "نادرست"


@dataclass
class TargetRow:
    """One data row: what was typed, the target it makes or changes, and why it is bad."""

    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    action: str = TargetAction.ERROR
    target: Target | None = None  # the stored target it changes, or the new one
    old_value: int | None = None

    @property
    def action_label(self) -> str:
        return TargetAction(self.action).label

    @property
    def change(self) -> str:
        """«هدف: ۳۰۰ ← ۴۰۰» for an update, else blank."""
        if self.action != TargetAction.UPDATE:
            return ""
        return f"هدف: {format_number(self.old_value)} ← {format_number(self.target.value)}"


@dataclass
class TargetImportReport(FileReport):
    """The dry run (or the outcome) of one file."""

    rows: list[TargetRow] = field(default_factory=list)

    @property
    def updated(self) -> int:
        return self._count(TargetAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(TargetAction.UNCHANGED)

    @property
    def has_changes(self) -> bool:
        return self.created + self.updated > 0

    def summary(self) -> str:
        """One Persian sentence with the counts, for the message after saving."""
        if self.file_error:
            return self.file_error
        sentence = (
            f"{format_number(self.created)} هدف تازه، {format_number(self.updated)} به‌روزرسانی "
            f"و {format_number(self.unchanged)} بدون تغییر"
        )
        if self.bad:
            sentence += f"؛ {format_number(self.bad)} ردیف نادرست"
        return sentence


class _ImportRefused(Exception):
    """Saving stopped half-way; the message (Persian) says why. Nothing is saved."""


def target_import(*, data: bytes, filename: str, user, apply: bool = False) -> TargetImportReport:
    """Check a file of targets and, with ``apply=True``, save it all or nothing, as *user*, a
    coordinator (``PermissionDenied`` otherwise).

    The report is made again inside the transaction that writes, so what is saved matches the
    database at that moment. A file with any bad row is never applied; the returned report says
    why. *user* is recorded in the history of every target written.
    """
    scope_for(user).require("manage_province")
    if not apply:
        return _plan(data, filename)
    report = TargetImportReport(filename=filename)
    try:
        with transaction.atomic():
            report = _plan(data, filename)
            if report.is_valid and report.has_changes:
                _write(report, acting_user(user))
                report.applied = True
    except _ImportRefused as refusal:
        report.applied = False
        report.file_error = str(refusal)
    except IntegrityError:
        # The report checks what the constraints do; this guards a concurrent save.
        report.applied = False
        report.file_error = (
            "پایگاه داده هدف‌ها را نپذیرفت (هدف تکراری، شاید هم‌زمان در جای دیگری ثبت شده است). "
            "چیزی ذخیره نشد؛ فایل را دوباره بررسی کنید."
        )
    return report


def target_import_template(*, today) -> Sheet:
    """The downloadable template: the Persian headers and two made-up rows for this year, in
    a neighbourhood, domain and agency the system really has."""
    year = to_persian_digits(Period.current_year(today).year)
    neighbourhood = Neighbourhood.objects.order_by("code").first()
    code = neighbourhood.code if neighbourhood else "SMN-001"
    domain = ServiceDomain.objects.order_by("order", "name").first()
    domain_name = domain.name if domain else "سلامت"
    house = None
    if neighbourhood is not None:
        house = House.objects.filter(neighbourhood=neighbourhood).select_related("agency").first()
    agency = house.agency.short_name if house else ""
    rows = [
        [year, code, domain_name, "", TargetMeasure.BENEFICIARIES.label, "۱۲۰۰"],
        [year, code, domain_name, agency, TargetMeasure.RECORDS.label, "۴۰"],
    ]
    return Sheet(title="هدف‌ها", header=[column.aliases[0] for column in COLUMNS], rows=rows)


def _write(report: TargetImportReport, user) -> None:
    new, changed = [], []
    now = timezone.now()
    for row in report.rows:
        if row.action == TargetAction.CREATE:
            new.append(row.target)
        elif row.action == TargetAction.UPDATE:
            row.target.updated_at = now  # bulk_update skips auto_now
            changed.append(row.target)
        else:
            continue
        try:
            # Uniqueness, the houses and the places were checked against the file and the
            # database by the report; asking again would cost queries per row.
            row.target.full_clean(
                exclude=["neighbourhood", "domain", "agency"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            raise _ImportRefused(
                f"ردیف {to_persian_digits(row.line)}: {' '.join(error.messages)} چیزی ذخیره نشد."
            ) from error
    history = {"default_user": user, "default_change_reason": CHANGE_REASON, "batch_size": 500}
    bulk_create_with_history(new, Target, **history)
    bulk_update_with_history(changed, Target, fields=["value", "updated_at"], **history)


# --- Making the report -------------------------------------------------------------------------


def _plan(data: bytes, filename: str) -> TargetImportReport:
    report = TargetImportReport(filename=filename)
    try:
        table = read_table(data, filename, COLUMNS)
    except ImportFileError as error:
        report.file_error = str(error)
        return report
    report.columns = table.columns
    finders = _Finders()
    report.rows = [_check_row(line, cells, finders) for line, cells in table.rows]
    _mark_repeats(report.rows)
    _decide(report.rows)
    return report


def _display(cell) -> str:
    """A cell as text, the way the person typed it (an Excel 1200.0 is shown as 1200)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class _Finders:
    """The neighbourhoods, domains, agencies and houses, read once for the whole file."""

    def __init__(self):
        self.neighbourhoods = {
            n.code.upper(): n for n in Neighbourhood.objects.select_related("city")
        }
        self.domains = _keyed(ServiceDomain.objects.all(), lambda d: {d.slug, d.name})
        self.agencies = _keyed(
            Agency.objects.all(), lambda a: {a.slug, a.short_name, a.house_name, a.name}
        )
        self.houses = set(House.objects.values_list("neighbourhood_id", "agency_id"))
        measures = defaultdict(set)
        for measure in TargetMeasure:
            for word in (measure.value, measure.label, *_MEASURE_WORDS[measure]):
                measures[header_key(word)].add(measure.value)
        self.measures = measures


def _keyed(items, names) -> dict:
    by_key = defaultdict(set)
    for item in items:
        for name in names(item):
            if name:
                by_key[compact_key(name)].add(item)
    return by_key


def _find(by_key: dict, text: str, what: str, errors: list[str]):
    matches = by_key.get(compact_key(text), set())
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        errors.append(f"بیش از یک {what} «{text}» در سامانه هست؛ شناسهٔ لاتین آن را بنویسید.")
    else:
        errors.append(f"{what} «{text}» در سامانه نیست.")
    return None


def _number(cell, label: str, errors: list[str]) -> int | None:
    try:
        if isinstance(cell, bool):
            raise ValueError
        if isinstance(cell, float):
            if not cell.is_integer():
                raise ValueError
            return int(cell)
        return parse_int(cell)
    except (TypeError, ValueError):
        shown = to_persian_digits(_display(cell))
        errors.append(f"«{label}» باید عدد صحیح باشد؛ «{shown}» عدد صحیح نیست.")
        return None


def _check_row(line: int, cells: dict, finders: _Finders) -> TargetRow:
    row = TargetRow(line=line, cells={c.field: _display(cells.get(c.field)) for c in COLUMNS})
    typed, errors = row.cells, row.errors
    for column in COLUMNS:
        if column.required and not typed[column.field]:
            errors.append(f"«{column.label}» خالی است.")
    year = value = neighbourhood = domain = agency = measure = None
    if typed["year"]:
        year = _number(cells.get("year"), "سال", errors)
        low, high = _YEAR_LIMITS
        if year is not None and not low <= year <= high:
            hint = "؛ سال شمسی بنویسید، مانند ۱۴۰۵" if year > high else ""
            errors.append(
                f"سال {to_persian_digits(year)} پذیرفته نیست{hint} "
                f"(از {to_persian_digits(low)} تا {to_persian_digits(high)})."
            )
            year = None
    if typed["value"]:
        value = _number(cells.get("value"), "هدف", errors)
        if value is not None and not 1 <= value <= _VALUE_LIMIT:
            errors.append(
                f"«هدف» باید از ۱ تا {format_number(_VALUE_LIMIT)} باشد؛ "
                f"«{format_number(value)}» بیرون از این بازه است."
            )
            value = None
    if typed["code"]:
        code = to_latin_digits(typed["code"]).strip().upper()
        neighbourhood = finders.neighbourhoods.get(code)
        if neighbourhood is None:
            errors.append(f"محله‌ای با کد «{typed['code']}» در سامانه نیست.")
    if typed["domain"]:
        domain = _find(finders.domains, typed["domain"], "حوزهٔ", errors)
    if typed["agency"]:
        agency = _find(finders.agencies, typed["agency"], "دستگاه", errors)
    if typed["measure"]:
        measure = _measure(typed["measure"], finders, errors)
    place = (getattr(neighbourhood, "pk", None), getattr(agency, "pk", None))
    if neighbourhood and agency and place not in finders.houses:
        errors.append(
            f"{agency.short_name} در محلهٔ «{neighbourhood.name}» خانه ندارد؛ "
            "ستون دستگاه را خالی بگذارید تا هدف برای همهٔ دستگاه‌ها با هم باشد."
        )
    if not errors:
        row.target = Target(
            year=year,
            neighbourhood=neighbourhood,
            domain=domain,
            agency=agency,
            measure=measure,
            value=value,
        )
    return row


def _measure(text: str, finders: _Finders, errors: list[str]) -> str | None:
    found = finders.measures.get(header_key(text), set())
    if len(found) == 1:
        return next(iter(found))
    labels = "، ".join(f"«{m.label}»" for m in TargetMeasure)
    errors.append(f"سنجهٔ «{text}» شناخته نشد؛ یکی از این‌ها را بنویسید: {labels}.")
    return None


def _key(target: Target) -> tuple:
    return (
        target.year,
        target.neighbourhood.pk,
        target.domain.pk,
        target.measure,
        target.agency.pk if target.agency else None,
    )


def _mark_repeats(rows: list[TargetRow]) -> None:
    """Two rows of the file for one target: both are errors, naming each other."""
    lines = defaultdict(list)
    for row in rows:
        if row.target is not None:
            lines[_key(row.target)].append(row.line)
    for row in rows:
        if row.target is None:
            continue
        same = lines[_key(row.target)]
        if len(same) > 1:
            others = "، ".join(to_persian_digits(n) for n in same if n != row.line)
            row.errors.append(f"همین هدف در ردیف {others} هم آمده است؛ یکی را نگه دارید.")
            row.target = None


def _decide(rows: list[TargetRow]) -> None:
    good = [row for row in rows if row.target is not None]
    stored = {}
    if good:
        wanted = Target.objects.filter(
            year__in={row.target.year for row in good},
            neighbourhood_id__in={row.target.neighbourhood.pk for row in good},
        ).select_related("neighbourhood", "domain", "agency")
        stored = {_key(target): target for target in wanted}
    for row in rows:
        if row.target is None:
            row.action = TargetAction.ERROR
            continue
        existing = stored.get(_key(row.target))
        if existing is None:
            row.action = TargetAction.CREATE
        elif existing.value == row.target.value:
            row.action = TargetAction.UNCHANGED
            row.target = existing
        else:
            row.action = TargetAction.UPDATE
            row.old_value = existing.value
            existing.value = row.target.value
            row.target = existing
