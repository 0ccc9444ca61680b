"""Protecting small numbers (reports/suppression.py): the pure rule, then its helpers."""

import random

from reports.aggregates import (
    DIMENSIONS,
    MEASURES,
    Breakdown,
    Figures,
    Pivot,
    PivotLine,
    Row,
    Subject,
)
from reports.suppression import (
    LESS_THAN,
    WITHHELD,
    Cell,
    Nesting,
    Sum,
    protect_breakdown,
    protect_breakdowns,
    protect_column,
    protect_grid,
    protect_pivot,
    protected_positions,
)

HIDDEN = Cell.hidden()  # small itself: «کمتر از ۵»
GUARD = Cell.hidden(small=False)  # hidden only to guard a small one: «پنهان»


def shown(*values):
    return [Cell.shown(v) for v in values]


def lines_of(grid, row_totals, column_totals, grand):
    """Every sum a reader sees: each row with its total, each column with its total, and
    both margins with the grand total, as lists of cells (the total last)."""
    lines = [[*row, total] for row, total in zip(grid, row_totals, strict=True)]
    lines += [[row[c] for row in grid] + [column_totals[c]] for c in range(len(column_totals))]
    lines.append([*row_totals, grand])
    lines.append([*column_totals, grand])
    return lines


# --- The rule -------------------------------------------------------------------------------


def test_one_to_four_is_hidden_zero_and_five_are_shown():
    cells, total = protect_column([0, 5, 7, 12], 24)
    assert cells == shown(0, 5, 7, 12)
    assert total == Cell.shown(24)
    assert str(HIDDEN) == LESS_THAN == "کمتر از ۵"
    assert str(GUARD) == WITHHELD == "پنهان"


def test_a_lone_small_cell_takes_the_smallest_non_zero_other_cell_with_it():
    cells, total = protect_column([2, 0, 9, 7], 18)
    assert cells == [HIDDEN, Cell.shown(0), Cell.shown(9), GUARD]
    assert total == Cell.shown(18)


def test_a_small_total_hides_every_part_that_is_not_zero():
    cells, total = protect_column([1, 0, 2], 3)
    assert cells == [HIDDEN, Cell.shown(0), HIDDEN]
    assert total == HIDDEN


def test_with_no_other_part_left_the_total_is_hidden():
    # 30 hidden in the second sum leaves it alone in the first, whose only other part is 0.
    values = [3, 30, 33, 0, 30]
    sums = [Sum((0, 1), 2), Sum((3, 1), 4)]
    assert protected_positions(values, sums) == {0, 1, 4}


def test_a_grid_hides_a_rectangle_around_one_small_cell():
    grid = protect_grid(
        [[3, 10, 20], [8, 6, 30]],
        row_totals=[33, 44],
        column_totals=[11, 16, 50],
        grand_total=77,
    )
    assert grid.cells == [[HIDDEN, GUARD, Cell.shown(20)], [GUARD, GUARD, Cell.shown(30)]]
    assert grid.row_totals == shown(33, 44)
    assert grid.column_totals == shown(11, 16, 50)
    assert grid.grand_total == Cell.shown(77)


def test_no_random_table_shows_a_small_count_or_a_recoverable_one():
    rng = random.Random(1405)
    for _ in range(300):
        rows, columns = rng.randint(1, 6), rng.randint(1, 5)
        grid = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 9, 15, 40]) for _ in range(columns)]]
        grid += [
            [rng.choice([0, 1, 3, 6, 12, 80]) for _ in range(columns)] for _ in range(rows - 1)
        ]
        row_totals = [sum(row) for row in grid]
        column_totals = [sum(col) for col in zip(*grid, strict=True)]
        grand = sum(row_totals)
        protected = protect_grid(grid, row_totals, column_totals, grand)
        cells = [c for row in protected.cells for c in row]
        cells += [*protected.row_totals, *protected.column_totals, protected.grand_total]
        assert not [c for c in cells if not c.protected and 1 <= c.value <= 4], grid
        for line in lines_of(
            protected.cells, protected.row_totals, protected.column_totals, protected.grand_total
        ):
            assert sum(c.protected for c in line) != 1, grid


