"""The public statistics /amar/ with its CSV and JSON, and small numbers on every public page.

The `small_world` below is built so that small counts occur: all of it in Mehr 1404.

| house        | city | domain | ben | hh | state     |
|--------------|------|--------|-----|----|-----------|
| X, «آلفا ۱»  | A    | D1     | 3   | 1  | approved  |
| X, «آلفا ۲»  | A    | D1     | 40  | 12 | approved  |
| Y, «آلفا ۱»  | A    | D2     | 25  | 2  | approved  |
| X, «بتا ۱»   | B    | D2     | 60  | 20 | approved  |
| X, «بتا ۲»   | B    | D1     | 2   | 1  | approved  |
| X, «آلفا ۱»  | A    | D1     | 900 | 300| submitted |
| X, «آلفا ۲»  | A    | D2     | 700 | 200| deleted   |

«بتا ۲» has no coordinates. Approved: 5 services, 130 beneficiaries, 36 households.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.utils import timezone

from agencies.access import SYSTEM
from agencies.choices import RecordStatus
from agencies.services import service_record_approve
from core.jalali import to_jalali
from reports.suppression import LESS_THAN
from tests.factories import (
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
)

pytestmark = pytest.mark.django_db

YEAR = "1404"
PAGE = f"/amar/?year={YEAR}"
SMALL = {"۱", "۲", "۳", "۴", "1", "2", "3", "4"}


def build_small_world() -> SimpleNamespace:
    a, b = make_city(name="الف"), make_city(name="ب")
    a1 = make_neighbourhood(
        city=a, name="آلفا ۱", code="A-1", latitude="35.500000", longitude="53.000000"
    )
    a2 = make_neighbourhood(
        city=a, name="آلفا ۲", code="A-2", latitude="35.600000", longitude="53.400000"
    )
    b1 = make_neighbourhood(
        city=b, name="بتا ۱", code="B-1", latitude="36.400000", longitude="55.000000"
    )
    b2 = make_neighbourhood(city=b, name="بتا ۲", code="B-2")
    x = make_agency(slug="x", short_name="ایکس", house_name="خانه ایکس", colour="#1f5fa8", order=1)
    y = make_agency(
        slug="y", short_name="ایگرگ", house_name="خانه ایگرگ", colour="#c62828", order=2
    )
    d1, d2 = make_domain(name="حوزه یک", order=1), make_domain(name="حوزه دو", order=2)
    t1, t2 = make_service_type(domain=d1), make_service_type(domain=d2)
    houses = SimpleNamespace(
        x_a1=make_house(agency=x, neighbourhood=a1),
        x_a2=make_house(agency=x, neighbourhood=a2),
        y_a1=make_house(agency=y, neighbourhood=a1),
        x_b1=make_house(agency=x, neighbourhood=b1),
        x_b2=make_house(agency=x, neighbourhood=b2),
    )

    def record(house, service_type, ben, hh, **fields):
        return make_record(
            house=house, service_type=service_type, beneficiaries=ben, households=hh, **fields
        )

    record(houses.x_a1, t1, 3, 1)
    record(houses.x_a2, t1, 40, 12)
    record(houses.y_a1, t2, 25, 2)
    record(houses.x_b1, t2, 60, 20)
    record(houses.x_b2, t1, 2, 1)
    pending = record(houses.x_a1, t1, 900, 300, status=RecordStatus.SUBMITTED)
    record(houses.x_a2, t2, 700, 200, deleted_at=timezone.now())
    return SimpleNamespace(
        cities=(a, b),
        neighbourhoods=SimpleNamespace(a1=a1, a2=a2, b1=b1, b2=b2),
        agencies=SimpleNamespace(x=x, y=y),
        types=(t1, t2),
        houses=houses,
        pending=pending,
    )


@pytest.fixture
def world(db):
    return build_small_world()


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


# --- Reading what visitors see ----------------------------------------------------------------


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
READ = {"th", "td", "caption", "title", "div", "li"}


class PeopleFigures(HTMLParser):
    """Every figure of people a visitor reads on a page: table cells under a «ذی‌نفع» or
    «خانوار» heading (every figure of a table whose caption is about beneficiaries), headline
    cards labelled so, and the values in the map's titles and its list beside it."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._stack = []  # open elements: [tag, classes, text pieces or None]
        self._table = None  # {"caption", "headers", "row", "in_head"}
        self._card_value = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self._stack.append([tag, classes, [] if tag in READ else None])
        if tag == "table":
            self._table = {"caption": "", "headers": [], "row": [], "in_head": False}
        elif tag == "thead" and self._table:
            self._table["in_head"] = True
        elif tag == "tr" and self._table:
            self._table["row"] = []

    def handle_data(self, data):
        for _tag, _classes, pieces in self._stack:
            if pieces is not None:
                pieces.append(data)

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, classes, pieces = self._stack.pop()
            text = " ".join("".join(pieces).split()) if pieces is not None else ""
            self._closed(open_tag, classes, text)
            if open_tag == tag:
                return

    def _closed(self, tag, classes, text):
        table = self._table
        if tag == "caption" and table:
            table["caption"] = text
        elif tag in ("th", "td") and table:
            table["row"].append(text)
        elif tag == "tr" and table:
            self._row_done(table)
        elif tag == "thead" and table:
            table["in_head"] = False
        elif tag == "table":
            self._table = None
        elif self._is_map_value(tag, text):
            self.found.append(text.rsplit(": ", 1)[1])
        elif tag == "div" and "figure-value" in classes:
            self._card_value = text
        elif tag == "div" and "figure-label" in classes and text in ("ذی‌نفع", "خانوار بهره‌مند"):
            self.found.append(self._card_value)

    def _is_map_value(self, tag, text) -> bool:
        """A circle's title («name، city: value») or an entry of the list beside the map."""
        if tag == "title":
            return ": " in text
        return tag == "li" and bool(self._stack) and "map-unplaced" in self._stack[-1][1]

    def _row_done(self, table):
        if table["in_head"]:
            table["headers"] = table["row"]
            return
        about_people = "ذی‌نفعان" in table["caption"]
        for index, text in enumerate(table["row"]):
            header = table["headers"][index] if index < len(table["headers"]) else ""
            if ("ذی‌نفع" in header or "خانوار" in header) or (about_people and index > 0):
                self.found.append(text)


