"""Exhibition querysets and constraints: what is public, what a card needs, what must hold."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from exhibition.models import Booth, Exhibit, Exhibition, ExhibitKind, Photo
from tests.factories import (
    make_agency,
    make_booth,
    make_city,
    make_exhibit,
    make_exhibition,
    make_neighbourhood,
    make_photo,
)

pytestmark = pytest.mark.django_db


def test_public_photos_exclude_people_without_recorded_consent():
    exhibit = make_exhibit()
    no_people = make_photo(exhibit=exhibit)
    consented = make_photo(exhibit=exhibit, shows_people=True, consent_recorded=True)
    hidden = make_photo(exhibit=exhibit, shows_people=True, consent_recorded=False)

    assert set(Photo.objects.public()) == {no_people, consented}
    assert list(Photo.objects.hidden_for_consent()) == [hidden]


def test_new_photo_counts_as_showing_people_without_consent_until_told_otherwise():
    photo = Photo()
    assert photo.shows_people and not photo.consent_recorded
    assert not photo.is_public_safe


def test_public_photos_exclude_unpublished_exhibits_and_exhibitions():
    draft_exhibition = make_exhibition(is_published=False)
    in_draft = make_photo(exhibit=make_exhibit(booth=make_booth(exhibition=draft_exhibition)))
    in_hidden_exhibit = make_photo(exhibit=make_exhibit(is_published=False))
    shown = make_photo()

    assert list(Photo.objects.public()) == [shown]
    assert in_draft.exhibit not in Exhibit.objects.public()
    assert in_hidden_exhibit.exhibit not in Exhibit.objects.public()
    assert list(Exhibit.objects.public()) == [shown.exhibit]


def test_exhibits_for_neighbourhood_and_agency():
    agency = make_agency()
    here = make_neighbourhood()
    mine = make_exhibit(booth=make_booth(agency=agency), neighbourhood=here)
    other_place = make_exhibit(booth=make_booth(agency=agency))
    make_exhibit(neighbourhood=here, is_published=False)

    assert list(Exhibit.objects.public().for_neighbourhood(here)) == [mine]
    assert set(Exhibit.objects.public().for_agency(agency)) == {mine, other_place}


def test_card_cover_is_the_first_public_photo_and_prefetched(django_assert_num_queries):
    exhibit = make_exhibit()
    make_photo(exhibit=exhibit, shows_people=True, order=0)  # no consent: never a cover
    cover = make_photo(exhibit=exhibit, order=1)
    make_photo(exhibit=exhibit, order=2)
    bare = make_exhibit()

    with django_assert_num_queries(2):
        cards = list(Exhibit.objects.filter(pk__in=[exhibit.pk, bare.pk]).for_cards())
    with django_assert_num_queries(0):
        covers = {card.pk: card.cover_photo for card in cards}
    assert covers == {exhibit.pk: cover, bare.pk: None}
    # Without the prefetch, the property still answers (with its own query).
    assert Exhibit.objects.get(pk=exhibit.pk).cover_photo == cover


def test_matching_filters_by_agency_city_and_kind():
    agency = make_agency()
    city = make_city()
    in_city = make_neighbourhood(city=city)
    booth_in_city = make_booth(agency=None, neighbourhood=in_city)
    rug = make_exhibit(booth=make_booth(agency=agency), neighbourhood=in_city)
    from_booth_city = make_exhibit(booth=booth_in_city, neighbourhood=None, kind="product")
    elsewhere = make_exhibit(booth=make_booth(agency=agency), kind="product")

    exhibits = Exhibit.objects.all()
    assert set(exhibits.matching(agency=agency)) == {rug, elsewhere}
    assert set(exhibits.matching(city=city)) == {rug, from_booth_city}
    assert set(exhibits.matching(kind=ExhibitKind.PRODUCT)) == {from_booth_city, elsewhere}
    assert list(exhibits.matching(agency=agency, city=city, kind="handicraft")) == [rug]


def test_booth_needs_an_agency_or_a_neighbourhood():
    booth = Booth(exhibition=make_exhibition(), title="غرفهٔ بی‌صاحب")
    with pytest.raises(ValidationError) as caught:
        booth.full_clean()
    assert "غرفه باید به یک دستگاه یا یک محله" in str(caught.value)
    with pytest.raises(IntegrityError):
        booth.save()


def test_exhibition_cannot_end_before_it_starts():
    exhibition = Exhibition(
        title="الف",
        slug="alef",
        venue="سمنان",
        starts_on=datetime.date(2025, 5, 2),
        ends_on=datetime.date(2025, 5, 1),
    )
    with pytest.raises(ValidationError) as caught:
        exhibition.full_clean()
    assert "تاریخ پایان نمی‌تواند پیش از تاریخ آغاز باشد." in caught.value.messages


def test_photo_without_alt_text_or_file_is_refused_by_the_database():
    exhibit = make_exhibit()
    with pytest.raises(IntegrityError):
        Photo.objects.create(exhibit=exhibit, alt_text="بدون پرونده")


def test_status_label_follows_the_dates():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    assert make_exhibition(starts_on=today + day, ends_on=today + 2 * day).status_label == "به‌زودی"
    assert make_exhibition(starts_on=today - day, ends_on=today + day).status_label == (
        "در حال برگزاری"
    )
    assert make_exhibition(starts_on=today - 3 * day, ends_on=today - day).status_label == (
        "برگزار شده"
    )