def test_a_protected_cell_carries_no_value():
    cells, _total = protect_column([3, 50], 53)
    assert [c.value for c in cells] == [None, None]
    assert [c.text for c in cells] == [LESS_THAN, WITHHELD]


# --- Breakdowns and pivots -------------------------------------------------------------------


def breakdown_of(dimension, rows):
    """A breakdown made by hand: *rows* are (key, beneficiaries, households, records)."""
    made = [
        Row(Subject(key, f"ردیف {key}"), Figures(records=r, beneficiaries=b, households=h))
        for key, b, h, r in rows
    ]
    return Breakdown(DIMENSIONS[dimension], made, Figures.add(row.figures for row in made))


def test_a_breakdown_protects_people_but_never_services_or_cost():
    table = protect_breakdown(breakdown_of("city", [(1, 3, 20, 2), (2, 40, 30, 1), (3, 60, 0, 3)]))
    assert [r.figures["beneficiaries"] for r in table.rows] == [HIDDEN, GUARD, Cell.shown(60)]
    assert [r.figures["households"] for r in table.rows] == shown(20, 30, 0)
    assert [r.figures["records"] for r in table.rows] == shown(2, 1, 3)
    assert table.total["beneficiaries"] == Cell.shown(103)


def test_neighbourhoods_protected_with_their_city_leave_no_city_telling():
    cities = breakdown_of("city", [("a", 100, 0, 1), ("b", 200, 0, 1)])
    neighbourhoods = breakdown_of(
        "neighbourhood", [(1, 3, 0, 1), (2, 50, 0, 1), (3, 47, 0, 1), (4, 10, 0, 1), (5, 190, 0, 1)]
    )
    city_of = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}
    shown_tables = protect_breakdowns(
        {"city": cities, "neighbourhood": neighbourhoods},
        measures=("beneficiaries",),
        nestings=[Nesting("neighbourhood", "city", lambda s: city_of[s.key])],
    )
    cells = [r.figures["beneficiaries"] for r in shown_tables["neighbourhood"].rows]
    # Without the city, «10» (in the other city) would be the second cell and Semnan's 100
    # minus 50 and 47 would give the 3 away.
    assert cells == [HIDDEN, Cell.shown(50), GUARD, Cell.shown(10), Cell.shown(190)]
    assert [r.figures["beneficiaries"] for r in shown_tables["city"].rows] == shown(100, 200)


def pivot_of(measure, grid):
    rows = [Subject(i, f"ردیف {i}") for i in range(len(grid))]
    lines = [PivotLine(s, cells, sum(cells)) for s, cells in zip(rows, grid, strict=True)]
    column_totals = [sum(col) for col in zip(*grid, strict=True)]
    return Pivot(
        rows_dimension=DIMENSIONS["city"],
        columns_dimension=DIMENSIONS["agency"],
        measure=MEASURES[measure],
        columns=[Subject(c, f"ستون {c}") for c in range(len(grid[0]))],
        lines=lines,
        column_totals=column_totals,
        total=sum(column_totals),
    )


def test_a_pivot_of_people_is_protected_on_both_margins():
    table = protect_pivot(pivot_of("households", [[2, 30], [9, 40]]))
    assert [line.cells for line in table.lines] == [[HIDDEN, GUARD], [GUARD, GUARD]]
    assert [line.total for line in table.lines] == shown(32, 49)
    assert table.column_totals == shown(11, 70)
    assert table.total == Cell.shown(81)


def test_a_pivot_of_services_is_shown_as_it_is():
    table = protect_pivot(pivot_of("records", [[2, 30], [9, 40]]))
    assert [line.cells for line in table.lines] == [shown(2, 30), shown(9, 40)]
    assert table.total == Cell.shown(81)