def people_figures(html: str) -> list[str]:
    parser = PeopleFigures()
    parser.feed(html)
    return parser.found


def small_shown(figures) -> list[str]:
    return [text for text in figures if text in SMALL]


# --- No small number anywhere -----------------------------------------------------------------


def test_the_statistics_page_shows_no_count_of_people_from_one_to_four(client, world):
    figures = people_figures(get_ok(client, PAGE).content.decode())
    assert small_shown(figures) == []
    assert LESS_THAN in figures  # the data set has small cells: the walk saw them


@pytest.mark.parametrize(
    ("url", "hides"),
    [
        ("/neighbourhoods/A-1/", True),
        ("/neighbourhoods/B-2/", True),
        ("/agencies/x/", False),  # no small count: everything shown
        ("/agencies/y/", True),
    ],
)
def test_neighbourhood_and_agency_pages_show_no_count_from_one_to_four(client, world, url, hides):
    figures = people_figures(get_ok(client, url).content.decode())
    assert small_shown(figures) == []
    assert (LESS_THAN in figures) is hides


def test_a_neighbourhoods_cross_table_protects_its_margins_too(client, world):
    # «آلفا ۱»: 3 (X, D1) and 25 (Y, D2); alone next to 3 in its row and column, the 25s
    # would give the 3 away from the grand total 28.
    html = get_ok(client, "/neighbourhoods/A-1/").content.decode()
    table = html[html.index("تعداد ذی‌نفعان به تفکیک حوزه و دستگاه") :]
    table = table[: table.index("</table>")]
    assert "۲۵<" not in table
    assert ">۲۸</td>" in table
    assert "is-empty" not in table  # both domains have services there


