"""The public statistics at /amar/: the province's figures for one Jalali year, as visitors may
see them, and the same figures as rows for the CSV and JSON downloads.

Only approved records count (``ServiceRecord.objects.public()``); subjects are listed through
the portal's own scope (``scope_for(SYSTEM)``), so every city, agency and domain has its row,
zero or not. Counts of people and households pass through :mod:`reports.suppression` once,
all tables of the page together (they share the year's total, and each neighbourhood adds up
to its city), so the page, the CSV and the JSON hide exactly the same cells.

Beside the sum of beneficiaries (each service's count, added up), the year's households
reached are counted once each, with their members (``aggregates.households_reached``, from the
households the records list): two figures no table adds up to, hidden from 1 to 4 like every
count of people, the members with the households when these are hidden.
"""

import datetime as dt
from dataclasses import dataclass

from agencies.access import SYSTEM, scope_for
from agencies.models import ServiceRecord
from core.digits import format_number, to_persian_digits
from core.jalali import days_in_month, to_gregorian, to_jalali
from core.periods import Period
from reports.aggregates import Selection, breakdown, households_reached
from reports.maps import MapEntry, NeighbourhoodMap, draw_map
from reports.suppression import (
    LESS_THAN,
    PUBLIC_MEASURES,
    THRESHOLD,
    WITHHELD,
    Cell,
    Nesting,
    ShownBreakdown,
    counts_people,
    is_small,
    protect_breakdown,
    protect_breakdowns,
)

TABLES = ("city", "agency", "domain", "month", "neighbourhood")
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.fa"
ATTRIBUTION = "دبیرخانهٔ طرح محرومیت‌زدایی و توانمندسازی اجتماعی ۲۰۲۰ محلهٔ استان سمنان"
SUPPRESSION_RULE = (
    "تعداد افراد و خانوارها از ۱ تا ۴ نشان داده نمی‌شود؛ هر عدد دیگری هم که با کم کردن "
    "عددهای پیدا از یک جمعِ پیدا به دست آید پنهان می‌شود. جای عدد پنهان null است و "
    "سطرش suppressed: true دارد."
)
TABLE_LABELS = {
    "total": "کل استان",
    "city": "شهر",
    "agency": "دستگاه",
    "domain": "حوزه",
    "month": "ماه",
    "neighbourhood": "محله",
    "year": "سال",
    "reached": "هر خانوار یک بار",
}
REACHED_LABEL = "خانوارهای یکتا (از خدمت‌های دارای فهرست خانوار)"
REACHED_PEOPLE_LABEL = "افراد این خانوارها"
REACHED_NOTE = (
    "هر خانوار یک بار شمرده می‌شود، هرچند دستگاه که به آن خدمت داده باشند، و افرادش جمع اعضای "
    "همین خانوارهاست؛ فقط خدمت‌هایی که فهرست خانوار دارند. ذی‌نفعان جمع شمار هر خدمت است: "
    "کسی که از دو خدمت بهره برده دو بار شمرده شده است."
)


def public_records():
    return ServiceRecord.objects.public()


def year_choices(today: dt.date) -> list[int]:
    """The Jalali years holding approved records, and the current one, newest first."""
    years = set(public_records().values_list("jalali_year", flat=True).distinct().order_by())
    years.add(to_jalali(today).year)
    return sorted(years, reverse=True)


