"""Factories for exhibition models, and helpers to look at stored files."""

import datetime
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import clean_image_upload
from exhibition.models import Booth, Exhibit, Exhibition, ExhibitKind, Photo
from tests.factories import make_agency, make_neighbourhood

_seq = itertools.count(1)


def stored_files(root) -> list:
    """Every file under MEDIA_ROOT (an empty list when nothing was ever written)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def small_image(colour=(200, 120, 40), size=(64, 48)):
    """A tiny cleaned image, so factories stay fast."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return clean_image_upload(SimpleUploadedFile("p.jpg", buffer.getvalue()))


def make_exhibition(**fields) -> Exhibition:
    n = next(_seq)
    defaults = {
        "title": f"نمایشگاه {n}",
        "slug": f"exhibition-{n}",
        "starts_on": datetime.date(2025, 11, 20),
        "ends_on": datetime.date(2025, 11, 25),
        "venue": "سمنان",
        "is_published": True,
    }
    return Exhibition.objects.create(**(defaults | fields))


def make_booth(*, exhibition=None, agency="new", neighbourhood=None, **fields) -> Booth:
    n = next(_seq)
    return Booth.objects.create(
        exhibition=exhibition or make_exhibition(),
        agency=make_agency() if agency == "new" else agency,
        neighbourhood=neighbourhood,
        title=fields.pop("title", f"غرفه {n}"),
        **fields,
    )


def make_exhibit(*, booth=None, neighbourhood="new", **fields) -> Exhibit:
    n = next(_seq)
    return Exhibit.objects.create(
        booth=booth or make_booth(),
        neighbourhood=make_neighbourhood() if neighbourhood == "new" else neighbourhood,
        title=fields.pop("title", f"اثر {n}"),
        kind=fields.pop("kind", ExhibitKind.HANDICRAFT),
        **fields,
    )


def make_photo(*, exhibit=None, shows_people=False, consent_recorded=False, **fields) -> Photo:
    n = next(_seq)
    photo = Photo(
        exhibit=exhibit or make_exhibit(),
        alt_text=fields.pop("alt_text", f"عکس {n}"),
        shows_people=shows_people,
        consent_recorded=consent_recorded,
        **fields,
    )
    photo.store_image(small_image())
    photo.save()
    return photo
