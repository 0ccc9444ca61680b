"""The demo exhibition: made once from painted pictures, with one photo kept hidden."""

import io

import pytest

from demo import exhibition as demo
from exhibition.models import Booth, Exhibit, Exhibition, Photo
from tests.factories import make_agency, make_neighbourhood, stored_files

pytestmark = pytest.mark.django_db


def test_demo_waits_for_agencies_and_neighbourhoods():
    report = demo.seed(with_users=False, stdout=io.StringIO())
    assert "nothing created" in report
    assert not Exhibition.objects.exists()


def test_demo_is_created_once_and_hides_the_photo_without_consent(media_root):
    for slug in ("ehsan", "emdad", "helal", "behzisti"):
        make_agency(slug=slug)
    for _ in range(3):
        make_neighbourhood(is_demo=True)

    first = demo.seed(with_users=False, stdout=io.StringIO())
    counts = (Exhibition.objects.count(), Booth.objects.count(), Exhibit.objects.count())
    photos, files = Photo.objects.count(), len(stored_files(media_root))
    second = demo.seed(with_users=False, stdout=io.StringIO())

    assert "14 exhibits" in first and "already present" in second
    assert counts == (1, 5, 14)
    assert photos >= 24 and Photo.objects.count() == photos
    assert len(stored_files(media_root)) == files
    assert Photo.objects.hidden_for_consent().count() == 1
    assert Photo.objects.public().count() == photos - 1
    exhibition = Exhibition.objects.get()
    assert exhibition.is_published and exhibition.has_image
    assert set(Booth.objects.values_list("agency__slug", flat=True)) == {
        "ehsan",
        "emdad",
        "helal",
        "behzisti",
        None,
    }
    assert all(p.alt_text for p in Photo.objects.all())
