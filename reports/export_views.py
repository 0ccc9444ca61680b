"""The dashboards' tables as XLSX or CSV: /panel/dashboard/export/<table>.<fmt>.

An export reads the same query string as the page it sits on (the same forms), counts the same
records (``staff_records``) with the same functions of ``reports.aggregates``, so the file and
the page agree figure for figure. A table or format not listed here is a 404.
"""

import datetime as dt

from django.http import Http404
from django.views.generic import View

from agencies.access import StaffAccessMixin
from core.exports import FORMATS, export_response
from reports import aggregates, tables
from reports.forms import DashboardForm, PivotForm
from reports.panel_views import DEFAULT_SILENT_DAYS, CompletenessForm, IndicatorsForm


class DashboardExportView(StaffAccessMixin, View):
    needs = "see"
    http_method_names = ["get"]

    def load(self, *, table, fmt):
        if table not in TABLES or fmt not in FORMATS:
            raise Http404("no such export")
        form_class, self.build = TABLES[table]
        self.form = form_class(self.request.GET or None, user=self.request.user)

    def get(self, request, *, table, fmt):
        self.selection = self.form.selection()
        self.records = aggregates.staff_records(request.user)
        sheet = self.build(self)
        filename = f"dashboard-{table.replace('_', '-')}-{self.selection.period.slug}"
        return export_response(sheet, fmt=fmt, filename=filename)

    @property
    def selected(self):
        """The scoped records in the selection's period and filters (as the pages count)."""
        return self.selection.apply(self.records)


def _breakdown(dimension: str):
    def build(view):
        table = aggregates.breakdown(view.selected, dimension, view.selection, view.scope)
        return tables.breakdown_table(table)

    return build


def _trend(view):
    return tables.trend_table(aggregates.trend(view.records, view.selection))


def _pivot(view):
    rows, columns, measure = view.form.layout()
    table = aggregates.pivot(
        view.selected,
        rows=rows,
        columns=columns,
        measure=measure,
        selection=view.selection,
        scope=view.scope,
    )
    return tables.pivot_table(table)


def _indicators(view):
    level = view.form.values.get("level") or "neighbourhood"
    table = aggregates.indicators(
        view.selected, level=level, selection=view.selection, scope=view.scope
    )
    return tables.indicators_table(table)


def _completeness(view):
    table = aggregates.completeness(
        view.records,
        selection=view.selection,
        scope=view.scope,
        today=dt.date.today(),
        silent_after_days=view.form.values.get("silent_days") or DEFAULT_SILENT_DAYS,
    )
    return tables.completeness_table(table)


# table in the URL -> (the form of its page, what builds its sheet)
TABLES = {
    **{key: (DashboardForm, _breakdown(key)) for key in (*aggregates.BREAKDOWNS, "service_type")},
    "trend": (DashboardForm, _trend),
    "pivot": (PivotForm, _pivot),
    "indicators": (IndicatorsForm, _indicators),
    "completeness": (CompletenessForm, _completeness),
}
