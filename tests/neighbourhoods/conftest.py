"""Fixtures for the neighbourhood tests: Semnan's cities, a file to import, and people."""

from types import SimpleNamespace

import pytest

from neighbourhoods.models import City, County, Province
from tests.factories import StaffRole, make_agency, make_user
from tests.samples import GOOD_ROWS, csv_bytes


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


@pytest.fixture
def good_csv():
    return csv_bytes(GOOD_ROWS, bom=True)


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
