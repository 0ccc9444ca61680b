"""Writing a table out for a spreadsheet: XLSX or CSV, streamed, and safe to open.

A :class:`Sheet` is a title, a header row of Persian labels and an iterable of rows; the rows
may be a generator over the database, since neither format holds them all in memory:

- XLSX goes through openpyxl's write-only mode, which writes each row to a temporary file as
  it comes; the finished workbook is itself a temporary file, sent in blocks by
  ``FileResponse`` and deleted when the response is closed. The sheet reads right to left,
  the header is bold and stays in view.
- CSV is UTF-8 with a byte order mark (so Excel shows Persian rather than mojibake), produced
  while it is being sent by ``StreamingHttpResponse``.

In both, numbers stay numbers (a cell Excel can add up), dates become Jalali text with Latin
digits (``1405/09/10``, which sorts), and text that a spreadsheet would run as a formula
(beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets an apostrophe in
front, so a note typed as ``=1+1`` comes back as the text ``'=1+1``.
"""

import csv
import datetime as dt
import functools
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from core.jalali import to_jalali

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Text starting with one of these is a formula (or the start of one) to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold (openpyxl refuses them); a note may carry one.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Strings openpyxl would store as an error value (#N/A) rather than as text.
_ERROR_TEXTS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_FORBIDDEN = re.compile(r"[^A-Za-z0-9._-]+")

CSV_CHUNK_CHARS = 64 * 1024  # a chunk is sent once this much text has gathered
XLSX_BLOCK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Sheet:
    """One table to export: ``rows`` may be any iterable, read once."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


# --- Cells --------------------------------------------------------------------------------


def neutralised(text: str) -> str:
    """*text*, with an apostrophe in front if a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def jalali_text(day: dt.date) -> str:
    """A date as Jalali text with Latin digits, ``1405/09/10``; a datetime adds the local
    time, ``1405/09/10 14:05``."""
    if not isinstance(day, dt.datetime):
        return _jalali_day(day)
    j = to_jalali(day)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d} {j.hour:02d}:{j.minute:02d}"


@functools.lru_cache(maxsize=4096)
def _jalali_day(day: dt.date) -> str:
    # A long export repeats the same few hundred days; each is converted once.
    j = to_jalali(day)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_value(value):
    """What a cell holds in either format: a number as it is, ``None`` as nothing, a date as
    Jalali text, anything else as neutralised text."""
    if value is None or is_number(value):
        return value
    if isinstance(value, dt.date):
        return jalali_text(value)
    return neutralised(str(value))


def csv_cell(value) -> str:
    value = cell_value(value)
    return "" if value is None else str(value)


# --- Responses ----------------------------------------------------------------------------


def filename_for(stem: str, fmt: str) -> str:
    """A Latin file name: anything outside letters, digits, ``.``, ``_`` and ``-`` becomes
    ``-``, so the name is the same in every browser and on every disk."""
    stem = _FILENAME_FORBIDDEN.sub("-", stem).strip("-.") or "export"
    return f"{stem}.{fmt}"


def export_response(sheet: Sheet, *, fmt: str, filename: str):
    """*sheet* as an attachment named ``filename.fmt``; an unknown *fmt* is a 404."""
    if fmt == XLSX:
        return xlsx_response(sheet, filename=filename)
    if fmt == CSV:
        return csv_response(sheet, filename=filename)
    raise Http404("unknown export format")


def csv_response(sheet: Sheet, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(sheet), content_type=CSV_CONTENT_TYPE)
    return _as_attachment(response, filename_for(filename, CSV))


def xlsx_response(sheet: Sheet, *, filename: str) -> FileResponse:
    workbook_file = write_xlsx(sheet)
    response = FileResponse(workbook_file, content_type=XLSX_CONTENT_TYPE)
    response.block_size = XLSX_BLOCK_BYTES
    return _as_attachment(response, filename_for(filename, XLSX))


def _as_attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)  # staff figures: never kept by a browser or a proxy
    return response


# --- CSV ----------------------------------------------------------------------------------


def csv_chunks(sheet: Sheet):
    """The CSV bytes of *sheet*, a BOM first, in chunks of a few dozen kilobytes (a row at a
    time would be one network write per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_cell(label) for label in sheet.header])
    for row in sheet.rows:
        writer.writerow([csv_cell(value) for value in row])
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


# --- XLSX ---------------------------------------------------------------------------------


def write_xlsx(sheet: Sheet):
    """*sheet* written as a workbook into an anonymous temporary file, positioned at its start
    (the file disappears when closed)."""
    # Imported here, as in core.spreadsheets: only an export pays for loading openpyxl.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet_title(sheet.title))
    _set_up(worksheet, sheet.header)
    worksheet.append([_header_cell(worksheet, label) for label in sheet.header])
    for row in sheet.rows:
        worksheet.append([_xlsx_value(worksheet, value) for value in row])
    # Not a context manager: the response sends the file and closes it, which deletes it.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        workbook.save(target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of ``[]:*?/\\``."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet1"


def _set_up(worksheet, header) -> None:
    from openpyxl.utils import get_column_letter

    worksheet.sheet_view.rightToLeft = True
    worksheet.freeze_panes = "A2"  # the header stays in view while scrolling
    for index, label in enumerate(header, start=1):
        width = min(max(len(str(label)) + 4, 10), 40)
        worksheet.column_dimensions[get_column_letter(index)].width = width


def _header_cell(worksheet, label):
    from openpyxl.styles import Font

    cell = _text_cell(worksheet, str(cell_value(label)))
    cell.font = Font(bold=True)
    return cell


def _xlsx_value(worksheet, value):
    value = cell_value(value)
    if not isinstance(value, str):
        return value
    # Dropping a control character may uncover a formula ("\x01=1+1"): neutralise again.
    value = neutralised(_ILLEGAL_XML.sub("", value))
    # openpyxl would store these few strings as error values (#N/A) instead of text.
    return _text_cell(worksheet, value) if value in _ERROR_TEXTS else value


def _text_cell(worksheet, text: str):
    """A cell that holds *text* as text, whatever the text looks like."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=_ILLEGAL_XML.sub("", text))
    cell.data_type = "s"
    return cell
