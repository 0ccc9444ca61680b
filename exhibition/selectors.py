"""Queries the public exhibition pages share, each in a fixed number of SQL queries."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from exhibition.models import Booth, Exhibit, Photo


def booths_for_exhibition(exhibition, *, agency=None, city=None, kind=""):
    """The booths of a published exhibition that match the visitor's filter.

    Each booth carries ``exhibit_count`` (its public exhibits that match) and
    ``cover_photo_id`` (the first public photo among them); :func:`attach_covers` turns the
    ids into photos with one more query.  A booth matches the agency by its own agency, the
    city by its own neighbourhood or by where its exhibits come from, the kind by its exhibits.
    """
    exhibits = Exhibit.objects.public().filter(booth__exhibition=exhibition)
    exhibits = exhibits.matching(agency=agency, city=city, kind=kind)
    booths = Booth.objects.public().filter(exhibition=exhibition).with_place()
    if agency is not None:
        booths = booths.filter(agency=agency)
    if city is not None:
        booths = booths.filter(Q(neighbourhood__city=city) | Q(pk__in=exhibits.values("booth_id")))
    if kind:
        booths = booths.filter(pk__in=exhibits.values("booth_id"))
    count = (
        exhibits.filter(booth=OuterRef("pk"))
        .order_by()
        .values("booth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cover = (
        Photo.objects.public()
        .filter(exhibit__in=exhibits, exhibit__booth=OuterRef("pk"))
        .order_by("exhibit__order", "exhibit_id", "order", "id")
        .values("pk")[:1]
    )
    return booths.annotate(
        exhibit_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        cover_photo_id=Subquery(cover),
    )


def attach_covers(booths) -> list:
    """Give each booth (from :func:`booths_for_exhibition`) a ``cover`` photo or ``None``."""
    booths = list(booths)
    ids = {booth.cover_photo_id for booth in booths if booth.cover_photo_id}
    photos = Photo.objects.in_bulk(ids) if ids else {}
    for booth in booths:
        booth.cover = photos.get(booth.cover_photo_id)
    return booths
