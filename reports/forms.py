"""The dashboards' filters: a Jalali period and the records filters, all in the URL.

A value outside the choices (typed into the URL, or from another agency) is an error on that
field and is left out; the rest still apply, so a shared link never breaks a page.
"""

import datetime as dt

from django import forms
from django.utils import timezone

from agencies.filters import ScopedRecordFilters
from agencies.models import ServiceRecord
from core.digits import to_persian_digits
from core.forms import JalaliDateField, JalaliDateInput
from core.jalali import PERSIAN_MONTHS, to_jalali
from core.periods import MONTH, QUARTER, QUARTER_NAMES, RANGE, YEAR, Period
from reports.aggregates import DIMENSIONS, MEASURES, Selection

PERIOD_KINDS = [(YEAR, "سال"), (QUARTER, "فصل"), (MONTH, "ماه"), (RANGE, "بازهٔ تاریخ")]


def _years_with_records(today: dt.date) -> list[int]:
    """The Jalali years that hold records, and the current one (one query)."""
    years = set(ServiceRecord.objects.values_list("jalali_year", flat=True).distinct().order_by())
    years.add(to_jalali(today).year)
    return sorted(years, reverse=True)


class DashboardForm(ScopedRecordFilters):
    field_order = ["period", "year", "quarter", "month", "start", "end"]

    period = forms.ChoiceField(label="دوره", required=False, choices=PERIOD_KINDS)
    year = forms.TypedChoiceField(label="سال", required=False, coerce=int, empty_value=None)
    quarter = forms.TypedChoiceField(
        label="فصل",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(i, name) for i, name in enumerate(QUARTER_NAMES, start=1)],
    )
    month = forms.TypedChoiceField(
        label="ماه",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(i, name) for i, name in enumerate(PERSIAN_MONTHS, start=1)],
    )
    start = JalaliDateField(label="از تاریخ", required=False, widget=JalaliDateInput())
    end = JalaliDateField(label="تا تاریخ", required=False, widget=JalaliDateInput())

    def __init__(self, data=None, *, user, today: dt.date | None = None):
        super().__init__(data, user=user)
        self.today = today or timezone.localdate()
        self.fields["year"].choices = [
            (y, to_persian_digits(y)) for y in _years_with_records(self.today)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == RANGE and not (cleaned.get("start") and cleaned.get("end")):
            self.add_error("end", "برای بازهٔ تاریخ، «از تاریخ» و «تا تاریخ» هر دو لازم‌اند.")
        return cleaned

    def period_chosen(self) -> Period:
        """The chosen period; the current Jalali year when nothing (valid) was chosen."""
        values = self.values
        year = values.get("year") or to_jalali(self.today).year
        kind = values.get("period") or YEAR
        if kind == RANGE and values.get("start") and values.get("end"):
            return Period.of_range(values["start"], values["end"])
        if kind == QUARTER and values.get("quarter"):
            return Period.of_quarter(year, values["quarter"])
        if kind == MONTH and values.get("month"):
            return Period.of_month(year, values["month"])
        return Period.of_year(year)

    def selection(self) -> Selection:
        values = self.values
        return Selection(
            period=self.period_chosen(),
            city=values.get("city"),
            neighbourhood=values.get("neighbourhood"),
            agency=values.get("agency"),
            domain=values.get("domain"),
            service_type=values.get("service_type"),
            status=values.get("status") or None,
        )


class PivotForm(DashboardForm):
    rows = forms.ChoiceField(
        label="سطرها",
        required=False,
        choices=[(d.key, d.label) for d in DIMENSIONS.values()],
    )
    columns = forms.ChoiceField(
        label="ستون‌ها",
        required=False,
        choices=[(d.key, d.label) for d in DIMENSIONS.values()],
    )
    measure = forms.ChoiceField(
        label="سنجه",
        required=False,
        choices=[(m.key, m.label) for m in MEASURES.values()],
    )

    def layout(self) -> tuple[str, str, str]:
        """The rows, columns and measure chosen (defaults: neighbourhood × agency, services)."""
        values = self.values
        rows = values.get("rows") or "neighbourhood"
        columns = values.get("columns") or "agency"
        if columns == rows:
            columns = "agency" if rows != "agency" else "domain"
        return rows, columns, values.get("measure") or "records"
