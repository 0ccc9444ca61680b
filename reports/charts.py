"""Charts drawn on the server, for the printed report and its PDF (which cannot run Chart.js).

Each chart is a pure function of the aggregates (:class:`~reports.aggregates.Breakdown`,
:class:`~reports.aggregates.Trend`) returning the geometry its template draws:
``templates/reports/includes/bar_chart.html`` and ``column_chart.html``.

The shapes are SVG; every word and number is HTML beside them. WeasyPrint lays out SVG
``<text>`` one character at a time, so Persian words written there come out as separate,
unjoined letters in reversed order; in HTML the same words are shaped like the rest of the
page. The SVG carries only presentation attributes, never ``style``, so the page keeps to the
strict content security policy.

Both charts read from right to left. Bars start at the right, beside their label, and grow
leftward; months run from the right, the same month a year earlier on the right of each pair.
The value axis is divided into four or five equal steps of a round size (whichever reaches
the largest value with less to spare), so tick marks sit at multiples of 25 or 20 per cent of
the axis and the stylesheet can place their labels with a class.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from core.digits import format_number
from reports.aggregates import MEASURES, Breakdown, Trend

STEP_COUNTS = (4, 5)  # equal intervals on a value axis
DEFAULT_COLOUR = "#0f5c4d"  # the site's brand green, for bars that are not agencies
CURRENT_COLOUR = "#0f5c4d"
PREVIOUS_COLOUR = "#a9c4bc"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

# Long axis labels in a big unit, when the axis reaches one of it and every tick is a whole
# tenth of it (one decimal at most).
_UNITS = ((10**9, "میلیارد"), (10**6, "میلیون"))


@dataclass(frozen=True)
class Tick:
    value: int
    label: str  # Persian digits, possibly in a unit: «۲٫۵ میلیارد»
    position: int  # per cent of the axis: a multiple of 25 or of 20

    @property
    def grid_x(self) -> float:
        """The left edge of its grid line in a bar's SVG (zero at the right edge)."""
        return round(min(max(100 - self.position - 0.15, 0), 99.7), 2)

    @property
    def grid_y(self) -> float:
        """The top edge of its grid line in a column's SVG (zero at the bottom)."""
        return round(min(max(100 - self.position - 0.3, 0), 99.4), 2)


@dataclass(frozen=True)
class Axis:
    top: int  # the value at the far end of the axis
    ticks: list[Tick]

    def share(self, value: int) -> float:
        """Where *value* falls on the axis, from 0 to 100 (rounded for the SVG)."""
        return round(100 * value / self.top, 2)


@dataclass(frozen=True)
class Bar:
    label: str
    extra: str  # e.g. a neighbourhood's city
    value: int
    value_label: str
    length: float  # 0 to 100, in the SVG's viewBox units
    colour: str

    @property
    def start(self) -> float:
        """The bar's left end: it is anchored at the right edge (100) and grows leftward."""
        return round(100 - self.length, 2)


@dataclass(frozen=True)
class BarChart:
    title: str
    measure_label: str
    bars: list[Bar]
    axis: Axis

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


@dataclass(frozen=True)
class Column:
    value: int
    value_label: str
    height: float  # 0 to 100, in the SVG's viewBox units

    @property
    def top(self) -> float:
        return round(100 - self.height, 2)


@dataclass(frozen=True)
class MonthGroup:
    label: str
    previous: Column  # drawn on the right of the pair: it came first
    current: Column


@dataclass(frozen=True)
class ColumnChart:
    title: str
    measure_label: str
    current_label: str
    previous_label: str
    groups: list[MonthGroup]
    axis: Axis
    current_colour: str = CURRENT_COLOUR
    previous_colour: str = PREVIOUS_COLOUR

    @property
    def is_empty(self) -> bool:
        return not any(g.current.value or g.previous.value for g in self.groups)


# --- Scales ----------------------------------------------------------------------------


def nice_step(largest: int, steps: int) -> int:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten, never a fraction) such
    that *steps* of them reach *largest*."""
    needed = max(largest, 1) / steps
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * magnitude
            if step == int(step) and step >= needed:
                return int(step)
        magnitude *= 10


def axis_for(largest: int) -> Axis:
    steps, step = min(
        ((n, nice_step(largest, n)) for n in STEP_COUNTS), key=lambda pair: pair[0] * pair[1]
    )
    top = step * steps
    unit = next(
        ((size, name) for size, name in _UNITS if top >= size and step % (size // 10) == 0), None
    )
    ticks = [
        Tick(i * step, tick_label(i * step, unit), round(100 * i / steps)) for i in range(steps + 1)
    ]
    return Axis(top=top, ticks=ticks)


def tick_label(value: int, unit: tuple[int, str] | None) -> str:
    if unit is None or value == 0:
        return format_number(value)
    size, name = unit
    return f"{format_number(Decimal(value) / Decimal(size))} {name}"


def safe_colour(colour: str) -> str:
    """*colour* if it is a ``#rrggbb`` colour, else the default: it goes into an attribute."""
    return colour if colour and _COLOUR.fullmatch(colour) else DEFAULT_COLOUR


# --- Charts ----------------------------------------------------------------------------


def bar_chart(table: Breakdown, measure: str, *, title: str) -> BarChart:
    """One horizontal bar per row of *table*, for *measure*; agencies in their own colours."""
    values = [row.figures.get(measure) for row in table.rows]
    axis = axis_for(max(values, default=0))
    bars = [
        Bar(
            label=row.subject.label,
            extra=row.subject.extra,
            value=value,
            value_label=format_number(value),
            length=axis.share(value),
            colour=safe_colour(row.subject.colour),
        )
        for row, value in zip(table.rows, values, strict=True)
    ]
    return BarChart(title=title, measure_label=MEASURES[measure].label, bars=bars, axis=axis)


def column_chart(trend: Trend, measure: str, *, title: str) -> ColumnChart:
    """Two columns per month of *trend*: the period's, and the same month a year before."""
    pairs = [(row.previous.get(measure), row.current.get(measure)) for row in trend.rows]
    axis = axis_for(max((max(pair) for pair in pairs), default=0))

    def column(value: int) -> Column:
        return Column(value=value, value_label=format_number(value), height=axis.share(value))

    groups = [
        MonthGroup(label=row.label, previous=column(before), current=column(now))
        for row, (before, now) in zip(trend.rows, pairs, strict=True)
    ]
    return ColumnChart(
        title=title,
        measure_label=MEASURES[measure].label,
        current_label=trend.period.label,
        previous_label=trend.previous_period.label,
        groups=groups,
        axis=axis,
    )