def chosen_year(raw, years: list[int], default: int) -> int:
    """The ``?year=`` asked for if it is one of *years* (in any digits); else *default*."""
    try:
        year = int(str(raw).strip().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
    except (TypeError, ValueError):
        return default
    return year if year in years else default


@dataclass(frozen=True)
class ProvinceStatistics:
    year: int
    years: list[int]
    period: Period
    tables: dict[str, ShownBreakdown]  # city, agency, domain, month, neighbourhood
    by_year: ShownBreakdown  # services per year, over every year
    total: dict
    reached: dict[str, Cell]  # households (each once) and people (their members), protected

    @property
    def has_records(self) -> bool:
        return bool(self.total["records"].value)


def province_statistics(year: int, years: list[int]) -> ProvinceStatistics:
    """Everything /amar/ shows for *year* (*years*: the choices, for the yearly trend)."""
    scope = scope_for(SYSTEM)
    selection = Selection(period=Period.of_year(year))
    selected = selection.apply(public_records())
    tables = {key: breakdown(selected, key, selection, scope) for key in TABLES}
    shown = protect_breakdowns(
        tables,
        nestings=[Nesting("neighbourhood", "city", lambda subject: subject.obj.city_id)],
    )
    return ProvinceStatistics(
        year=year,
        years=years,
        period=selection.period,
        tables=shown,
        by_year=_by_year(years, scope),
        total=shown["city"].total,
        reached=protect_reached(*households_reached(selected)),
    )


def protect_reached(households: int, people: int) -> dict[str, Cell]:
    """The households reached and their people as visitors see them: 1 to 4 households read
    «کمتر از ۵», and then their people are withheld too (they would describe those few
    households); people from 1 to 4 are only ever the people of so few households."""
    if is_small(households) or is_small(people):
        return {"households": Cell.hidden(), "people": Cell.hidden(small=is_small(people))}
    return {"households": Cell.shown(households), "people": Cell.shown(people)}


def _by_year(years: list[int], scope) -> ShownBreakdown:
    first, last = min(years), max(years)
    span = Period.of_range(
        to_gregorian(first, 1, 1), to_gregorian(last, 12, days_in_month(last, 12))
    )
    table = breakdown(public_records(), "year", Selection(period=span), scope)
    return protect_breakdown(table, measures=("records",))


# --- The map ------------------------------------------------------------------------------


def beneficiaries_map(statistics: ProvinceStatistics) -> NeighbourhoodMap:
    """The neighbourhoods coloured by their beneficiaries in the year, as protected."""
    entries = [
        MapEntry(
            neighbourhood=row.subject.obj,
            value=row.figures["beneficiaries"].value,
            text=str(row.figures["beneficiaries"]),
            protected=row.figures["beneficiaries"].protected,
        )
        for row in statistics.tables["neighbourhood"].rows
    ]
    return draw_map(
        entries,
        measure_label="ذی‌نفعان",
        format_value=lambda v: format_number(round(v)),
        protected_label=f"{LESS_THAN} یا {WITHHELD}",
    )


# --- Rows for the downloads ---------------------------------------------------------------

FIELDS = ("table", "year", "key", "name", "city", *PUBLIC_MEASURES)


def _subject_fields(key: str, subject) -> dict:
    obj = subject.obj
    if key == "city":
        return {"key": obj.slug, "name": obj.name}
    if key == "agency":
        return {"key": obj.slug, "name": obj.short_name}
    if key == "domain":
        return {"key": obj.slug, "name": obj.name}
    if key == "neighbourhood":
        return {"key": obj.code, "name": obj.name, "city": obj.city.name}
    if key == "month":
        return {"key": f"{subject.key[0]}-{subject.key[1]:02d}", "name": subject.label}
    return {"key": str(subject.key), "name": to_persian_digits(subject.key)}


def export_rows(statistics: ProvinceStatistics) -> list[dict]:
    """One row per figure line, each measure a :class:`~reports.suppression.Cell`: the year's
    total, then each table, then services per year."""
    rows = [
        {"table": "total", "year": statistics.year, "key": "", "name": "", "city": "",
         **statistics.total}
    ]  # fmt: skip
    for key in TABLES:
        for row in statistics.tables[key].rows:
            rows.append(
                {"table": key, "year": statistics.year, "city": "",
                 **_subject_fields(key, row.subject), **row.figures}
            )  # fmt: skip
    for row in statistics.by_year.rows:
        rows.append(
            {"table": "year", "year": row.subject.key, "city": "",
             **_subject_fields("year", row.subject), **row.figures}
        )  # fmt: skip
    rows.append(_reached_row(statistics))
    return rows


def _reached_row(statistics: ProvinceStatistics) -> dict:
    """The year's households reached, each once, in the households column, and their people
    in the beneficiaries column; services and cost are left blank (they are the total's)."""
    return {
        "table": "reached",
        "year": statistics.year,
        "key": "reached",
        "name": f"{REACHED_LABEL}؛ ستون ذی‌نفعان: {REACHED_PEOPLE_LABEL}",
        "city": "",
        "records": "",
        "beneficiaries": statistics.reached["people"],
        "households": statistics.reached["households"],
        "cost": "",
    }


def _json_row(key: str, subject, figures: dict) -> dict:
    item = _json_subject(key, subject)
    for measure, cell in figures.items():
        item[_json_name(measure)] = cell.value
    item["suppressed"] = any(cell.protected for cell in figures.values())
    return item


def _json_name(measure: str) -> str:
    return "cost_rials" if measure == "cost" else measure


def _json_subject(key: str, subject) -> dict:
    if key == "total":
        return {}
    obj = subject.obj
    if key == "neighbourhood":
        return {
            "code": obj.code,
            "name": obj.name,
            "city": obj.city.name,
            "latitude": float(obj.latitude) if obj.latitude is not None else None,
            "longitude": float(obj.longitude) if obj.longitude is not None else None,
        }
    if key == "month":
        return {"year": subject.key[0], "month": subject.key[1], "name": subject.label}
    if key == "year":
        return {"year": subject.key}
    fields = _subject_fields(key, subject)
    return {"slug": fields["key"], "name": fields["name"]}


def _json_reached(statistics: ProvinceStatistics) -> dict:
    households, people = statistics.reached["households"], statistics.reached["people"]
    return {
        "year": statistics.year,
        "households": households.value,
        "people": people.value,
        "suppressed": households.protected or people.protected,
        "counted": REACHED_NOTE,
    }


def export_document(statistics: ProvinceStatistics) -> dict:
    """The JSON download: what was counted, the licence, and every table of the page."""
    document = {
        "title": f"آمار خدمات طرح ۲۰۲۰ محله در استان سمنان، {statistics.period.label}",
        "year": statistics.year,
        "years": sorted(statistics.years),
        "counted": "فقط خدمت‌های تأییدشده و حذف‌نشده",
        "licence": {"name": LICENCE, "url": LICENCE_URL, "attribution": ATTRIBUTION},
        "suppression": {
            "threshold": THRESHOLD,
            "measures": [m for m in PUBLIC_MEASURES if counts_people(m)],
            "rule": SUPPRESSION_RULE,
        },
        "total": _json_row("total", None, statistics.total) | {"year": statistics.year},
        "reached": _json_reached(statistics),
    }
    for key in TABLES:
        document[f"by_{key}"] = [
            _json_row(key, row.subject, row.figures) for row in statistics.tables[key].rows
        ]
    document["by_year"] = [
        _json_row("year", row.subject, row.figures) for row in statistics.by_year.rows
    ]
    return document