def csv_rows(client):
    response = get_ok(client, f"/amar/data.csv?year={YEAR}")
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_shows_no_count_from_one_to_four(client, world):
    rows = csv_rows(client)
    people = [row[column] for row in rows for column in ("ذی‌نفعان", "خانوارهای بهره‌مند")]
    assert small_shown(people) == []
    assert LESS_THAN in people


def json_document(client, year=YEAR):
    response = get_ok(client, f"/amar/data.json?year={year}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def json_rows(document):
    yield "total", document["total"]
    for key, value in document.items():
        if key.startswith("by_"):
            for row in value:
                yield key, row


def test_the_json_shows_no_count_from_one_to_four_and_marks_what_it_hides(client, world):
    rows = list(json_rows(json_document(client)))
    values = [row[m] for _key, row in rows for m in ("beneficiaries", "households") if m in row]
    assert [v for v in values if v is not None and 1 <= v <= 4] == []
    assert None in values
    for _key, row in rows:
        hides = any(row.get(m, 0) is None for m in ("beneficiaries", "households"))
        assert row["suppressed"] is hides


# --- Nothing recoverable from the totals ------------------------------------------------------


def test_no_hidden_count_can_be_worked_out_from_a_total_shown(client, world):
    document = json_document(client)
    for measure in ("beneficiaries", "households"):
        total_hidden = document["total"][measure] is None
        for key in ("by_city", "by_neighbourhood", "by_agency", "by_domain", "by_month"):
            hidden = sum(row[measure] is None for row in document[key]) + total_hidden
            assert hidden != 1, (measure, key)
        for city in ("الف", "ب"):
            parts = [r for r in document["by_neighbourhood"] if r["city"] == city]
            city_row = next(r for r in document["by_city"] if r["name"] == city)
            hidden = sum(r[measure] is None for r in parts) + (city_row[measure] is None)
            assert hidden != 1, (measure, city)


def test_the_expected_cells_are_hidden(client, world):
    document = json_document(client)
    by_code = {
        r["code"]: (r["beneficiaries"], r["households"]) for r in document["by_neighbourhood"]
    }
    # «بتا ۲» has 2 beneficiaries: «بتا ۱» goes with it, or Shahr-e B's 62 would tell.
    assert by_code == {
        "A-1": (28, None),
        "A-2": (40, None),
        "B-1": (None, None),
        "B-2": (None, None),
    }
    assert [(r["beneficiaries"], r["households"]) for r in document["by_agency"]] == [
        (105, None),
        (25, None),
    ]
    assert document["total"]["beneficiaries"] == 130


# --- What is counted ------------------------------------------------------------------------------


def test_only_approved_records_count(client, world):
    response = get_ok(client, PAGE)
    total = response.context["stats"].total
    assert (total["records"].value, total["beneficiaries"].value) == (5, 130)
    assert json_document(client)["total"]["records"] == 5


def test_approving_a_record_moves_the_cached_page_on(
    client, world, django_capture_on_commit_callbacks
):
    get_ok(client, PAGE)
    assert get_ok(client, PAGE)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        service_record_approve(record=world.pending, user=SYSTEM)
    response = get_ok(client, PAGE)
    assert response["X-Page-Cache"] == "miss"
    assert response.context["stats"].total["beneficiaries"].value == 1030


def test_a_second_visit_is_served_from_the_cache_without_a_query(
    client, world, django_assert_num_queries
):
    get_ok(client, PAGE)
    with django_assert_num_queries(0):
        response = get_ok(client, PAGE)
    assert response["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("extra", [5, 60])
def test_the_page_runs_the_same_queries_for_more_records(
    client, world, extra, django_assert_max_num_queries
):
    t1, t2 = world.types
    houses = list(vars(world.houses).values())
    for i in range(extra):
        make_record(house=houses[i % len(houses)], service_type=(t1, t2)[i % 2])
    # 1 for the years, 2 for each of four breakdowns, 1 for the months, 1 for the years'
    # services, 1 for the households reached, 1 for the page cache's next scheduled change
    with django_assert_max_num_queries(13):
        response = get_ok(client, PAGE)
    assert response.context["stats"].total["records"].value == 5 + extra


@pytest.mark.parametrize("url", ["/amar/data.csv", "/amar/data.json"])
def test_the_downloads_are_cached_too(client, world, url, django_assert_num_queries):
    get_ok(client, f"{url}?year={YEAR}")
    with django_assert_num_queries(0):
        get_ok(client, f"{url}?year={YEAR}")


# --- The year -------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["abc", "99999999999999999999999", "1300", "", "۱۴۰۴x"])
def test_a_bad_year_gives_the_current_year(client, world, year):
    response = get_ok(client, f"/amar/?year={year}")
    assert response.context["stats"].year == to_jalali(timezone.localdate()).year


def test_the_year_may_be_written_in_persian_digits(client, world):
    assert get_ok(client, "/amar/?year=۱۴۰۴").context["stats"].year == 1404


def test_the_year_choice_lists_years_with_records_and_this_year(client, world):
    stats = get_ok(client, PAGE).context["stats"]
    assert stats.years == sorted({1404, to_jalali(timezone.localdate()).year}, reverse=True)


# --- Charts, tables, downloads ------------------------------------------------------------------


def test_each_chart_has_the_numbers_of_the_table_under_it(client, world):
    response = get_ok(client, PAGE)
    charts, tables = response.context["chart_data"], response.context["tables"]
    for key in ("city", "agency", "domain", "month"):
        assert charts[key]["values"] == [r.figures["records"].value for r in tables[key].rows]
    assert charts["agency"]["values"] == [4, 1]
    assert charts["agency"]["colours"] == ["#1f5fa8", "#c62828"]
    assert charts["month"]["values"][6] == 5  # Mehr
    assert charts["year"]["labels"][-1] == "۱۴۰۴" or "۱۴۰۴" in charts["year"]["labels"]
    assert 'id="statistics-data"' in response.content.decode()


def test_the_csv_has_the_same_numbers_as_the_page(client, world):
    rows = csv_rows(client)
    total = rows[0]
    assert (total["جدول"], total["تعداد خدمت"], total["ذی‌نفعان"]) == ("کل استان", "5", "130")
    b2 = next(r for r in rows if r["شناسه"] == "B-2")
    assert (b2["جدول"], b2["شهر"], b2["ذی‌نفعان"], b2["خانوارهای بهره‌مند"]) == (
        "محله",
        "ب",
        LESS_THAN,
        LESS_THAN,
    )


def test_a_name_a_spreadsheet_would_run_is_written_as_text(client, world):
    world.neighbourhoods.a2.name = "=HYPERLINK(1)"
    world.neighbourhoods.a2.save()
    row = next(r for r in csv_rows(client) if r["شناسه"] == "A-2")
    assert row["عنوان"] == "'=HYPERLINK(1)"


def test_the_page_documents_the_data_and_its_licence(client, world):
    html = get_ok(client, PAGE).content.decode()
    assert f'href="/amar/data.csv?year={YEAR}"' in html
    assert f'href="/amar/data.json?year={YEAR}"' in html
    assert "CC BY 4.0" in html and "دبیرخانهٔ طرح" in html
    assert json_document(client)["licence"]["name"] == "CC BY 4.0"


def test_the_site_header_links_the_statistics(client, world):
    html = get_ok(client, "/").content.decode()
    assert re.search(r'href="/amar/"[^>]*>آمار<', html)


def test_an_empty_province_has_a_page(client, db):
    response = get_ok(client, "/amar/")
    assert response.context["stats"].total["records"].value == 0
    assert json_document(client, year="")["total"]["suppressed"] is False
