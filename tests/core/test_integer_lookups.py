"""``pk__in`` with a number no integer column holds finds nothing instead of failing
(core/lookups.py): SQLite's driver refuses to bind a number past 64 bits."""

import pytest

from agencies.models import Agency
from tests.factories import make_agency

pytestmark = pytest.mark.django_db


def test_a_number_past_the_column_is_left_out_of_in():
    agency = make_agency()
    assert list(Agency.objects.filter(pk__in=[2**63, agency.pk, -(2**64)])) == [agency]


def test_only_numbers_past_the_column_find_nothing():
    make_agency()
    assert list(Agency.objects.filter(pk__in=[2**63, 10**30])) == []
