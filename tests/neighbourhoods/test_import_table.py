"""Reading the uploaded file: encodings, headers, formats, limits, and files that are broken."""

import pytest

from core import spreadsheets
from neighbourhoods import import_table
from neighbourhoods.import_table import ImportFileError, read_table, sample_csv
from tests.samples import GOOD_ROWS, HEADER, csv_bytes, xlsx_bytes


def fields(table):
    return [column.field for column in table.columns]


def test_utf8_csv_with_and_without_bom_reads_the_same():
    with_bom = read_table(csv_bytes(GOOD_ROWS, bom=True), "a.csv")
    without = read_table(csv_bytes(GOOD_ROWS), "a.csv")
    assert with_bom == without
    assert with_bom.rows[0] == (
        2,
        {
            "city": "سمنان",
            "name": "کوی زرین",
            "code": "SMN-001",
            "population": "4200",
            "households": "1150",
            "latitude": "35.5729",
            "longitude": "53.3971",
        },
    )


def test_english_headers_in_any_case_and_order_are_understood():
    header = ["Code", "Neighbourhood_Name", "CITY", "Population", "lat", "lng", "Households"]
    table = read_table(
        csv_bytes([["X-1", "الف", "سمنان", "10", "35", "53", "2"]], header=header), "a.csv"
    )
    assert set(fields(table)) == {c.field for c in import_table.COLUMNS}
    assert table.rows[0][1]["city"] == "سمنان"
    assert table.rows[0][1]["households"] == "2"


def test_persian_headers_with_spacing_variants_and_notes_are_understood():
    header = ["نام‌شهر", "نام محلّه", "کد  محله (یکتا)", "جمعیت"]
    table = read_table(csv_bytes([["سمنان", "الف", "X-1", "10"]], header=header), "a.csv")
    assert fields(table) == ["city", "name", "code", "population"]


def test_unknown_columns_are_ignored():
    header = [*HEADER, "توضیحات"]
    table = read_table(csv_bytes([[*GOOD_ROWS[0], "هر چه"]], header=header), "a.csv")
    assert "توضیحات" not in table.rows[0][1]


def test_semicolon_and_tab_separated_files_are_read():
    for delimiter in (";", "\t"):
        table = read_table(csv_bytes(GOOD_ROWS, delimiter=delimiter), "a.csv")
        assert table.rows[2][1]["code"] == "MHD-001"


def test_excel_persian_windows_encoding_is_read():
    # Windows-1256 has no Persian yeh; Excel saves it as the Arabic one.
    text = csv_bytes(GOOD_ROWS[:1]).decode().replace("ی", "ي")
    table = read_table(text.encode("cp1256"), "a.csv")
    assert table.rows[0][1]["name"] == "كوي زرين".replace("ك", "ک")


def test_blank_lines_are_skipped_and_line_numbers_kept():
    data = csv_bytes([GOOD_ROWS[0], ["", "", ""], GOOD_ROWS[1]])
    assert [line for line, _ in read_table(data, "a.csv").rows] == [2, 4]


def test_xlsx_first_sheet_is_read_with_cell_types():
    table = read_table(xlsx_bytes([["سمنان", "الف", "X-1", 4200, 1150.0, 35.5, 53.25]]), "a.xlsx")
    assert table.rows[0][1]["population"] == 4200
    assert table.rows[0][1]["latitude"] == 35.5


def test_sample_template_reads_back_with_every_column():
    table = read_table(sample_csv().encode("utf-8"), "template.csv")
    assert fields(table) == [c.field for c in import_table.COLUMNS]
    assert len(table.rows) == 2
    assert sample_csv().startswith("\ufeff")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "فایل خالی است."),
        (b"\n\n,,\n", "a.csv", "فایل خالی است."),
        ("شهر,نام محله,کد محله\n".encode(), "a.csv", "فایل جز سطر عنوان هیچ ردیفی ندارد."),
        ("شهر,جمعیت\nسمنان,10\n".encode(), "a.csv", "ستون‌های لازم در سطر عنوان پیدا نشد"),
        ("شهر,شهر,نام محله,کد\n".encode(), "a.csv", "ستون «شهر» دو بار"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.xls", "قالب قدیمی اکسل (xls)"),
        (b"PK\x03\x04garbage", "a.xlsx", "این فایل XLSX معتبر نیست"),
        (b"not a workbook", "a.xlsx", "این فایل XLSX معتبر نیست"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "a.csv", "این فایل CSV یا XLSX معتبر نیست."),
    ],
)
def test_unreadable_files_raise_a_persian_message(data, filename, message):
    with pytest.raises(ImportFileError) as error:
        read_table(data, filename)
    assert message in str(error.value)


def test_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="بیش از ۲ ردیف"):
        read_table(csv_bytes(GOOD_ROWS), "a.csv")


def test_too_large_a_file_is_refused():
    data = b"x" * (import_table.MAX_FILE_BYTES + 1)
    with pytest.raises(ImportFileError, match="مگابایت"):
        read_table(data, "a.csv")


def test_unclosed_quote_in_a_huge_field_is_a_file_error():
    data = ("شهر,نام محله,کد محله\n" + 'سمنان,"' + "ا" * 200_000 + "\n").encode()
    with pytest.raises(ImportFileError, match="ساختار فایل CSV خراب است"):
        read_table(data, "a.csv")
