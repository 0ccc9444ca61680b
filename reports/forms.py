"""The dashboards' filters: a Jalali period and the records filters, all in the URL.

A value outside the choices (typed into the URL, or from another agency) is an error on that
field and is left out; the rest still apply, so a shared link never breaks a page.
"""

import datetime as dt

from django import forms

from agencies.filters import PeriodFields, ScopedRecordFilters
from core.forms import JalaliDateField, JalaliDateInput
from core.periods import RANGE
from reports.aggregates import DIMENSIONS, MEASURES, Selection


class DashboardForm(PeriodFields, ScopedRecordFilters):
    field_order = ["period", "year", "quarter", "month", "start", "end"]
    allows_range = True

    start = JalaliDateField(label="از تاریخ", required=False, widget=JalaliDateInput())
    end = JalaliDateField(label="تا تاریخ", required=False, widget=JalaliDateInput())

    def __init__(self, data=None, *, user, today: dt.date | None = None):
        super().__init__(data, user=user)
        self.set_period_choices(today)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == RANGE and not (cleaned.get("start") and cleaned.get("end")):
            self.add_error("end", "برای بازهٔ تاریخ، «از تاریخ» و «تا تاریخ» هر دو لازم‌اند.")
        return cleaned

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
