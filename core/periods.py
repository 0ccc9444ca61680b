"""Jalali reporting periods: a year, a quarter, a month or a range of days.

Reports ask two things of a period: which rows fall in it (:meth:`Period.lookups`, on the stored
``jalali_year``/``jalali_month`` columns where the period is whole months, so the database uses
their index, and on the date otherwise) and which Jalali months it spans (:meth:`Period.months`,
for a trend). :meth:`Period.a_year_before` is the same period one year earlier, for "the same
period last year".
"""

import datetime as dt
from dataclasses import dataclass

from core.digits import to_persian_digits
from core.jalali import PERSIAN_MONTHS, days_in_month, format_date, to_gregorian, to_jalali

QUARTER_NAMES = ("بهار", "تابستان", "پاییز", "زمستان")

YEAR = "year"
QUARTER = "quarter"
MONTH = "month"
RANGE = "range"


@dataclass(frozen=True)
class Period:
    kind: str
    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    start: dt.date | None = None  # a range's first day
    end: dt.date | None = None  # and its last day, both included

    # --- making one ---------------------------------------------------------------------

    @classmethod
    def of_year(cls, year: int) -> "Period":
        return cls(kind=YEAR, year=year)

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> "Period":
        return cls(kind=QUARTER, year=year, quarter=quarter)

    @classmethod
    def of_month(cls, year: int, month: int) -> "Period":
        return cls(kind=MONTH, year=year, month=month)

    @classmethod
    def of_range(cls, start: dt.date, end: dt.date) -> "Period":
        if end < start:
            start, end = end, start
        return cls(kind=RANGE, start=start, end=end)

    @classmethod
    def current_year(cls, today: dt.date | None = None) -> "Period":
        return cls.of_year(to_jalali(today or dt.date.today()).year)

    # --- what it covers -----------------------------------------------------------------

    def months(self) -> list[tuple[int, int]]:
        """The Jalali ``(year, month)`` pairs the period touches, in order."""
        if self.kind == YEAR:
            return [(self.year, m) for m in range(1, 13)]
        if self.kind == QUARTER:
            first = 3 * self.quarter - 2
            return [(self.year, m) for m in range(first, first + 3)]
        if self.kind == MONTH:
            return [(self.year, self.month)]
        start, end = to_jalali(self.start), to_jalali(self.end)
        pairs, y, m = [], start.year, start.month
        while (y, m) <= (end.year, end.month):
            pairs.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return pairs

    def first_day(self) -> dt.date:
        if self.kind == RANGE:
            return self.start
        y, m = self.months()[0]
        return to_gregorian(y, m, 1)

    def last_day(self) -> dt.date:
        if self.kind == RANGE:
            return self.end
        y, m = self.months()[-1]
        return to_gregorian(y, m, days_in_month(y, m))

    def lookups(self, prefix: str = "") -> dict:
        """Filter keywords selecting the rows of the period, for a model with ``delivered_on``,
        ``jalali_year`` and ``jalali_month`` (behind *prefix*, e.g. ``"service_records__"``)."""
        if self.kind == YEAR:
            return {f"{prefix}jalali_year": self.year}
        if self.kind == QUARTER:
            first = 3 * self.quarter - 2
            return {
                f"{prefix}jalali_year": self.year,
                f"{prefix}jalali_month__in": [first, first + 1, first + 2],
            }
        if self.kind == MONTH:
            return {f"{prefix}jalali_year": self.year, f"{prefix}jalali_month": self.month}
        return {f"{prefix}delivered_on__range": (self.start, self.end)}

    def a_year_before(self) -> "Period":
        if self.kind == RANGE:
            return Period.of_range(_year_back(self.start), _year_back(self.end))
        return Period(kind=self.kind, year=self.year - 1, quarter=self.quarter, month=self.month)

    def elapsed_share(self, today: dt.date) -> float:
        """How much of the period has passed on *today*: 0 before it, 1 after it."""
        first, last = self.first_day(), self.last_day()
        if today < first:
            return 0.0
        if today >= last:
            return 1.0
        return ((today - first).days + 1) / ((last - first).days + 1)

    # --- words --------------------------------------------------------------------------

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return f"سال {to_persian_digits(self.year)}"
        if self.kind == QUARTER:
            return f"{QUARTER_NAMES[self.quarter - 1]} {to_persian_digits(self.year)}"
        if self.kind == MONTH:
            return f"{PERSIAN_MONTHS[self.month - 1]} {to_persian_digits(self.year)}"
        return f"از {format_date(self.start)} تا {format_date(self.end)}"

    @property
    def slug(self) -> str:
        """A short Latin name for file names: ``1405``, ``1405-q2``, ``1405-07``, or dates."""
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == QUARTER:
            return f"{self.year}-q{self.quarter}"
        if self.kind == MONTH:
            return f"{self.year}-{self.month:02d}"
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def month_label(year: int, month: int, *, with_year: bool = True) -> str:
    name = PERSIAN_MONTHS[month - 1]
    return f"{name} {to_persian_digits(year)}" if with_year else name


def _year_back(day: dt.date) -> dt.date:
    """The same Jalali day one year earlier (the 30th of Esfand becomes the 29th if need be)."""
    j = to_jalali(day)
    y = j.year - 1
    return to_gregorian(y, j.month, min(j.day, days_in_month(y, j.month)))
