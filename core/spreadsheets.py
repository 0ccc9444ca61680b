"""Reading an uploaded spreadsheet (CSV or XLSX) into plain rows, for every import.

``read_table(data, filename, columns)`` turns bytes into ``(line number, {field: cell})``
pairs, finding each :class:`Column` in the header by any of its names (spelling variants and
parenthesised notes ignored); what the cells mean is checked by the import that asked. Every
problem with the file itself raises :class:`ImportFileError` with a Persian message that staff
pages and management commands show as they are.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from core.digits import to_persian_digits
from core.text import compact_key

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# More columns than this is not a list of ours; it also caps work on a hostile XLSX.
MAX_COLUMNS = 40


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is Persian and shown to the user."""


@dataclass(frozen=True)
class Column:
    """One column an import understands; ``aliases[0]`` is the header its template writes."""

    field: str
    label: str
    required: bool
    aliases: tuple[str, ...]


_PARENTHESES = re.compile(r"\([^)]*\)")


def header_key(text) -> str:
    """The form a header is compared in: «نام‌محله (اجباری)», "Neighbourhood_Name" → one key."""
    text = _PARENTHESES.sub("", str(text or ""))
    return re.sub(r"[_\-.:*]", "", compact_key(text))


@dataclass(frozen=True)
class Table:
    """What a file holds: the columns found in its header and its non-empty data rows."""

    columns: tuple[Column, ...]
    rows: list[tuple[int, dict]]


ERROR_ACTION = "error"  # the action of a row that cannot be saved, in every import


@dataclass
class FileReport:
    """What every import's dry run (or outcome) knows of one file: its rows (each with an
    ``action``, ``"error"`` for a bad one), the file's own error, and whether it was applied.
    Each import adds the counts of its other actions and its summary."""

    filename: str
    columns: tuple[Column, ...] = ()
    rows: list = field(default_factory=list)
    file_error: str = ""
    applied: bool = False

    def _count(self, action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self._count("create")

    @property
    def bad(self) -> int:
        return self._count(ERROR_ACTION)

    @property
    def is_valid(self) -> bool:
        """Nothing wrong with the file or any row: it may be applied."""
        return not self.file_error and bool(self.rows) and self.bad == 0


def read_table(
    data: bytes,
    filename: str,
    columns: tuple[Column, ...],
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Table:
    """Read CSV (UTF-8 with or without BOM, or Windows-1256) or XLSX bytes into a
    :class:`Table` of the given *columns*, refusing files over *max_bytes* or *max_rows*
    (:data:`MAX_FILE_BYTES` and :data:`MAX_ROWS` unless given).

    The first non-empty row is the header; fully empty rows are skipped; line numbers are
    those a person sees in a spreadsheet (the header row counts).
    """
    max_rows = max_rows or MAX_ROWS
    max_bytes = max_bytes or MAX_FILE_BYTES
    if not data:
        raise ImportFileError("فایل خالی است.")
    if len(data) > max_bytes:
        raise ImportFileError(
            f"حجم فایل بیش از {to_persian_digits(max_bytes // (1024 * 1024))} مگابایت است؛ "
            "آن را در چند فایل بارگذاری کنید."
        )
    lines = _xlsx_lines(data) if _looks_like_xlsx(data, filename) else _csv_lines(data, filename)
    return _table_from_lines(lines, columns, max_rows)


def _looks_like_xlsx(data: bytes, filename: str) -> bool:
    if data.startswith(b"PK\x03\x04"):
        return True
    # An old binary .xls (or any OLE file) starts with this signature.
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "قالب قدیمی اکسل (xls) پشتیبانی نمی‌شود؛ فایل را با قالب XLSX یا CSV ذخیره کنید."
        )
    if filename.lower().endswith(".xlsx"):
        raise ImportFileError("این فایل XLSX معتبر نیست یا آسیب دیده است.")
    return False


def _csv_lines(data: bytes, filename: str):
    if b"\x00" in data:
        raise ImportFileError("این فایل CSV یا XLSX معتبر نیست.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Persian Windows saves "CSV" in the ANSI code page, Windows-1256;
        # reading it here saves the clerk a round of "save as UTF-8" instructions.
        try:
            text = data.decode("cp1256")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "نویسه‌گذاری فایل CSV شناخته نشد؛ آن را با UTF-8 ذخیره کنید."
            ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield row[:MAX_COLUMNS]
    except csv.Error as error:
        raise ImportFileError(
            "ساختار فایل CSV خراب است (نقل‌قول بسته نشده یا ردیف نادرست)."
        ) from error


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook

    # openpyxl raises many different exception types on malformed input (zip, XML, key and
    # value errors); whatever it is, the clerk needs the same answer, never a server error.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError("این فایل XLSX معتبر نیست یا آسیب دیده است.") from error
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except Exception as error:
        raise ImportFileError("خواندن برگهٔ نخست فایل XLSX ممکن نشد.") from error
    finally:
        workbook.close()


def _is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table_from_lines(lines, columns, max_rows) -> Table:
    header = None
    rows = []
    for line_number, cells in enumerate(lines, start=1):
        cells = list(cells)
        if all(_is_blank(cell) for cell in cells):
            continue
        if header is None:
            header = _read_header(cells, columns)
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(
                f"فایل بیش از {to_persian_digits(f'{max_rows:,}')} ردیف دارد؛ "
                "آن را در چند فایل بارگذاری کنید."
            )
        row = {
            field: cells[index] if index < len(cells) else None for index, field in header.items()
        }
        rows.append((line_number, row))
    if header is None:
        raise ImportFileError("فایل خالی است.")
    if not rows:
        raise ImportFileError("فایل جز سطر عنوان هیچ ردیفی ندارد.")
    found = tuple(column for column in columns if column.field in header.values())
    return Table(columns=found, rows=rows)


def _read_header(cells, columns) -> dict[int, str]:
    """Map cell positions to fields; unknown headers are ignored, missing required ones fail."""
    aliases = {header_key(alias): column for column in columns for alias in column.aliases}
    positions = {}
    for index, cell in enumerate(cells):
        column = aliases.get(header_key(cell))
        if column is None:
            continue
        if column.field in positions.values():
            raise ImportFileError(f"ستون «{column.label}» دو بار در سطر عنوان آمده است.")
        positions[index] = column.field
    missing = [c.label for c in columns if c.required and c.field not in positions.values()]
    if missing:
        raise ImportFileError(
            "ستون‌های لازم در سطر عنوان پیدا نشد: "
            + "، ".join(f"«{label}»" for label in missing)
            + ". سطر نخست فایل باید نام ستون‌ها باشد؛ نمونهٔ فایل را ببینید."
        )
    return positions


def template_csv(columns: tuple[Column, ...], examples: list[list[str]]) -> str:
    """A downloadable template: the Persian headers and made-up rows to overwrite."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.aliases[0] for column in columns])
    writer.writerows(examples)
    # The byte order mark lets Excel recognise UTF-8 and show the Persian text correctly.
    return "\ufeff" + buffer.getvalue()
