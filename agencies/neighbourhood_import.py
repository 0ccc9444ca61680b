"""Loading the neighbourhood list with its houses: the program layer's part of the import.

``neighbourhoods.importer`` reads, checks and saves neighbourhoods and knows nothing of
agencies. :func:`neighbourhood_list_import` hands it a :class:`HouseImport` extension that adds,
for every agency, three optional columns named after its house — «نشانی خانه احسان»،
«تلفن خانه احسان»، «مسئول خانه احسان» — checks their cells row by row, and, in the transaction
that saves the neighbourhoods, creates the houses each neighbourhood of the file lacks (one per
agency, with what the file says of it) and updates the details the file changes. Rows are
matched as the importer matches them, so loading the same file again creates nothing.

A column the file does not have leaves that detail alone; an empty cell in a column it has
clears it, as for the neighbourhood's own columns. Opening date and whether a house is open are
not in the file: they are kept on the house pages of the panel.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.access import acting_user, scope_for
from agencies.house_services import house_phone, house_text, shown_phone, too_long
from agencies.models import Agency, House
from core.digits import to_persian_digits
from core.spreadsheets import Column, header_key
from neighbourhoods.import_table import COLUMNS, sample_csv
from neighbourhoods.importer import (
    CHANGE_REASON,
    Action,
    Change,
    ImportExtension,
    ImportRefused,
    ImportReport,
    RowReport,
    import_neighbourhoods,
)

# The details of a house a file may give: the word its header starts with (the first is the
# template's), other words for it, and the English header.
_DETAILS = (
    ("address", ("نشانی", "آدرس"), ("address",)),
    ("phone", ("تلفن", "شماره تلفن", "تلفن تماس", "شماره تماس"), ("phone", "tel")),
    ("manager_name", ("مسئول", "نام مسئول", "مدیر", "نام مدیر"), ("manager",)),
)
DETAIL_FIELDS = tuple(name for name, _words, _english in _DETAILS)


@dataclass(frozen=True)
class HouseColumns:
    """The three columns of one agency's house, by House field."""

    agency: Agency
    by_detail: dict[str, Column]

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(self.by_detail.values())


@dataclass
class _RowPlan:
    create: list[tuple[Agency, dict]] = field(default_factory=list)
    update: list[tuple[House, dict]] = field(default_factory=list)


def house_columns(agencies) -> list[HouseColumns]:
    """The house columns of *agencies*, in their order. A header that could mean two columns
    (say, two agencies sharing a short name) is dropped from both; the template's header of each
    column is its house's full name, which is never shared."""
    wanted = [(agency, _aliases(agency)) for agency in agencies]
    counts: dict[str, int] = {}
    taken = {header_key(alias) for column in COLUMNS for alias in column.aliases}
    for _agency, by_detail in wanted:
        for aliases in by_detail.values():
            for key in {header_key(alias) for alias in aliases}:
                counts[key] = counts.get(key, 0) + 1
    groups = []
    for agency, by_detail in wanted:
        columns = {}
        for detail, aliases in by_detail.items():
            kept, seen = [], set()
            for index, alias in enumerate(aliases):
                key = header_key(alias)
                if key in seen or (index and (counts[key] > 1 or key in taken)):
                    continue
                seen.add(key)
                kept.append(alias)
            columns[detail] = Column(f"house-{agency.pk}-{detail}", aliases[0], False, tuple(kept))
        groups.append(HouseColumns(agency=agency, by_detail=columns))
    return groups


def _aliases(agency: Agency) -> dict[str, list[str]]:
    house = agency.house_name.strip()
    bare = house.removeprefix("خانه").removeprefix("ٔ").strip()
    # Not the agency's own name: «نشانی کمیته امداد» is its office, not its house.
    names = [house, bare]
    slug = agency.slug
    return {
        detail: [f"{word} {name}" for word in words for name in names if name]
        + [
            spelling
            for english in english_words
            for spelling in (
                f"{slug} {english}",
                f"{slug} house {english}",
                f"house {slug} {english}",
            )
        ]
        for detail, words, english_words in _DETAILS
    }


