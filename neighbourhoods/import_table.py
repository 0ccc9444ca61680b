"""The columns of the neighbourhood list and reading it (core/spreadsheets.py does the reading).

What the cells mean is checked in ``importer.py``. A caller may ask for columns of its own
besides the neighbourhood's (``extra_columns``: the program layer adds each house's address,
phone and manager); they are read the same way and left to that caller to understand.
"""

from core.spreadsheets import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Column,
    ImportFileError,
    Table,
    template_csv,
)
from core.spreadsheets import (
    read_table as read_spreadsheet,
)

__all__ = ["COLUMNS", "MAX_FILE_BYTES", "MAX_ROWS", "Column", "ImportFileError", "read_table"]

# The first alias of each column is the Persian header written in the sample template.
COLUMNS = (
    Column("city", "شهر", True, ("شهر", "نام شهر", "city", "city name", "city slug")),
    Column(
        "name",
        "نام محله",
        True,
        (
            "نام محله",
            "محله",
            "name",
            "neighbourhood",
            "neighborhood",
            "neighbourhood name",
            "neighborhood name",
        ),
    ),
    Column("code", "کد محله", True, ("کد محله", "کد", "code", "neighbourhood code")),
    Column("population", "جمعیت", False, ("جمعیت", "population")),
    Column(
        "households",
        "تعداد خانوار",
        False,
        ("تعداد خانوار", "خانوار", "تعداد خانوارها", "households", "household"),
    ),
    Column(
        "latitude",
        "عرض جغرافیایی",
        False,
        ("عرض جغرافیایی", "عرض", "latitude", "lat"),
    ),
    Column(
        "longitude",
        "طول جغرافیایی",
        False,
        ("طول جغرافیایی", "طول", "longitude", "lon", "lng", "long"),
    ),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}


SAMPLE_ROWS = (
    ("سمنان", "محلهٔ نمونهٔ یک", "SMN-001", "4200", "1150", "35.5729", "53.3971"),
    ("مهدی‌شهر", "محلهٔ نمونهٔ دو", "MHD-001", "2800", "760", "35.7094", "53.3531"),
)


def read_table(data: bytes, filename: str, extra_columns: tuple[Column, ...] = ()) -> Table:
    """Read the neighbourhood list's CSV or XLSX bytes (see core.spreadsheets.read_table),
    with the caller's *extra_columns* after the neighbourhood's own."""
    return read_spreadsheet(data, filename, COLUMNS + tuple(extra_columns))


def sample_csv(extra_columns: tuple[Column, ...] = (), extra_cells=()) -> str:
    """The downloadable template: Persian headers and two made-up rows to overwrite.

    *extra_columns* are added after the neighbourhood's, and *extra_cells* holds what each of
    the two sample rows says in them (blank where a row says nothing).
    """
    width = len(extra_columns)
    rows = []
    for index, row in enumerate(SAMPLE_ROWS):
        cells = list(extra_cells[index]) if index < len(extra_cells) else []
        rows.append([*row, *(cells + [""] * width)[:width]])
    return template_csv(COLUMNS + tuple(extra_columns), rows)
