"""Tables written as XLSX and CSV: read back with openpyxl and csv, cell by cell."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import Http404
from openpyxl import load_workbook

from core.exports import Sheet, csv_response, export_response, xlsx_response

# 1405/09/10 is the first of December 2026.
AZAR_10 = dt.date(2026, 12, 1)
HEADER = ["شناسه", "تاریخ", "توضیحات"]


def read_xlsx(response):
    """The first sheet of an XLSX response, read back from the bytes it streams."""
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def xlsx_cells(response) -> list[list]:
    return [[cell.value for cell in row] for row in read_xlsx(response).iter_rows()]


def read_csv_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_rows(response) -> list[list[str]]:
    return parse_csv(read_csv_bytes(response))


def sheet(*rows, header=HEADER):
    return Sheet(title="خدمات ثبت‌شده", header=header, rows=iter(rows))


# --- XLSX ------------------------------------------------------------------------------


def test_xlsx_keeps_numbers_as_numbers_negative_and_decimal_too():
    ws = read_xlsx(xlsx_response(sheet([7, Decimal("2.5"), -3, 0.25]), filename="t"))
    cells = ws[2]
    assert [(c.value, c.data_type) for c in cells] == [
        (7, "n"),
        (2.5, "n"),
        (-3, "n"),
        (0.25, "n"),
    ]


def test_xlsx_writes_dates_as_jalali_text_with_latin_digits():
    ws = read_xlsx(xlsx_response(sheet([1, AZAR_10, ""]), filename="t"))
    assert (ws["B2"].value, ws["B2"].data_type) == ("1405/09/10", "s")


def test_xlsx_stores_a_formula_typed_into_a_note_as_text():
    ws = read_xlsx(xlsx_response(sheet([1, AZAR_10, "=1+1"]), filename="t"))
    assert (ws["C2"].value, ws["C2"].data_type) == ("'=1+1", "s")


def test_xlsx_neutralises_every_character_that_starts_a_formula():
    row = ["+98", "-منفی", "@SUM(A1)", "\tx", "عادی"]
    ws = read_xlsx(xlsx_response(sheet(row, header=["a"] * 5), filename="t"))
    assert [c.value for c in ws[2]] == [
        "'+98",
        "'-منفی",
        "'@SUM(A1)",
        "'\tx",
        "عادی",
    ]


def test_xlsx_keeps_text_that_looks_like_an_error_value_as_text():
    ws = read_xlsx(xlsx_response(sheet(["#N/A"], header=["a"]), filename="t"))
    assert (ws["A2"].value, ws["A2"].data_type) == ("#N/A", "s")


def test_xlsx_drops_control_characters_a_workbook_cannot_hold():
    ws = read_xlsx(
        xlsx_response(sheet(["a\x00b\x07c", "\x01=1+1"], header=["a", "b"]), filename="t")
    )
    assert [ws["A2"].value, ws["B2"].value] == ["abc", "'=1+1"]


def test_xlsx_sheet_reads_right_to_left_with_a_bold_header_in_view():
    ws = read_xlsx(xlsx_response(sheet([1, AZAR_10, ""]), filename="t"))
    assert ws.sheet_view.rightToLeft is True
    assert [c.value for c in ws[1]] == HEADER
    assert all(cell.font.b for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.title == "خدمات ثبت‌شده"


def test_xlsx_leaves_an_empty_cell_for_none():
    assert xlsx_cells(xlsx_response(sheet([1, None, "x"]), filename="t"))[1] == [1, None, "x"]


def test_xlsx_is_an_attachment_with_a_latin_name_and_not_cached():
    response = xlsx_response(sheet(), filename="records-1405")
    assert response["Content-Disposition"] == 'attachment; filename="records-1405.xlsx"'
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "no-store" in response["Cache-Control"]
    response.file_to_stream.close()  # (closing the response would signal a request end)


# --- CSV -------------------------------------------------------------------------------


def test_csv_starts_with_a_byte_order_mark():
    assert read_csv_bytes(csv_response(sheet(), filename="t")).startswith(b"\xef\xbb\xbf")


def test_csv_header_and_rows_come_back_cell_by_cell():
    response = csv_response(sheet([12, AZAR_10, "ویزیت در حسینیه"], [-3, None, "۱۲"]), filename="t")
    assert csv_rows(response) == [
        HEADER,
        ["12", "1405/09/10", "ویزیت در حسینیه"],
        ["-3", "", "۱۲"],
    ]


def test_csv_neutralises_formulas_with_an_apostrophe():
    row = ["=1+1", "+98", "-x", "@x", "\tx", "\rx"]
    response = csv_response(sheet(row, header=["a"] * 6), filename="t")
    assert csv_rows(response)[1] == ["'=1+1", "'+98", "'-x", "'@x", "'\tx", "'\rx"]


def test_csv_is_produced_while_it_is_sent():
    consumed = []

    def rows():
        for n in range(5000):
            consumed.append(n)
            yield [n, AZAR_10, "یادداشتی نسبتاً بلند برای پر کردن بخش‌ها" * 3]

    response = csv_response(Sheet(title="t", header=HEADER, rows=rows()), filename="t")
    assert consumed == []  # nothing read before the body is asked for
    chunks = list(response.streaming_content)
    assert len(consumed) == 5000
    assert len(chunks) > 1
    assert len(parse_csv(b"".join(chunks))) == 5001


def test_csv_is_an_attachment_in_utf8():
    response = csv_response(sheet(), filename="dashboard city 1405")
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-city-1405.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_an_unknown_format_is_not_found():
    with pytest.raises(Http404):
        export_response(sheet(), fmt="pdf", filename="t")
