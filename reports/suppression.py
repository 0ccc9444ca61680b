"""Protecting small numbers in public tables.

A count of people or households (the measures with ``counts_people``) from 1 to 4 is never shown
to visitors: the cell reads «کمتر از ۵». Hiding the small cell is not enough where a table also
shows totals: a hidden cell alone in a row (or a column) with its total shown is the total
minus the other cells. So wherever a sum is shown with exactly one of its parts (or the sum
itself) hidden, a second part is hidden too (the smallest non-zero one, reading «پنهان»: it is
not small, so it does not say so), until every sum
shown has none or at least two hidden figures. Zero stays visible: it is not a small number.

The core is pure: :func:`protected_positions` takes plain integers and the sums that tie them
and answers which to hide; :func:`protect_grid` does it for a table with row totals, column
totals and a grand total. The helpers after them apply it to what the pages show: the
aggregates' :class:`~reports.aggregates.Breakdown` and :class:`~reports.aggregates.Pivot`, and
the tables of the public neighbourhood and agency pages (``agencies.selectors.Totals``).

A :class:`Cell` that is protected does not carry its value at all, so no template, CSV or JSON
can print it by mistake. Services (``records``) and cost are not people: never protected.

Limits: the rule holds table by table (and between the tables of one page that share totals);
it does not follow sums across pages or years.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from core.digits import format_number
from reports.aggregates import MEASURES, Breakdown, Pivot, Subject

THRESHOLD = 5  # counts of people from 1 to THRESHOLD - 1 are never shown
LESS_THAN = "کمتر از ۵"
# A figure hidden only so that a small one cannot be worked out from the totals: it is not
# small itself, so it does not claim to be. Knowing which cell is which tells nothing exact:
# the two still add up to one figure with two unknowns.
WITHHELD = "پنهان"
PUBLIC_MEASURES = ("records", "beneficiaries", "households", "cost")


def is_small(value: int) -> bool:
    """A count of people too small to show: 1 to 4 (zero is not small)."""
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Cell:
    """A figure as visitors get it: the value, or only the fact that it is protected."""

    value: int | None
    protected: bool = False
    small: bool = False  # protected because it is 1 to 4, not only to guard another

    @classmethod
    def shown(cls, value: int) -> "Cell":
        return cls(value=value)

    @classmethod
    def hidden(cls, *, small: bool = True) -> "Cell":
        return cls(value=None, protected=True, small=small)

    @property
    def label(self) -> str:
        return LESS_THAN if self.small else WITHHELD

    @property
    def text(self) -> str:
        """For a CSV: Latin digits, «کمتر از ۵», or «پنهان»."""
        return self.label if self.protected else str(self.value)

    def __str__(self) -> str:
        """For a page: Persian digits, «کمتر از ۵», or «پنهان»."""
        return self.label if self.protected else format_number(self.value)


# --- The pure core ------------------------------------------------------------------------


class Sum(NamedTuple):
    """``values[total] == sum(values[i] for i in parts)``, with every one of them shown."""

    parts: tuple[int, ...]
    total: int


def protected_positions(values: Sequence[int], sums: Iterable[Sum]) -> frozenset[int]:
    """The positions of *values* to hide: the small ones, then, while some sum has exactly one
    hidden figure, the smallest non-zero visible part of that sum (its total if no part is
    left). Shorter sums are settled first, so a second cell is found near the first (in its
    neighbourhood's city rather than anywhere in the province)."""
    sums = sorted(sums, key=lambda line: len(line.parts))
    hidden = {i for i, value in enumerate(values) if is_small(value)}
    changed = True
    while changed:
        changed = False
        for line in sums:
            if _hidden_count(line, hidden) != 1:
                continue
            second = _second_to_hide(line, values, hidden)
            if second is not None:
                hidden.add(second)
                changed = True
    return frozenset(hidden)


def _hidden_count(line: Sum, hidden: set[int]) -> int:
    return sum(i in hidden for i in (*line.parts, line.total))


def _second_to_hide(line: Sum, values: Sequence[int], hidden: set[int]) -> int | None:
    visible = [i for i in line.parts if i not in hidden]
    non_zero = [i for i in visible if values[i] > 0]
    if non_zero:
        return min(non_zero, key=lambda i: (values[i], i))
    if line.total not in hidden:
        return line.total
    # Only when the parts do not add up to the total (the caller's mistake): hide a zero
    # rather than leave the sum telling.
    return min(visible, default=None)


class _Figures:
    """Integers and the sums that tie them, gathered before they are protected together."""

    def __init__(self):
        self.values: list[int] = []
        self.sums: list[Sum] = []

    def add(self, value: int) -> int:
        self.values.append(int(value or 0))
        return len(self.values) - 1

    def add_column(self, values: Iterable[int], total: int | None) -> list[int]:
        """Add *values*; if *total* (a position) is given, they add up to it."""
        positions = [self.add(v) for v in values]
        if total is not None:
            self.tie(positions, total)
        return positions

    def tie(self, parts: Iterable[int], total: int) -> None:
        self.sums.append(Sum(tuple(parts), total))

    def cells(self) -> list[Cell]:
        hidden = protected_positions(self.values, self.sums)
        return [
            Cell.hidden(small=is_small(v)) if i in hidden else Cell.shown(v)
            for i, v in enumerate(self.values)
        ]


@dataclass(frozen=True)
class ProtectedGrid:
    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None


def protect_grid(
    grid: Sequence[Sequence[int]],
    row_totals: Sequence[int] | None = None,
    column_totals: Sequence[int] | None = None,
    grand_total: int | None = None,
) -> ProtectedGrid:
    """A table of counts of people, with the totals it shows (``None``: not shown), as
    cells a visitor may see: every row and column of it, the margins included, has none or
    at least two protected cells."""
    figures = _Figures()
    grand = figures.add(grand_total) if grand_total is not None else None
    rows_at = figures.add_column(row_totals, grand) if row_totals is not None else None
    columns_at = figures.add_column(column_totals, grand) if column_totals is not None else None
    cells_at = [[figures.add(v) for v in row] for row in grid]
    if rows_at is not None:
        for row, total_at in zip(cells_at, rows_at, strict=True):
            figures.tie(row, total_at)
    if columns_at is not None:
        for c, total_at in enumerate(columns_at):
            figures.tie([row[c] for row in cells_at], total_at)
    cells = figures.cells()
    return ProtectedGrid(
        cells=[[cells[i] for i in row] for row in cells_at],
        row_totals=[cells[i] for i in rows_at] if rows_at is not None else None,
        column_totals=[cells[i] for i in columns_at] if columns_at is not None else None,
        grand_total=cells[grand] if grand is not None else None,
    )


def protect_column(values: Sequence[int], total: int) -> tuple[list[Cell], Cell]:
    """A one-column table (rows and their total) of counts of people."""
    protected = protect_grid([[v] for v in values], column_totals=[total])
    return [row[0] for row in protected.cells], protected.column_totals[0]


def plain(value: int) -> Cell:
    """A figure that is not a count of people: always shown."""
    return Cell.shown(int(value or 0))


def counts_people(measure: str) -> bool:
    return MEASURES[measure].counts_people


# --- Breakdowns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownRow:
    subject: Subject
    figures: dict[str, Cell]  # measure key -> cell


@dataclass(frozen=True)
class ShownBreakdown:
    """A :class:`~reports.aggregates.Breakdown` as visitors see it."""

    dimension: object
    rows: list[ShownRow]
    total: dict[str, Cell]


@dataclass(frozen=True)
class Nesting:
    """Rows of one breakdown that add up to a row of another: each neighbourhood to its city.
    ``parent_of(subject)`` is the key of the parent row's subject."""

    child: str
    parent: str
    parent_of: object  # Callable[[Subject], object]


def protect_breakdown(table: Breakdown, measures=PUBLIC_MEASURES) -> ShownBreakdown:
    """One breakdown with its total: each measure counting people is a one-column table."""
    return protect_breakdowns({"table": table}, measures=measures)["table"]


def protect_breakdowns(
    tables: dict[str, Breakdown], *, measures=PUBLIC_MEASURES, nestings: Sequence[Nesting] = ()
) -> dict[str, ShownBreakdown]:
    """Several breakdowns of the same records, shown on one page: they share their grand
    total (when they agree on it), and a nested breakdown's rows add up to its parent's rows,
    so they are protected together."""
    cells = {key: {} for key in tables}  # key -> measure -> (row cells, total cell)
    for measure in measures:
        if counts_people(measure):
            found = _protect_measure(tables, measure, nestings)
        else:
            found = {
                key: ([plain(r.figures.get(measure)) for r in t.rows], plain(t.total.get(measure)))
                for key, t in tables.items()
            }
        for key, pair in found.items():
            cells[key][measure] = pair
    return {key: _shown(table, cells[key], measures) for key, table in tables.items()}


def _protect_measure(tables, measure, nestings):
    figures = _Figures()
    shared: dict[int, int] = {}  # a grand total's value -> its position
    positions = {}
    for key, table in tables.items():
        value = table.total.get(measure)
        if value not in shared:
            shared[value] = figures.add(value)
        total_at = shared[value]
        rows_at = figures.add_column((r.figures.get(measure) for r in table.rows), total_at)
        positions[key] = (rows_at, total_at)
    for nesting in nestings:
        _tie_nested(figures, tables, positions, nesting)
    cells = figures.cells()
    return {
        key: ([cells[i] for i in rows_at], cells[total_at])
        for key, (rows_at, total_at) in positions.items()
    }


def _tie_nested(figures, tables, positions, nesting: Nesting) -> None:
    parent_rows = {
        row.subject.key: at
        for row, at in zip(tables[nesting.parent].rows, positions[nesting.parent][0], strict=True)
    }
    children: dict[int, list[int]] = {}
    for row, at in zip(tables[nesting.child].rows, positions[nesting.child][0], strict=True):
        parent_at = parent_rows.get(nesting.parent_of(row.subject))
        if parent_at is not None:
            children.setdefault(parent_at, []).append(at)
    for parent_at, parts in children.items():
        figures.tie(parts, parent_at)


def _shown(table: Breakdown, cells, measures) -> ShownBreakdown:
    rows = [
        ShownRow(row.subject, {m: cells[m][0][i] for m in measures})
        for i, row in enumerate(table.rows)
    ]
    return ShownBreakdown(table.dimension, rows, {m: cells[m][1] for m in measures})


# --- Pivot --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownPivotLine:
    subject: Subject
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class ShownPivot:
    rows_dimension: object
    columns_dimension: object
    measure: object
    columns: list[Subject]
    lines: list[ShownPivotLine]
    column_totals: list[Cell]
    total: Cell


def protect_pivot(table: Pivot) -> ShownPivot:
    """A pivot with both margins; only a measure counting people is protected."""
    if table.measure.counts_people:
        grid = protect_grid(
            [line.cells for line in table.lines],
            row_totals=[line.total for line in table.lines],
            column_totals=table.column_totals,
            grand_total=table.total,
        )
        lines = [
            ShownPivotLine(line.subject, grid.cells[i], grid.row_totals[i])
            for i, line in enumerate(table.lines)
        ]
        column_totals, total = grid.column_totals, grid.grand_total
    else:
        lines = [
            ShownPivotLine(line.subject, [plain(v) for v in line.cells], plain(line.total))
            for line in table.lines
        ]
        column_totals, total = [plain(v) for v in table.column_totals], plain(table.total)
    return ShownPivot(
        rows_dimension=table.rows_dimension,
        columns_dimension=table.columns_dimension,
        measure=table.measure,
        columns=table.columns,
        lines=lines,
        column_totals=column_totals,
        total=total,
    )


# --- The public neighbourhood and agency pages (agencies.selectors.Totals) ---------------


@dataclass(frozen=True)
class ShownTotals:
    """A row of ``agencies.selectors.Totals`` as visitors see it: services and cost as they
    are, beneficiaries and households as cells."""

    subject: object
    records: int
    beneficiaries: Cell
    households: Cell
    cost: int


def _shown_totals(row, beneficiaries: Cell, households: Cell) -> ShownTotals:
    return ShownTotals(row.subject, row.records, beneficiaries, households, row.cost)


def protect_totals_tables(tables: dict[str, list], total) -> tuple[dict[str, list], ShownTotals]:
    """One-column tables of ``Totals`` rows sharing one grand *total* (an agency's page: by
    domain and by city)."""
    cells = {}
    for field in ("beneficiaries", "households"):
        figures = _Figures()
        total_at = figures.add(getattr(total, field))
        at = {
            key: figures.add_column((getattr(r, field) for r in rows), total_at)
            for key, rows in tables.items()
        }
        found = figures.cells()
        cells[field] = ({key: [found[i] for i in p] for key, p in at.items()}, found[total_at])
    shown = {
        key: [
            _shown_totals(r, cells["beneficiaries"][0][key][i], cells["households"][0][key][i])
            for i, r in enumerate(rows)
        ]
        for key, rows in tables.items()
    }
    return shown, _shown_totals(total, cells["beneficiaries"][1], cells["households"][1])


@dataclass(frozen=True)
class ShownDomainRow:
    domain: object
    records: int  # the domain's services in the neighbourhood
    cells: list  # [(records, Cell of beneficiaries)] per agency
    total: Cell


@dataclass(frozen=True)
class ShownCrossTable:
    """A neighbourhood's beneficiaries per domain and agency, as visitors see it."""

    agencies: list
    rows: list[ShownDomainRow]
    agency_totals: list[Cell]
    total: Cell


@dataclass(frozen=True)
class ShownNeighbourhoodTables:
    by_domain: list[ShownTotals]
    by_agency: list[ShownTotals]
    table: ShownCrossTable
    total: ShownTotals


def protect_neighbourhood_tables(by_domain, by_agency, table) -> ShownNeighbourhoodTables:
    """A neighbourhood's page: the table by domain, the table by agency and the cross table
    of beneficiaries (whose margins are the first two tables' beneficiaries), protected as
    one; households are in the first two tables only, which share their total."""
    grid = protect_grid(
        [[cell.beneficiaries for cell in row.cells] for row in table.rows],
        row_totals=[row.total.beneficiaries for row in table.rows],
        column_totals=[cell.beneficiaries for cell in table.agency_totals],
        grand_total=table.total.beneficiaries,
    )
    figures = _Figures()
    total_at = figures.add(table.total.households)
    domain_at = figures.add_column((r.households for r in by_domain), total_at)
    agency_at = figures.add_column((r.households for r in by_agency), total_at)
    households = figures.cells()
    cross = ShownCrossTable(
        agencies=table.agencies,
        rows=[
            ShownDomainRow(
                row.domain,
                row.total.records,
                [(c.records, grid.cells[r][i]) for i, c in enumerate(row.cells)],
                grid.row_totals[r],
            )
            for r, row in enumerate(table.rows)
        ],
        agency_totals=grid.column_totals,
        total=grid.grand_total,
    )
    return ShownNeighbourhoodTables(
        by_domain=[
            _shown_totals(row, _row_total(grid, table, row.subject), households[domain_at[i]])
            for i, row in enumerate(by_domain)
        ],
        by_agency=[
            _shown_totals(row, _column_total(grid, table, row.subject), households[agency_at[i]])
            for i, row in enumerate(by_agency)
        ],
        table=cross,
        total=_shown_totals(table.total, grid.grand_total, households[total_at]),
    )


def _row_total(grid: ProtectedGrid, table, domain) -> Cell:
    index = next(i for i, row in enumerate(table.rows) if row.domain.pk == domain.pk)
    return grid.row_totals[index]


def _column_total(grid: ProtectedGrid, table, agency) -> Cell:
    index = next(i for i, a in enumerate(table.agencies) if a.pk == agency.pk)
    return grid.column_totals[index]
