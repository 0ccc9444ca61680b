"""The exhibition of bench/generate.py: exhibitions over the five years, their booths, exhibits
and photos.

About thirty exhibits make an exhibition (``EXHIBITS`` exhibits times ``--scale``); each
exhibition is held in one province's capital, has a booth of every agency and one or two
booths of neighbourhoods, and a cover. Exhibitions already held are published; one still to
come may not be yet. One exhibit in fourteen is withdrawn from the portal, one photo in five
shows identifiable people, and for a third of those no consent is recorded. Every cover and
photo has files of its own in the tree ``Photo.objects.public()`` and the exhibition's
publication call for (generate_media.py), so ``manage.py sort_media`` finds nothing to move.
"""

import datetime as dt
import math

from generate_copy import Table, next_id
from generate_texts import (
    EXHIBIT_DESCRIPTIONS,
    EXHIBIT_MAKERS,
    EXHIBIT_TITLES,
    PHOTO_CAPTIONS,
    PHOTO_MOTIFS,
)

EXHIBITS = 2_000
EXHIBITS_PER_EXHIBITION = 30

EXHIBIT_COLUMNS = (
    "id", "booth_id", "title", "description", "kind", "made_by", "neighbourhood_id", "order",
    "is_published", "created_by_id", "created_at", "updated_at",
)  # fmt: skip
PHOTO_COLUMNS = (
    "id", "image", "width", "height", "renditions", "exhibit_id", "caption", "alt_text",
    "shows_people", "consent_recorded", "order", "uploaded_by_id", "created_at",
)  # fmt: skip


def load_exhibition(world, pictures) -> None:
    from core.jalali import to_gregorian
    from exhibition.models import Booth, Exhibit, Exhibition, Photo

    rng = world.rng
    exhibits_total = max(1, math.floor(EXHIBITS * world.scale + 0.5))
    count = max(1, round(exhibits_total / EXHIBITS_PER_EXHIBITION))
    by_province = {}
    for house in world.houses:
        province = house.neighbourhood.city.county.province
        by_province.setdefault(province.pk, (province, []))[1].append(house.neighbourhood)
    provinces = list(by_province.values())
    taken = set(Exhibition.objects.values_list("slug", flat=True))
    serial = len(taken)
    booths = []

    def exhibitions(progress):
        nonlocal serial
        made = []
        span = (world.today - to_gregorian(1401, 1, 1)).days + 30
        for index in range(count):
            province, places = provinces[index % len(provinces)]
            starts = to_gregorian(1401, 1, 1) + dt.timedelta(days=span * (index + 0.5) // count)
            ends = starts + dt.timedelta(days=rng.randint(5, 15))
            published = starts <= world.today or rng.random() < 0.5
            serial += 1
            slug = f"namayeshgah-{serial:04d}"
            while slug in taken:
                serial += 1
                slug = f"namayeshgah-{serial:04d}"
            taken.add(slug)
            picture = rng.randrange(len(pictures))
            when = world.moment(min(starts, world.today) - dt.timedelta(days=20))
            image, width, height, renditions = pictures.place(
                picture, folder="exhibition/covers", when=when, public=published
            )
            capital = places[0].city.name
            made.append(
                Exhibition(
                    title=f"نمایشگاه حرکت مبارک محله‌های استان {province.name}",
                    slug=slug,
                    starts_on=starts,
                    ends_on=ends,
                    venue=f"{capital}، محل دائمی نمایشگاه‌های استان",
                    description="دستاوردهای خانه‌های محله و ساکنان محله‌های طرح، کنار هم.",
                    cover_alt=PHOTO_MOTIFS[pictures.motif(picture)],
                    is_published=published,
                    image=image,
                    width=width,
                    height=height,
                    renditions=renditions,
                    created_at=when,
                )
            )
            for order, agency in enumerate(world.agencies, 1):
                booths.append(Booth(title=f"غرفهٔ {agency.house_name}", agency=agency, order=order))
                booths[-1].exhibition_index = len(made) - 1
            for extra in range(rng.randint(1, 2)):
                place = rng.choice(places)
                booths.append(
                    Booth(
                        title=f"غرفهٔ ساکنان {place.name}",
                        neighbourhood=place,
                        order=len(world.agencies) + extra + 1,
                    )
                )
                booths[-1].exhibition_index = len(made) - 1
        # The automatic timestamps would say today; the rows say when they were made.
        Exhibition.objects.bulk_create(made)
        for row in made:
            stamps = {"created_at": row.created_at, "updated_at": row.created_at}
            Exhibition.objects.filter(pk=row.pk).update(**stamps)
        for booth in booths:
            booth.exhibition = made[booth.exhibition_index]
        Booth.objects.bulk_create(booths)
        return len(made)

    world.summary.timed("exhibitions, booths", exhibitions, total=count)

    exhibit_ids = next_id(Exhibit)
    photos = []
    kinds = list(EXHIBIT_TITLES)

    def exhibit_rows():
        for index in range(exhibits_total):
            # Every booth shows something; the rest go where they fall.
            booth = booths[index] if index < len(booths) else rng.choice(booths)
            exhibition = booth.exhibition
            pk = exhibit_ids + index
            kind = rng.choice(kinds)
            places = by_province[_province_of(booth, provinces)][1]
            origin = booth.neighbourhood or rng.choice(places)
            published = rng.random() >= 1 / 14
            created = world.moment(min(exhibition.starts_on, world.today) - dt.timedelta(days=10))
            owner = booth.agency_id or world.agencies[0].pk
            uploader = world.clerk_of_place(owner, origin)
            for order in range(rng.choices((1, 2, 3, 4), (25, 35, 25, 15))[0]):
                photos.append((pk, order, published, exhibition.is_published, created, uploader))
            yield (
                pk, booth.pk, rng.choice(EXHIBIT_TITLES[kind]), rng.choice(EXHIBIT_DESCRIPTIONS),
                kind, rng.choice(EXHIBIT_MAKERS), origin.pk, index, published, uploader,
                created, created,
            )  # fmt: skip

    world.summary.copy(
        Table(Exhibit, EXHIBIT_COLUMNS), exhibit_rows(), total=exhibits_total, label="exhibits"
    )
    photo_ids = next_id(Photo)

    def photo_rows():
        for offset, (exhibit, order, published, shown, created, uploader) in enumerate(photos):
            picture = rng.randrange(len(pictures))
            shows_people = rng.random() < 0.2
            consent = shows_people and rng.random() < 2 / 3
            public = (not shows_people or consent) and published and shown
            image, width, height, renditions = pictures.place(
                picture, folder="exhibition/photos", when=created, public=public
            )
            caption = rng.choice(PHOTO_CAPTIONS) if rng.random() < 0.4 else ""
            yield (
                photo_ids + offset, image, width, height, renditions, exhibit, caption,
                PHOTO_MOTIFS[pictures.motif(picture)], shows_people, consent, order, uploader,
                created,
            )  # fmt: skip

    world.summary.copy(Table(Photo, PHOTO_COLUMNS), photo_rows(), total=len(photos), label="photos")


def _province_of(booth, provinces) -> int:
    if booth.neighbourhood is not None:
        return booth.neighbourhood.city.county.province_id
    exhibition_places = provinces[booth.exhibition_index % len(provinces)]
    return exhibition_places[0].pk
