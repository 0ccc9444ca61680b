"""A real installation: reference data on its own, and home figures that follow the imports."""

import io

import pytest
from django.core.management import call_command

from agencies.access import SYSTEM
from agencies.models import Agency, House, ServiceDomain, ServiceRecord, ServiceType
from agencies.neighbourhood_import import neighbourhood_list_import
from neighbourhoods.models import City, County, Neighbourhood, Province
from news.models import Article, Category
from tests.factories import make_neighbourhood
from tests.samples import csv_bytes

pytestmark = pytest.mark.django_db

REFERENCE = [Province, County, City, Agency, ServiceDomain, ServiceType, Category]


def _counts():
    return {model.__name__: model.objects.count() for model in REFERENCE}


def _load() -> str:
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    return out.getvalue()


def test_load_reference_loads_what_every_installation_needs_and_nothing_else():
    _load()
    assert _counts() == {
        "Province": 1,
        "County": 8,
        "City": 12,
        "Agency": 4,
        "ServiceDomain": 6,
        "ServiceType": 25,
        "Category": 7,
    }
    assert set(Agency.objects.values_list("house_name", flat=True)) == {
        "خانه احسان",
        "خانه امداد",
        "خانه هلال",
        "خانه بهزیستی",
    }
    for model in (Neighbourhood, House, ServiceRecord, Article):
        assert not model.objects.exists(), model
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()


def test_load_reference_twice_changes_nothing():
    _load()
    before = _counts()
    renamed = City.objects.get(slug="semnan")
    renamed.name = "سمنانِ ویرایش‌شده"  # an admin's correction survives a second load
    renamed.save()
    assert "چیزی تغییر نکرد" in _load()
    assert _counts() == before
    assert City.objects.get(slug="semnan").name == "سمنانِ ویرایش‌شده"


def test_the_home_page_counts_the_neighbourhoods_an_import_adds(
    client, django_capture_on_commit_callbacks
):
    _load()
    semnan = City.objects.get(slug="semnan")
    for n in range(50):
        make_neighbourhood(city=semnan, code=f"SMN-{n:03d}")
    assert client.get("/").context["facts"].neighbourhoods == 50
    data = csv_bytes([["سمنان", "کوی تازه", "SMN-900", "4000", "1000", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        report = neighbourhood_list_import(data=data, filename="list.csv", apply=True, user=SYSTEM)
    assert report.applied
    response = client.get("/")
    assert response.context["facts"].neighbourhoods == 51
    assert "در ۵۱ محلهٔ کم‌برخوردار" in response.content.decode()
    # Its four houses came with it.
    assert House.objects.filter(neighbourhood__code="SMN-900").count() == 4