class HouseImport(ImportExtension):
    """The houses' share of the neighbourhood import (see the module docstring)."""

    def __init__(self, agencies=None):
        agencies = list(agencies if agencies is not None else Agency.objects.all())
        self.groups = house_columns(agencies)
        self.columns = tuple(column for group in self.groups for column in group.columns)
        self._targets = {
            column.field: (group, detail, column)
            for group in self.groups
            for detail, column in group.by_detail.items()
        }
        self._plans: dict[int, _RowPlan] = {}

    # --- the dry run -----------------------------------------------------------------------

    def check_row(self, row: RowReport) -> None:
        for name, text in row.cells.items():
            target = self._targets.get(name)
            if target is not None:
                _group, detail, column = target
                value = _clean_detail(detail, text, column, row)
                if value is not None:
                    row.extra_values[name] = value

    def plan(self, report: ImportReport) -> None:
        rows = [row for row in report.rows if row.action != Action.ERROR]
        known = [row.existing.pk for row in rows if row.existing is not None]
        houses = {
            (house.neighbourhood_id, house.agency_id): house
            for house in House.objects.filter(neighbourhood_id__in=known)
        }
        self._plans = {}
        created = changed = 0
        for row in rows:
            plan = self._plans[row.line] = _RowPlan()
            for group in self.groups:
                values = {
                    detail: row.extra_values[column.field]
                    for detail, column in group.by_detail.items()
                    if column.field in row.extra_values
                }
                where = row.existing.pk if row.existing is not None else None
                house = houses.get((where, group.agency.pk))
                if house is None:
                    plan.create.append((group.agency, values))
                    row.extra_created.append(group.agency.house_name)
                    created += 1
                    continue
                differs = {d: v for d, v in values.items() if getattr(house, d) != v}
                for detail, value in differs.items():
                    old = _shown(detail, getattr(house, detail))
                    label = group.by_detail[detail].label
                    row.extra_changes.append(Change(label, old, _shown(detail, value)))
                if differs:
                    plan.update.append((house, differs))
                    changed += 1
        report.extra_counts = [(created, "خانهٔ تازه"), (changed, "خانه با جزئیات تازه")]

    # --- applying ------------------------------------------------------------------------------

    def write(self, report: ImportReport, user) -> None:
        new, edited = [], []
        for row in report.rows:
            plan = self._plans.get(row.line)
            if plan is None or row.saved is None:
                continue
            for agency, values in plan.create:
                house = House(agency=agency, neighbourhood=row.saved, **values)
                _check(house, row)
                new.append(house)
            for house, values in plan.update:
                for detail, value in values.items():
                    setattr(house, detail, value)
                _check(house, row)
                edited.append(house)
        history = {"default_user": user, "default_change_reason": CHANGE_REASON, "batch_size": 500}
        bulk_create_with_history(new, House, **history)
        bulk_update_with_history(edited, House, fields=list(DETAIL_FIELDS), **history)


def neighbourhood_list_import(
    *, data: bytes, filename: str, user, apply: bool = False
) -> ImportReport:
    """Check the neighbourhood list in *data* (CSV or XLSX) with its houses' columns and, with
    ``apply=True``, save the neighbourhoods and their houses together, all or nothing.

    Only whoever keeps the whole province's data may (``PermissionDenied`` otherwise; commands
    pass ``agencies.access.SYSTEM``). The houses a neighbourhood lacks are created, one per
    agency; *user* is recorded in the history of every neighbourhood and house written, and
    the cached public pages go stale once the transaction commits.
    """
    scope_for(user).require("manage_province")
    return import_neighbourhoods(
        data=data,
        filename=filename,
        apply=apply,
        user=acting_user(user),
        extension=HouseImport(),
    )


def neighbourhood_list_template() -> str:
    """The downloadable template: the neighbourhood's columns, then each house's three, with
    the first sample row saying something of the first agency's house."""
    extension = HouseImport()
    first_row = []
    if extension.groups:
        first_row = ["سمنان، محلهٔ نمونهٔ یک، کوچهٔ ۳", "023-33451234", "نام مسئول خانه"]
    return sample_csv(extension.columns, [first_row])


def _clean_detail(detail: str, text: str, column: Column, row: RowReport) -> str | None:
    """One house cell as it will be stored, or None (and an error on the row) if it is bad."""
    if detail == "phone":
        try:
            value = house_phone(text)
        except ValidationError as error:
            row.errors.append(f"«{column.label}»: {error.messages[0]}")
            return None
    else:
        value = house_text(text)
    limit = House._meta.get_field(detail).max_length
    if len(value) > limit:
        row.errors.append(too_long(column.label, value, limit))
        return None
    return value


def _shown(detail: str, value) -> str:
    if not value:
        return "—"
    return shown_phone(value) if detail == "phone" else str(value)


def _check(house: House, row: RowReport) -> None:
    """The last guard before the bulk write, which skips the model's own checks; the dry run
    has checked every cell already, so this refuses only what the database changed meanwhile."""
    try:
        # The agency and the neighbourhood were just read or saved; asking again costs queries.
        house.full_clean(
            exclude=["agency", "neighbourhood"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        messages = " ".join(str(message) for message in error.messages)
        raise ImportRefused(
            f"ردیف {to_persian_digits(row.line)}: {messages} چیزی ذخیره نشد."
        ) from error
