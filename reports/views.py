"""The public statistics page /amar/ and its downloads, /amar/data.csv and /amar/data.json.

All three read the same ``?year=`` (a Jalali year holding approved records, or the current
one; anything else is the default) and show the same figures, built once by
``reports.statistics.province_statistics`` with small numbers protected. They are cached for
anonymous visitors like every public page (``core.caching.public_page`` in ``urls.py``).
"""

import json

from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from core.exports import Sheet, csv_chunks
from core.jalali import PERSIAN_MONTHS, to_jalali
from reports import statistics
from reports.suppression import LESS_THAN, THRESHOLD, WITHHELD

CSV_HEADER = (
    "جدول",
    "سال",
    "شناسه",
    "عنوان",
    "شهر",
    "تعداد خدمت",
    "ذی‌نفعان",
    "خانوارهای بهره‌مند",
    "هزینه (ریال)",
)


def _statistics_for(request) -> statistics.ProvinceStatistics:
    today = timezone.localdate()
    years = statistics.year_choices(today)
    year = statistics.chosen_year(request.GET.get("year"), years, to_jalali(today).year)
    return statistics.province_statistics(year, years)


class StatisticsView(TemplateView):
    template_name = "reports/statistics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = _statistics_for(self.request)
        context.update(
            stats=figures,
            tables=figures.tables,
            map=statistics.beneficiaries_map(figures),
            chart_data=_chart_data(figures),
            less_than=LESS_THAN,
            withheld=WITHHELD,
            threshold=THRESHOLD,
            licence=statistics.LICENCE,
            licence_url=statistics.LICENCE_URL,
            attribution=statistics.ATTRIBUTION,
        )
        return context


def _chart_data(figures: statistics.ProvinceStatistics) -> dict:
    """What statistics.js draws: services, the same numbers as the tables under the charts."""

    def series(table, label=lambda subject: subject.label):
        return {
            "labels": [label(row.subject) for row in table.rows],
            "values": [row.figures["records"].value for row in table.rows],
            "colours": [_colour(row.subject.colour) for row in table.rows],
        }

    charts = {key: series(figures.tables[key]) for key in ("city", "agency", "domain")}
    charts["month"] = series(figures.tables["month"], lambda s: PERSIAN_MONTHS[s.key[1] - 1])
    charts["year"] = series(figures.by_year)
    charts["label"] = "تعداد خدمت"
    return charts


def _colour(value: str) -> str:
    """An agency's colour if it is a plain ``#rrggbb``; otherwise none (the chart's own)."""
    text = (value or "").strip()
    if len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return text
    return ""


def _csv_value(value):
    if hasattr(value, "protected"):
        return value.text if value.protected else value.value
    return value


def statistics_csv(request):
    """The page's figures as CSV (UTF-8 with a BOM): one row per line of every table."""
    figures = _statistics_for(request)
    keys = ("table", "year", "key", "name", "city", "records", "beneficiaries", "households")
    rows = [
        [statistics.TABLE_LABELS[row["table"]] if k == "table" else _csv_value(row.get(k, ""))
         for k in keys] + [_csv_value(row.get("cost", ""))]
        for row in statistics.export_rows(figures)
    ]  # fmt: skip
    body = b"".join(csv_chunks(Sheet(title="آمار", header=CSV_HEADER, rows=rows)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="amar-{figures.year}.csv"'
    return response


def statistics_json(request):
    """The page's figures as JSON; a protected value is ``null`` in a row marked
    ``"suppressed": true``."""
    document = statistics.export_document(_statistics_for(request))
    body = json.dumps(document, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response
