"""Each dashboard table as a plain table for export: a header of Persian labels and rows of
cells (numbers as numbers, dates as dates), made from the objects ``reports.aggregates``
returns, so a file holds exactly the figures of the page it came from.

Every table ends with a «جمع» row where the page shows a total. In the completeness table a
month is ``1`` if the house recorded something in it and ``0`` if not: numbers, so a
spreadsheet can add them up.
"""

from core.exports import Sheet
from reports.aggregates import (
    MEASURE_KEYS,
    MEASURES,
    Breakdown,
    Completeness,
    Figures,
    Indicators,
    Pivot,
    Trend,
)

TOTAL = "جمع"

# What a subject's ``extra`` says, for the dimensions that have one.
EXTRA_LABELS = {"neighbourhood": "شهر", "service_type": "حوزه"}


def _measures(figures: Figures) -> list[int]:
    return [figures.get(key) for key in MEASURE_KEYS]


def _measure_labels() -> list[str]:
    return [MEASURES[key].label for key in MEASURE_KEYS]


def breakdown_table(table: Breakdown) -> Sheet:
    """One row per subject (with its city or domain where it has one): the five measures."""
    dimension = table.dimension
    extra = EXTRA_LABELS.get(dimension.key)
    header = [dimension.label, *([extra] if extra else []), *_measure_labels()]
    rows = [
        [row.subject.label, *([row.subject.extra] if extra else []), *_measures(row.figures)]
        for row in table.rows
    ]
    rows.append([TOTAL, *([""] if extra else []), *_measures(table.total)])
    return Sheet(title=f"به تفکیک {dimension.label}", header=header, rows=rows)


def trend_table(trend: Trend) -> Sheet:
    """One row per month: each measure in the period, then in the same months a year before."""
    now, before = trend.period.label, trend.previous_period.label
    header = ["ماه"]
    for label in _measure_labels():
        header += [f"{label} — {now}", f"{label} — {before}"]

    def cells(current: Figures, previous: Figures) -> list[int]:
        return [value for key in MEASURE_KEYS for value in (current.get(key), previous.get(key))]

    rows = [[row.label, *cells(row.current, row.previous)] for row in trend.rows]
    rows.append([TOTAL, *cells(trend.current_total, trend.previous_total)])
    return Sheet(title="روند ماهانه", header=header, rows=rows)


def pivot_table(pivot: Pivot) -> Sheet:
    """Row subjects down, column subjects across, the chosen measure in the cells; a total
    column and a total row."""
    extra = EXTRA_LABELS.get(pivot.rows_dimension.key)
    columns = [_column_label(subject) for subject in pivot.columns]
    header = [pivot.rows_dimension.label, *([extra] if extra else []), *columns, TOTAL]
    rows = [
        [line.subject.label, *([line.subject.extra] if extra else []), *line.cells, line.total]
        for line in pivot.lines
    ]
    rows.append([TOTAL, *([""] if extra else []), *pivot.column_totals, pivot.total])
    return Sheet(title=pivot.measure.label, header=header, rows=rows)


def _column_label(subject) -> str:
    # Two neighbourhoods of different cities may share a name; a column must say which.
    return f"{subject.label} ({subject.extra})" if subject.extra else subject.label


INDICATOR_LABELS = [
    "جمعیت",
    "خانوار",
    "ذی‌نفعان",
    "پوشش (ذی‌نفع به ازای هر نفر)",
    "خانوارهای بهره‌مند",
    "پوشش خانوار",
    "هزینه به ازای هر ذی‌نفع (ریال)",
]


def indicators_table(indicators: Indicators) -> Sheet:
    """Per neighbourhood or city: its population and households, what was delivered, the two
    coverages as fractions (0.25 is a quarter) and the cost per beneficiary."""
    level_label = "محله" if indicators.level == "neighbourhood" else "شهر"
    extra = EXTRA_LABELS.get(indicators.level)
    header = [level_label, *([extra] if extra else []), *INDICATOR_LABELS]

    def cells(indicator) -> list:
        return [
            indicator.population,
            indicator.households_total,
            indicator.figures.beneficiaries,
            _fraction(indicator.coverage),
            indicator.figures.households,
            _fraction(indicator.household_coverage),
            indicator.figures.cost_per_beneficiary,
        ]

    rows = [
        [row.subject.label, *([row.subject.extra] if extra else []), *cells(row)]
        for row in indicators.rows
    ]
    rows.append([TOTAL, *([""] if extra else []), *cells(indicators.total)])
    return Sheet(title=f"شاخص‌ها به تفکیک {level_label}", header=header, rows=rows)


def _fraction(value: float | None) -> float | None:
    """A coverage to six decimals: more than a reader needs, and the same number in both
    formats (XLSX keeps 16 significant digits, CSV would print 17)."""
    return None if value is None else round(value, 6)


def completeness_table(completeness: Completeness) -> Sheet:
    """Per active house: its place and agency, its last record and days since, and 1 or 0 for
    each month of the period; the last row counts the houses that reported in each month."""
    header = [
        "شهر",
        "محله",
        "دستگاه",
        "آخرین ثبت",
        "روزهای بی‌ثبت",
        *[month.label for month in completeness.months],
    ]
    rows = [
        [
            row.house.neighbourhood.city.name,
            row.house.neighbourhood.name,
            row.house.agency.short_name,
            row.last_record,
            row.silent_days,
            *[int(reported) for reported in row.months],
        ]
        for row in completeness.houses
    ]
    rows.append([TOTAL, "", "", None, None, *completeness.month_counts])
    return Sheet(title="کامل بودن گزارش‌دهی", header=header, rows=rows)
