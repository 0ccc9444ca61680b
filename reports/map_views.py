"""The staff map, /panel/dashboard/map/: the neighbourhoods of the user's scope coloured by
coverage, beneficiaries or silent houses, with the dashboards' filters.

Counted like every dashboard (``staff_records(user)``): a clerk's map holds only her agency's
records, in her cities. Staff see their own figures unprotected, as on the other dashboards.
"""

import datetime as dt

from django import forms

from core.digits import format_number
from reports import aggregates
from reports.forms import DashboardForm
from reports.maps import MapEntry, draw_map
from reports.panel_views import DEFAULT_SILENT_DAYS, DashboardPage

MAP_MEASURES = {
    "coverage": "پوشش (ذی‌نفع به جمعیت)",
    "beneficiaries": "ذی‌نفعان",
    "silent": "خانه‌های خاموش",
}


class MapForm(DashboardForm):
    measure = forms.ChoiceField(
        label="رنگ دایره‌ها", required=False, choices=list(MAP_MEASURES.items())
    )

    def map_measure(self) -> str:
        return self.values.get("measure") or "coverage"


def percent(share: float) -> str:
    """A share as a Persian percentage with at most one decimal: ``0.2`` → «۲۰٪»."""
    value = round(share * 100, 1)
    return f"{format_number(int(value) if value.is_integer() else value)}٪"


def _count(value) -> str:
    return format_number(round(value))


class MapView(DashboardPage):
    template_name = "reports/panel/map.html"
    form_class = MapForm
    tab = "map"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.form.map_measure()
        entries = getattr(self, f"_{measure}_entries")()
        context.update(
            measure=measure,
            measure_label=MAP_MEASURES[measure],
            entries=entries,
            map=draw_map(
                entries,
                measure_label=MAP_MEASURES[measure],
                format_value=percent if measure == "coverage" else _count,
            ),
            silent_days=DEFAULT_SILENT_DAYS,
        )
        return context

    def _neighbourhood_rows(self):
        return aggregates.breakdown(self.selected, "neighbourhood", self.selection, self.scope).rows

    def _coverage_entries(self) -> list[MapEntry]:
        entries = []
        for row in self._neighbourhood_rows():
            n = row.subject.obj
            share = aggregates.Indicator(row.subject, row.figures, n.population, n.households)
            coverage = share.coverage
            text = percent(coverage) if coverage is not None else "جمعیت ثبت نشده"
            entries.append(MapEntry(n, coverage, text))
        return entries

    def _beneficiaries_entries(self) -> list[MapEntry]:
        return [
            MapEntry(row.subject.obj, row.figures.beneficiaries, _count(row.figures.beneficiaries))
            for row in self._neighbourhood_rows()
        ]

    def _silent_entries(self) -> list[MapEntry]:
        reporting = aggregates.completeness(
            self.records,
            selection=self.selection,
            scope=self.scope,
            today=dt.date.today(),
            silent_after_days=DEFAULT_SILENT_DAYS,
        )
        silent: dict[int, int] = {}
        for house in reporting.houses:
            if house.is_silent:
                key = house.house.neighbourhood_id
                silent[key] = silent.get(key, 0) + 1
        subjects = aggregates.DIMENSIONS["neighbourhood"].subjects(self.selection, self.scope)
        return [
            MapEntry(s.obj, silent.get(s.key, 0), _count(silent.get(s.key, 0))) for s in subjects
        ]
