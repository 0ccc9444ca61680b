"""Jalali reporting periods: what they cover, their names, and the same period a year before."""

import datetime as dt

from core.jalali import to_gregorian
from core.periods import Period


def test_a_quarter_covers_its_three_months_from_the_first_to_the_last_day():
    autumn = Period.of_quarter(1405, 3)
    assert autumn.months() == [(1405, 7), (1405, 8), (1405, 9)]
    assert autumn.first_day() == to_gregorian(1405, 7, 1)
    assert autumn.last_day() == to_gregorian(1405, 9, 30)
    assert autumn.label == "پاییز ۱۴۰۵"
    assert autumn.lookups() == {"jalali_year": 1405, "jalali_month__in": [7, 8, 9]}


def test_a_range_across_the_new_year_spans_both_years_months():
    span = Period.of_range(to_gregorian(1404, 12, 20), to_gregorian(1405, 1, 10))
    assert span.months() == [(1404, 12), (1405, 1)]
    assert span.label == "از ۱۴۰۴/۱۲/۲۰ تا ۱۴۰۵/۰۱/۱۰"


def test_a_range_typed_backwards_is_put_in_order():
    later, earlier = to_gregorian(1405, 5, 1), to_gregorian(1405, 2, 1)
    span = Period.of_range(later, earlier)
    assert (span.start, span.end) == (earlier, later)


def test_a_year_before_the_leap_day_lands_on_the_last_day_of_esfand():
    # 1403 is a leap year (Esfand has 30 days); 1402 is not.
    leap_day = to_gregorian(1403, 12, 30)
    span = Period.of_range(to_gregorian(1403, 12, 1), leap_day).a_year_before()
    assert span.end == to_gregorian(1402, 12, 29)
    assert Period.of_month(1405, 8).a_year_before() == Period.of_month(1404, 8)


def test_elapsed_share_of_the_year_at_its_boundaries():
    year = Period.of_year(1405)  # 365 days: 1405 is not a leap year
    assert year.elapsed_share(to_gregorian(1404, 12, 29)) == 0.0
    assert year.elapsed_share(to_gregorian(1405, 1, 1)) == 1 / 365
    assert year.elapsed_share(to_gregorian(1405, 6, 31)) == 186 / 365
    assert year.elapsed_share(to_gregorian(1405, 12, 29)) == 1.0
    assert year.elapsed_share(dt.date(2030, 1, 1)) == 1.0


def test_slugs_for_file_names():
    assert Period.of_year(1405).slug == "1405"
    assert Period.of_quarter(1405, 2).slug == "1405-q2"
    assert Period.of_month(1405, 7).slug == "1405-07"
