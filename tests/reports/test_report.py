"""The governor's report: the print page and its PDF (WeasyPrint), from a small data set.

| record | house                 | date       | ben | hh | dis | cost (rials) | state    |
|--------|-----------------------|------------|-----|----|-----|--------------|----------|
| a      | Emdad, Laleh (Damghan)| 1404/07/09 | 12  | 3  | 2   | 1,250,000    | approved |
| b      | Emdad, Laleh (Damghan)| 1404/08/20 | 30  | 7  | 1   | 4,000,000    | approved |
| c      | Helal, Sepidar (Sh.)  | 1404/07/15 | 777 | 55 | 9   | 98,765,000   | approved |
| d      | Emdad, Laleh (Damghan)| 1404/09/01 | 500 | 90 | 0   | 9,000,000    | deleted  |

For 1404 the coordinator counts a, b, c: 3 services, 819 beneficiaries, 65 households, 12 people
with disabilities, 104,015,000 rials. Emdad's clerk counts a and b only: 2, 42, 10, 3,
5,250,000.
"""

import subprocess

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.jalali import to_gregorian
from core.periods import Period
from reports.aggregates import (
    DIMENSIONS,
    Breakdown,
    Figures,
    Row,
    Selection,
    Subject,
    Trend,
    TrendRow,
)
from reports.charts import axis_for, bar_chart, column_chart
from tests.factories import (
    StaffRole,
    make_agency,
    make_city,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
    make_user,
)

pytestmark = pytest.mark.django_db

PAGE = "/panel/dashboard/report/"
PDF = "/panel/dashboard/report.pdf"
YEAR = {"year": "1404"}
ZWNJ = "\u200c"


def _presentation_form(char: str) -> bool:
    """Arabic presentation forms: what a PDF holds when letters were shaped by hand."""
    return "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff"


@pytest.fixture
def world():
    damghan, shahrud = make_city(name="دامغان"), make_city(name="شاهرود")
    laleh = make_neighbourhood(city=damghan, name="کوی لاله")
    sepidar = make_neighbourhood(city=shahrud, name="کوی سپیدار")
    emdad = make_agency(slug="emdad", short_name="خانه امداد", colour="#1f5fa8", order=1)
    helal = make_agency(slug="helal", short_name="خانه هلال", colour="#c62828", order=2)
    emdad_house = make_house(agency=emdad, neighbourhood=laleh)
    helal_house = make_house(agency=helal, neighbourhood=sepidar)
    service = make_service_type(name="کارگاه مهارت")

    def record(house, date, ben, hh, dis, cost, **extra):
        return make_record(
            house=house,
            service_type=service,
            delivered_on=to_gregorian(*date),
            beneficiaries=ben,
            households=hh,
            disabled=dis,
            cost_rials=cost,
            **extra,
        )

    record(emdad_house, (1404, 7, 9), 12, 3, 2, 1_250_000)
    record(emdad_house, (1404, 8, 20), 30, 7, 1, 4_000_000)
    record(helal_house, (1404, 7, 15), 777, 55, 9, 98_765_000)
    record(emdad_house, (1404, 9, 1), 500, 90, 0, 9_000_000, deleted_at=timezone.now())
    return {
        "coordinator": make_user(role=StaffRole.COORDINATOR),
        "emdad_clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad),
        "emdad": emdad,
    }


def _get(client, user, url, params):
    client.force_login(user)
    return client.get(url, params)


def _headline(label: str, value: str) -> str:
    return f"<dt>{label}</dt><dd>{value}</dd>"


def _pdf_text(content: bytes, tmp_path) -> tuple[str, str]:
    """The text of the PDF as pypdf and as poppler's pdftotext read it. A zero-width non-joiner
    is no glyph, so neither gives it back: «ذی‌نفعان» is read as «ذینفعان»."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    by_pypdf = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    by_poppler = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return by_pypdf, by_poppler


# --- The print page --------------------------------------------------------------------


def test_the_print_page_shows_the_headline_figures_of_the_year(client, world):
    response = _get(client, world["coordinator"], PAGE, YEAR)
    text = response.content.decode()
    shown = [
        _headline("تعداد خدمت", "۳") in text,
        _headline("ذی‌نفعان", "۸۱۹") in text,
        _headline("خانوارهای بهره‌مند", "۶۵") in text,
        _headline("توان‌خواهان", "۱۲") in text,
        _headline("هزینه (ریال)", "۱۰۴٬۰۱۵٬۰۰۰") in text,
    ]
    assert shown == [True] * 5


def test_the_print_page_names_its_period_filters_and_title(client, world):
    response = _get(client, world["coordinator"], PAGE, {**YEAR, "status": "approved"})
    text = response.content.decode()
    lines = [
        "<h1>گزارش برنامهٔ محله‌های کم‌برخوردار استان سمنان</h1>" in text,
        "<div><dt>دوره</dt><dd>سال ۱۴۰۴</dd></div>" in text,
        "<div><dt>وضعیت</dt><dd>تأییدشده</dd></div>" in text,
    ]
    assert lines == [True] * 3


def test_a_clerks_report_holds_only_her_agency(client, world):
    text = _get(client, world["emdad_clerk"], PAGE, YEAR).content.decode()
    assert (_headline("ذی‌نفعان", "۴۲") in text, "کوی سپیدار" in text, "۷۷۷" in text) == (
        True,
        False,
        False,
    )


def test_the_coordinators_report_lists_the_other_agencys_silent_house(client, world):
    """The counterpart of the clerk's test: the same names do appear for the province."""
    text = _get(client, world["coordinator"], PAGE, YEAR).content.decode()
    assert ("کوی سپیدار" in text, "۷۷۷" in text) == (True, True)


