"""The staff dashboards: headline figures, breakdowns, the trend, the pivot, the indicators and
reporting completeness.

Every page reads the same filters from its URL (``reports.forms.DashboardForm``), counts the
records of the user's scope (``staff_records``) and takes its numbers from
``reports.aggregates``; a clerk's dashboard therefore holds only her agency's records whatever
the URL asks for. Charts get their numbers from the same objects as the tables under them.
"""

from django import forms
from django.utils import timezone
from django.views.generic import TemplateView

from agencies.access import StaffAccessMixin
from coordination import findings as coordination_findings
from coordination import targets as coordination_targets
from core.digits import to_persian_digits
from core.forms import PersianIntegerField
from core.jalali import to_jalali
from reports import aggregates
from reports.forms import DashboardForm, PivotForm

CHART_MEASURES = ("beneficiaries", "records", "households", "disabled", "cost")
DEFAULT_SILENT_DAYS = 30


class DashboardPageForm(DashboardForm):
    measure = forms.ChoiceField(
        label="سنجهٔ نمودارها",
        required=False,
        choices=[(key, aggregates.MEASURES[key].label) for key in CHART_MEASURES],
    )

    def chart_measure(self) -> str:
        return self.values.get("measure") or "beneficiaries"


class IndicatorsForm(DashboardForm):
    level = forms.ChoiceField(
        label="سطح",
        required=False,
        choices=[("neighbourhood", "محله"), ("city", "شهر")],
    )


class CompletenessForm(DashboardForm):
    silent_days = PersianIntegerField(
        label="خاموش پس از (روز)", required=False, min_value=1, max_value=3650
    )


class DashboardPage(StaffAccessMixin, TemplateView):
    """What every dashboard page shares: the filter form, the selection and the scoped
    records."""

    needs = "see"
    form_class = DashboardForm
    tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.form = self.form_class(self.request.GET or None, user=self.request.user)
        self.selection = self.form.selection()
        self.records = aggregates.staff_records(self.request.user)
        context.update(
            form=self.form,
            selection=self.selection,
            tab=self.tab,
            query=self.request.GET.urlencode(),
        )
        return context

    @property
    def selected(self):
        """The scoped records in the selection's period and filters."""
        return self.selection.apply(self.records)


class DashboardView(DashboardPage):
    template_name = "reports/panel/dashboard.html"
    form_class = DashboardPageForm
    tab = "dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.form.chart_measure()
        selected = self.selected
        breakdowns = {
            key: aggregates.breakdown(selected, key, self.selection, self.scope)
            for key in aggregates.BREAKDOWNS
        }
        trend = aggregates.trend(self.records, self.selection)
        context.update(
            target_summary=self._target_summary(),
            findings_headline=coordination_findings.headline(
                user=self.request.user, period=self.selection.period, today=timezone.localdate()
            ),
            headline=aggregates.headline(selected),
            reached=aggregates.households_reached(selected),
            breakdowns=breakdowns,
            trend=trend,
            measure=aggregates.MEASURES[measure],
            chart_data=_chart_data(breakdowns, trend, measure),
            trend_rows=[
                {
                    "label": r.label,
                    "current": r.current.get(measure),
                    "previous": r.previous.get(measure),
                }
                for r in trend.rows
            ],
            trend_total={
                "current": trend.current_total.get(measure),
                "previous": trend.previous_total.get(measure),
            },
        )
        return context

    def _target_summary(self):
        """The yearly targets of the period's Jalali year, narrowed by the place and domain
        filters (an agency filter leaves them whole: most targets are for all agencies)."""
        selection, today = self.selection, timezone.localdate()
        year = selection.period.year or to_jalali(selection.period.last_day()).year
        chosen = coordination_targets.visible_targets(self.request.user).filter(year=year)
        if selection.city is not None:
            chosen = chosen.filter(neighbourhood__city=selection.city)
        if selection.neighbourhood is not None:
            chosen = chosen.filter(neighbourhood=selection.neighbourhood)
        if selection.domain is not None:
            chosen = chosen.filter(domain=selection.domain)
        return coordination_targets.summary(targets=chosen, today=today)


def _chart_data(breakdowns, trend, measure: str) -> dict:
    """What dashboard.js draws: the same figures as the tables, for the chosen measure."""
    label = aggregates.MEASURES[measure].label
    charts = {
        key: {
            "label": label,
            "labels": [row.subject.label for row in table.rows],
            "values": [row.figures.get(measure) for row in table.rows],
            "colours": [row.subject.colour for row in table.rows],
        }
        for key, table in breakdowns.items()
        if key != "neighbourhood"  # fifty bars say less than the table under it
    }
    charts["trend"] = {
        "label": label,
        "labels": [row.label for row in trend.rows],
        "current": [row.current.get(measure) for row in trend.rows],
        "previous": [row.previous.get(measure) for row in trend.rows],
        "current_label": trend.period.label,
        "previous_label": trend.previous_period.label,
    }
    return charts


class PivotView(DashboardPage):
    template_name = "reports/panel/pivot.html"
    form_class = PivotForm
    tab = "pivot"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, columns, measure = self.form.layout()
        context["pivot"] = aggregates.pivot(
            self.selected,
            rows=rows,
            columns=columns,
            measure=measure,
            selection=self.selection,
            scope=self.scope,
        )
        return context


class IndicatorsView(DashboardPage):
    template_name = "reports/panel/indicators.html"
    form_class = IndicatorsForm
    tab = "indicators"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        level = self.form.values.get("level") or "neighbourhood"
        context["indicators"] = aggregates.indicators(
            self.selected, level=level, selection=self.selection, scope=self.scope
        )
        return context


class CompletenessView(DashboardPage):
    template_name = "reports/panel/completeness.html"
    form_class = CompletenessForm
    tab = "completeness"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = self.form.values.get("silent_days") or DEFAULT_SILENT_DAYS
        context["completeness"] = aggregates.completeness(
            self.records,
            selection=self.selection,
            scope=self.scope,
            today=timezone.localdate(),
            silent_after_days=days,
        )
        context["silent_days_label"] = to_persian_digits(days)
        return context
