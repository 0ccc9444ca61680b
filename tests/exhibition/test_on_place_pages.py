"""A neighbourhood's and an agency's public pages show their exhibits, never a hidden photo."""

import pytest

from tests.factories import make_booth, make_exhibit, make_neighbourhood, make_photo

pytestmark = pytest.mark.django_db


def test_neighbourhood_page_lists_its_published_exhibits(client):
    neighbourhood = make_neighbourhood()
    shown = make_exhibit(neighbourhood=neighbourhood, title="گلیم دستباف بانوان")
    make_exhibit(neighbourhood=neighbourhood, title="اثر پیش‌نویس", is_published=False)
    html = client.get(neighbourhood.get_absolute_url()).content.decode()
    assert "از این محله در نمایشگاه" in html
    assert shown.get_absolute_url() in html
    assert "اثر پیش‌نویس" not in html


def test_agency_page_lists_exhibits_of_its_booths(client):
    booth = make_booth()
    exhibit = make_exhibit(booth=booth, title="عروسک‌های پارچه‌ای")
    html = client.get(booth.agency.get_absolute_url()).content.decode()
    assert exhibit.get_absolute_url() in html


def test_place_pages_never_show_a_photo_without_consent(client):
    neighbourhood = make_neighbourhood()
    exhibit = make_exhibit(neighbourhood=neighbourhood)
    hidden = make_photo(exhibit=exhibit, shows_people=True, consent_recorded=False)
    for url in (neighbourhood.get_absolute_url(), exhibit.booth.agency.get_absolute_url()):
        html = client.get(url).content.decode()
        assert exhibit.get_absolute_url() in html
        assert hidden.image.name not in html


def test_a_neighbourhood_without_exhibits_has_no_empty_section(client):
    neighbourhood = make_neighbourhood()
    assert "در نمایشگاه" not in client.get(neighbourhood.get_absolute_url()).content.decode()
