"""Fixtures for the neighbourhood tests: Semnan's cities, files to import, and people."""

import csv
import io
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from neighbourhoods.models import City, County, Province
from tests.factories import StaffRole, make_agency, make_user

HEADER = ["شهر", "نام محله", "کد محله", "جمعیت", "تعداد خانوار", "عرض جغرافیایی", "طول جغرافیایی"]


@pytest.fixture
def cities(db):
    """Two real cities of Semnan province, named as the demo data names them."""
    province = Province.objects.create(name="سمنان", slug="semnan-province")
    semnan_county = County.objects.create(province=province, name="سمنان", slug="semnan")
    mehdishahr_county = County.objects.create(province=province, name="مهدی‌شهر", slug="mehdishahr")
    return SimpleNamespace(
        semnan=City.objects.create(name="سمنان", slug="semnan", county=semnan_county),
        mehdishahr=City.objects.create(name="مهدی‌شهر", slug="mehdishahr", county=mehdishahr_county),
    )


def csv_bytes(rows, *, header=HEADER, bom=False, delimiter=",", encoding="utf-8") -> bytes:
    """A CSV file as a spreadsheet would save it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    """An XLSX workbook with the header and rows on its first sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Three good rows: Latin digits, Persian digits, and an Arabic-keyboard city name.
GOOD_ROWS = [
    ["سمنان", "کوی زرین", "SMN-001", "4200", "1150", "35.5729", "53.3971"],
    ["سمنان", "محله سرچشمه", "SMN-002", "۳٬۸۰۰", "۹۵۰", "۳۵٫۵۸۱۰", "۵۳٫۴۰۱۲"],
    ["مهدي شهر", "کوی بهاران", "MHD-001", "2800", "760", "35.7094", "53.3531"],
]


@pytest.fixture
def good_csv():
    return csv_bytes(GOOD_ROWS, bom=True)


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """Test users need a password, not a slow one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def importers(db):
    """Who may and may not load the neighbourhood list."""
    agency = make_agency(slug="emdad")
    return SimpleNamespace(
        coordinator=make_user(role=StaffRole.COORDINATOR),
        superuser=make_user(superuser=True),
        viewer=make_user(role=StaffRole.VIEWER),
        agency_staff=make_user(role=StaffRole.AGENCY_STAFF, agency=agency),
        outsider=make_user(),
    )
