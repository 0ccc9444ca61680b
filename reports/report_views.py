"""The governor's report: one A4 document of the dashboard's figures, as a print page and as a
PDF made from the same HTML by WeasyPrint (``reports/pdf.py``).

It reads the dashboard's query string (``reports.forms.DashboardForm`` and the chart measure),
so a coordinator prints what she sees; values that do not fit are left out and their defaults
used. The figures are those of the user's scope (``staff_records``): a clerk's report holds
only her agency.
"""

import datetime as dt

from django import forms
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import TemplateView

from agencies.access import StaffAccessMixin
from agencies.choices import RecordStatus
from agencies.models import Agency
from core.jalali import format_datetime
from neighbourhoods.models import City
from reports import aggregates
from reports.charts import bar_chart, column_chart
from reports.forms import DashboardForm

TITLE = "گزارش برنامهٔ محله‌های کم‌برخوردار استان سمنان"
SILENT_AFTER_DAYS = 30
CHARTED = (
    ("agency", "به تفکیک دستگاه"),
    ("domain", "به تفکیک حوزهٔ خدمت"),
    ("city", "به تفکیک شهر"),
)
_FILTERS = ("city", "neighbourhood", "agency", "domain", "service_type", "status")


class ReportForm(DashboardForm):
    measure = forms.ChoiceField(
        label="سنجهٔ نمودارها",
        required=False,
        choices=[(m.key, m.label) for m in aggregates.MEASURES.values()],
    )

    def chart_measure(self) -> str:
        return self.values.get("measure") or "beneficiaries"


class ReportView(StaffAccessMixin, TemplateView):
    needs = "see"
    template_name = "reports/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ReportForm(self.request.GET or None, user=self.request.user)
        selection = form.selection()
        records = aggregates.staff_records(self.request.user)
        selected = selection.apply(records)
        measure = form.chart_measure()
        measure_label = aggregates.MEASURES[measure].label
        sections = [
            _section(selected, key, heading, measure, selection, self.scope)
            for key, heading in CHARTED
        ]
        trend = aggregates.trend(records, selection)
        context.update(
            title=TITLE,
            selection=selection,
            filters=applied_filters(form, self.scope),
            made_at=format_datetime(timezone.now()),
            headline=aggregates.headline(selected),
            measure_label=measure_label,
            sections=sections,
            trend=trend,
            trend_table=trend_table(trend, measure),
            trend_chart=column_chart(
                trend, measure, title=f"{measure_label} ماه به ماه، در برابر سال پیش"
            ),
            completeness=aggregates.completeness(
                records,
                selection=selection,
                scope=self.scope,
                today=dt.date.today(),
                silent_after_days=SILENT_AFTER_DAYS,
            ),
            query=self.request.GET.urlencode(),
        )
        return context


def _section(selected, key, heading, measure, selection, scope) -> dict:
    table = aggregates.breakdown(selected, key, selection, scope)
    label = aggregates.MEASURES[measure].label
    return {
        "key": key,
        "table": table,
        "chart": bar_chart(table, measure, title=f"{label} {heading}"),
    }


def trend_table(trend, measure: str) -> dict:
    """The numbers of the monthly chart, for the table under it: the chart's measure and the
    number of services (or beneficiaries, when the chart counts services), each a year before
    and in the period."""
    keys = [measure, "beneficiaries" if measure == "records" else "records"]

    def pairs(previous, current) -> list[int]:
        return [value for key in keys for value in (previous.get(key), current.get(key))]

    return {
        "measures": [aggregates.MEASURES[key].label for key in keys],
        "rows": [{"label": r.label, "values": pairs(r.previous, r.current)} for r in trend.rows],
        "totals": pairs(trend.previous_total, trend.current_total),
    }


def applied_filters(form, scope) -> list[tuple[str, str]]:
    """The filters the report was made with, as (label, value) lines, and the reader's scope
    where it narrows what is counted."""
    values = form.values
    lines = []
    for name in _FILTERS:
        value = values.get(name)
        if not value:
            continue
        text = RecordStatus(value).label if name == "status" else str(value)
        lines.append((form.fields[name].label, text))
    if scope.is_one_agency and "agency" not in values:
        agency = Agency.objects.filter(pk=scope.agency_id).first()
        if agency is not None:
            lines.append(("دستگاه", f"{agency.short_name} (دامنهٔ دسترسی شما)"))
    if scope.is_some_cities and "city" not in values:
        cities = City.objects.filter(pk__in=scope.city_ids).order_by("name")
        names = "، ".join(c.name for c in cities)
        lines.append(("شهرها", f"{names} (دامنهٔ دسترسی شما)"))
    return lines


class ReportPdfView(ReportView):
    """The same page, rendered to PDF."""

    def render_to_response(self, context, **response_kwargs):
        # WeasyPrint loads Pango when imported: only the PDF needs it, so every other page
        # (and `make run` on a machine without Pango) works without it.
        from reports.pdf import html_to_pdf

        html = render_to_string(self.template_name, context, request=self.request)
        pdf = html_to_pdf(html, base_url=self.request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        slug = context["selection"].period.slug
        response["Content-Disposition"] = f'inline; filename="mahalleh-report-{slug}.pdf"'
        return response
