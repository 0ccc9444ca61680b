"""Public exhibition pages: what visitors see, what they never see, and what it costs."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.access import SYSTEM
from exhibition import services
from exhibition.models import Exhibit
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


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_index_lists_published_exhibitions_only(client):
    shown = make_exhibition(title="نمایشگاه پاییزه")
    make_exhibition(title="نمایشگاه پیش‌نویس", is_published=False)
    html = page(client, reverse("exhibition:index"))
    assert shown.title in html and "نمایشگاه پیش‌نویس" not in html
    assert shown.get_absolute_url() in html


def test_unpublished_or_mismatched_pages_are_not_found(client):
    draft = make_exhibition(is_published=False)
    draft_exhibit = make_exhibit(booth=make_booth(exhibition=draft))
    hidden_exhibit = make_exhibit(is_published=False)
    other = make_exhibition()
    shown = make_exhibit()
    urls = [
        draft.get_absolute_url(),
        draft_exhibit.booth.get_absolute_url(),
        draft_exhibit.get_absolute_url(),
        hidden_exhibit.get_absolute_url(),
        # a real exhibit under another exhibition's address
        reverse("exhibition:exhibit", kwargs={"slug": other.slug, "pk": shown.pk}),
        reverse("exhibition:booth", kwargs={"slug": other.slug, "pk": shown.booth.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_exhibition_page_filters_booths_by_agency_city_and_kind(client):
    exhibition = make_exhibition()
    emdad, helal = make_agency(slug="emdad-x"), make_agency(slug="helal-x")
    city = make_city(name="دامغان")
    emdad_booth = make_booth(exhibition=exhibition, agency=emdad, title="غرفهٔ امداد")
    helal_booth = make_booth(exhibition=exhibition, agency=helal, title="غرفهٔ هلال")
    make_exhibit(booth=emdad_booth, kind="product", neighbourhood=make_neighbourhood(city=city))
    make_exhibit(booth=helal_booth, kind="handicraft")
    url = exhibition.get_absolute_url()

    def booths(query):
        html = page(client, url + query)
        return {title for title in ("غرفهٔ امداد", "غرفهٔ هلال") if f">{title}<" in html}

    assert booths("") == {"غرفهٔ امداد", "غرفهٔ هلال"}
    assert booths("?agency=helal-x") == {"غرفهٔ هلال"}
    assert booths(f"?city={city.slug}") == {"غرفهٔ امداد"}
    assert booths("?kind=handicraft") == {"غرفهٔ هلال"}
    assert booths("?kind=handicraft&agency=emdad-x") == set()
    # A mistyped or stale value is ignored rather than breaking the page.
    assert booths("?agency=nope&kind=bogus&city=") == {"غرفهٔ امداد", "غرفهٔ هلال"}


def test_exhibition_page_counts_in_persian_digits(client):
    booth = make_booth()
    for _ in range(12):
        make_exhibit(booth=booth)
    html = page(client, booth.exhibition.get_absolute_url())
    assert "۱۲ اثر" in html and "۱ غرفه" in html


def test_booth_page_filters_by_kind_and_links_its_exhibits(client):
    booth = make_booth()
    rug = make_exhibit(booth=booth, kind="handicraft", title="فرش")
    jam = make_exhibit(booth=booth, kind="product", title="مربا")
    html = page(client, booth.get_absolute_url())
    assert rug.get_absolute_url() in html and jam.get_absolute_url() in html
    assert "صنایع دستی" in html  # the kind chips
    html = page(client, booth.get_absolute_url() + "?kind=product")
    assert jam.get_absolute_url() in html and rug.get_absolute_url() not in html


def test_exhibit_page_has_gallery_with_srcset_and_viewer(client):
    exhibit = make_exhibit(made_by="کارگاه سفال")
    photo = make_photo(exhibit=exhibit, alt_text="کوزهٔ آبی", caption="کوزه پس از پخت")
    html = page(client, exhibit.get_absolute_url())
    assert "data-gallery" in html and 'id="gallery-viewer"' in html
    assert '<source type="image/webp"' in html and 'alt="کوزهٔ آبی"' in html
    assert photo.srcset_jpeg in html and "کوزه پس از پخت" in html
    assert "/static/js/gallery.js" in html
    assert "کارگاه سفال" in html


def hidden_names(photo) -> list[str]:
    return photo.image_file_names()


def test_photos_without_consent_never_reach_a_public_page(client):
    agency = make_agency()
    neighbourhood = make_neighbourhood()
    booth = make_booth(agency=agency)
    exhibit = make_exhibit(booth=booth, neighbourhood=neighbourhood)
    # The hidden photo comes first, so it would be the cover of every card if it leaked.
    hidden = make_photo(exhibit=exhibit, shows_people=True, consent_recorded=False, order=0)
    shown = make_photo(exhibit=exhibit, order=1)
    consented = make_photo(exhibit=exhibit, shows_people=True, consent_recorded=True, order=2)
    sibling = make_exhibit(booth=booth)  # its page shows `exhibit` as a card

    pages = [
        page(client, reverse("exhibition:index")),
        page(client, booth.exhibition.get_absolute_url()),
        page(client, booth.exhibition.get_absolute_url() + "?kind=handicraft"),
        page(client, booth.get_absolute_url()),
        page(client, exhibit.get_absolute_url()),
        page(client, sibling.get_absolute_url()),
        render_to_string(
            "exhibition/includes/exhibit_cards.html",
            {"exhibits": Exhibit.objects.public().for_neighbourhood(neighbourhood)},
        ),
        render_to_string(
            "exhibition/includes/exhibit_cards.html",
            {"exhibits": Exhibit.objects.public().for_agency(agency)},
        ),
    ]
    for html in pages:
        for name in hidden_names(hidden):
            assert name not in html
        assert hidden.alt_text not in html
    gallery = pages[4]
    assert shown.image.name.rsplit(".", 1)[0] in gallery
    assert consented.image.name.rsplit(".", 1)[0] in gallery
    # Cards fall back to the first photo that may be shown.
    assert shown.renditions[0]["n"].rsplit("-", 1)[0] in pages[3]


def test_anonymous_pages_are_cached_until_the_content_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    exhibit = make_exhibit()
    photo = make_photo(exhibit=exhibit, alt_text="نمای نزدیک از کوزه")
    url = exhibit.get_absolute_url()
    assert "نمای نزدیک از کوزه" in page(client, url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"

    photo.shows_people = True
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_update(photo=photo, user=SYSTEM)

    assert "نمای نزدیک از کوزه" not in page(client, url)


def test_signed_in_visitors_are_not_served_from_the_cache(client, superuser):
    exhibit = make_exhibit(title="کوزهٔ لعابی")
    page(client, exhibit.get_absolute_url())
    Exhibit.objects.filter(pk=exhibit.pk).update(title="کوزهٔ بی‌لعاب")  # bypasses services
    client.force_login(superuser)
    assert "کوزهٔ بی‌لعاب" in page(client, exhibit.get_absolute_url())


def build_exhibition(size: int):
    """An exhibition with `size` booths, each with `size` exhibits of `size // 2 + 1` photos."""
    exhibition = make_exhibition()
    for _ in range(size):
        booth = make_booth(exhibition=exhibition, neighbourhood=make_neighbourhood())
        for _ in range(size):
            exhibit = make_exhibit(booth=booth)
            for n in range(size // 2 + 1):
                make_photo(exhibit=exhibit, shows_people=n % 3 == 2)
    return exhibition


@pytest.mark.parametrize("size", [2, 7])
def test_pages_run_a_fixed_number_of_queries(client, size, django_assert_max_num_queries):
    exhibition = build_exhibition(size)
    booth = exhibition.booths.first()
    exhibit = booth.exhibits.first()
    # The first page also asks the news for its next scheduled article (core/caching.py).
    budget = {
        reverse("exhibition:index"): 3,
        exhibition.get_absolute_url(): 6,
        exhibition.get_absolute_url() + f"?kind=handicraft&agency={booth.agency.slug}": 7,
        booth.get_absolute_url(): 5,
        exhibit.get_absolute_url(): 4,
    }
    for url, queries in budget.items():
        with django_assert_max_num_queries(queries):
            page(client, url)