def test_bars_of_agencies_are_drawn_in_their_colours(client, world):
    text = _get(client, world["coordinator"], PAGE, YEAR).content.decode()
    assert ('fill="#1f5fa8"' in text, 'fill="#c62828"' in text) == (True, True)


def test_names_are_escaped_in_charts_and_tables(client, world):
    world["emdad"].short_name = '<b onclick="x()">امداد</b>'
    world["emdad"].save()
    text = _get(client, world["coordinator"], PAGE, YEAR).content.decode()
    assert ("<b onclick" in text, "&lt;b onclick=&quot;x()&quot;&gt;امداد&lt;/b&gt;" in text) == (
        False,
        True,
    )


def test_the_links_keep_the_query_string(client, world):
    text = _get(client, world["coordinator"], PAGE, {**YEAR, "measure": "cost"}).content.decode()
    assert 'href="/panel/dashboard/report.pdf?year=1404&amp;measure=cost"' in text


BAD_QUERY = {
    "period": "zzz",
    "year": "abc",
    "quarter": "9",
    "month": "13",
    "start": "1404/13/40",
    "end": "۱۴۰۴/۰۲/۳۲",
    "city": "999999",
    "neighbourhood": "x",
    "agency": "abc",
    "domain": "-1",
    "service_type": "1e9",
    "status": "nope",
    "measure": "<script>",
}


@pytest.mark.parametrize("url", [PAGE, PDF])
def test_bad_query_values_give_the_default_report(client, world, url):
    response = _get(client, world["coordinator"], url, BAD_QUERY)
    assert response.status_code == 200


def test_bad_query_values_fall_back_to_this_year(client, world):
    response = _get(client, world["coordinator"], PAGE, BAD_QUERY)
    assert response.context["selection"] == Selection(period=Period.current_year())


# --- The PDF ---------------------------------------------------------------------------


def test_the_pdf_is_a_pdf(client, world):
    response = _get(client, world["coordinator"], PDF, YEAR)
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )


def test_the_pdf_text_is_persian_in_normal_letters(client, world, tmp_path):
    content = _get(client, world["coordinator"], PDF, YEAR).content
    words = ["گزارش", "ذی‌نفعان".replace(ZWNJ, ""), "دامغان", "شاهرود"]
    for text in _pdf_text(content, tmp_path):
        found = [word in text for word in words]
        shaped_by_hand = [char for char in text if _presentation_form(char)]
        assert (found, shaped_by_hand) == ([True] * len(words), [])


def test_the_pdf_embeds_the_sites_font(client, world, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_get(client, world["coordinator"], PDF, YEAR).content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    names = {line.split()[0].split("+")[-1] for line in fonts.stdout.splitlines()[2:]}
    assert names == {"Vazirmatn", "Vazirmatn-Bold"}


def test_a_clerks_pdf_holds_only_her_agency(client, world, tmp_path):
    content = _get(client, world["emdad_clerk"], PDF, YEAR).content
    by_pypdf, by_poppler = _pdf_text(content, tmp_path)
    assert ("سپیدار" in by_pypdf, "سپیدار" in by_poppler) == (False, False)


# --- The charts, as pure functions of the aggregates ------------------------------------


def _breakdown(*values_and_colours) -> Breakdown:
    rows = [
        Row(Subject(i, f"دستگاه {i}", colour=colour), Figures(beneficiaries=value))
        for i, (value, colour) in enumerate(values_and_colours)
    ]
    return Breakdown(DIMENSIONS["agency"], rows, Figures.add(r.figures for r in rows))


def test_bars_grow_leftward_from_the_right_edge():
    chart = bar_chart(_breakdown((150, "#123456"), (60, "#abcdef")), "beneficiaries", title="")
    # Four steps of 50 reach 200: 150 fills three quarters of the axis, from the right.
    assert [(bar.start, bar.length) for bar in chart.bars] == [(25.0, 75.0), (70.0, 30.0)]


def test_a_colour_that_is_not_a_colour_is_replaced():
    chart = bar_chart(_breakdown((1, '"><script>'), (1, "#1f5fa8")), "beneficiaries", title="")
    assert [bar.colour for bar in chart.bars] == ["#0f5c4d", "#1f5fa8"]


def test_axis_ticks_are_round_and_in_persian_digits():
    assert [tick.label for tick in axis_for(9_999_999_999).ticks] == [
        "۰",
        "۲٫۵ میلیارد",
        "۵ میلیارد",
        "۷٫۵ میلیارد",
        "۱۰ میلیارد",
    ]


def test_each_month_has_last_years_column_beside_this_periods():
    rows = [
        TrendRow("فروردین", Figures(records=8), Figures(records=2)),
        TrendRow("اردیبهشت", Figures(records=0), Figures(records=10)),
    ]
    period = Period.of_year(1404)
    trend = Trend(
        period,
        period.a_year_before(),
        rows,
        Figures.add(r.current for r in rows),
        Figures.add(r.previous for r in rows),
    )
    chart = column_chart(trend, "records", title="")
    heights = [(g.label, g.previous.height, g.current.height) for g in chart.groups]
    assert (heights, chart.previous_label, chart.current_label) == (
        [("فروردین", 20.0, 80.0), ("اردیبهشت", 100.0, 0.0)],
        "سال ۱۴۰۳",
        "سال ۱۴۰۴",
    )


def test_after_a_pdf_a_cut_off_photo_is_still_refused(client, world):
    from core.images import ImageRejected, clean_image_upload
    from tests.samples import image_bytes, picture, upload

    assert _get(client, world["coordinator"], PDF, YEAR).status_code == 200
    data = image_bytes("JPEG", picture(400, 300))
    with pytest.raises(ImageRejected):
        clean_image_upload(upload("cut.jpg", data[: len(data) // 2]))
