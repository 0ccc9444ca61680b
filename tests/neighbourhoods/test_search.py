"""The public neighbourhood search: by name, by city and by code, whatever the spelling and the
digits, with the found words marked."""

import re
from types import SimpleNamespace

import pytest

from neighbourhoods.models import City, County, Neighbourhood, Province
from tests.factories import make_neighbourhood

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(db):
    province = Province.objects.create(name="سمنان", slug="semnan-province")
    county = County.objects.create(province=province, name="مهدی\u200cشهر", slug="mehdishahr")

    def city(name, slug):
        return City.objects.create(county=county, name=name, slug=slug)

    semnan, mehdishahr = city("سمنان", "semnan"), city("مهدی\u200cشهر", "mehdishahr")
    kerman = city("كرمانشاه نو", "kerman-no")  # stored with an Arabic kaf
    return SimpleNamespace(
        semnan=semnan,
        mehdishahr=mehdishahr,
        kerman=kerman,
        zarrin=make_neighbourhood(city=semnan, name="کوی زرین", code="SMN-001"),
        houses=make_neighbourhood(city=mehdishahr, name="خانه\u200cهای سازمانی", code="DEMO-02"),
        valiasr=make_neighbourhood(city=mehdishahr, name="شهرک ولیعصر", code="DEMO-102"),
        bazaar=make_neighbourhood(city=kerman, name="بازار", code="DEMO-12"),
    )


def found(query):
    return set(Neighbourhood.objects.search(query))


def page_of(client, query, url="/neighbourhoods/"):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def listed(html):
    return set(re.findall(r'href="/neighbourhoods/([A-Z0-9-]+)/"', html))


# --- By name, the three forms of a word -----------------------------------------------------


@pytest.mark.parametrize("query", ["خانه\u200cهای", "خانههای", "خانه های", "خانه\u200cهاي"])
def test_the_forms_of_a_name_find_the_same_neighbourhood(towns, query):
    assert found(query) == {towns.houses}


@pytest.mark.parametrize("query", ["خانه\u200cهای", "خانههای", "خانه های"])
def test_the_forms_of_a_name_list_the_same_neighbourhood(client, towns, query):
    assert listed(page_of(client, query)) == {"DEMO-02"}


def test_every_word_must_be_found(towns):
    assert found("کوی زرین") == {towns.zarrin}
    assert found("کوی ولیعصر") == set()


# --- By city ---------------------------------------------------------------------------------


def test_a_city_name_finds_its_neighbourhoods(towns):
    assert found("سمنان") == {towns.zarrin}
    assert found("مهدی\u200cشهر") == {towns.houses, towns.valiasr}


@pytest.mark.parametrize("query", ["مهدي شهر", "مهدیشهر", "مهدی شهر", "مَهدی\u200cشهر"])
def test_a_city_name_is_found_however_it_is_spelt(towns, query):
    assert found(query) == {towns.houses, towns.valiasr}


def test_a_city_stored_with_arabic_letters_is_found_with_persian_ones(towns):
    assert found("کرمانشاه") == found("كرمانشاه نو") == {towns.bazaar}


def test_name_and_city_words_together(towns):
    assert found("زرین سمنان") == {towns.zarrin}
    assert found("ولیعصر مهدی‌شهر") == {towns.valiasr}
    assert found("زرین مهدی‌شهر") == set()


def test_the_city_page_searches_within_its_city(client, towns):
    assert listed(page_of(client, "DEMO", url="/neighbourhoods/city/mehdishahr/")) == {
        "DEMO-02",
        "DEMO-102",
    }


# --- By code ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["DEMO-02", "demo-02", "DEMO-۰۲", "DEMO-٠٢", "demo ۰۲", "demo02"])
def test_a_code_in_any_case_and_any_digits_finds_its_neighbourhood(towns, query):
    assert found(query) == {towns.houses}


def test_a_code_typed_with_persian_digits_lists_the_neighbourhood(client, towns):
    html = page_of(client, "DEMO-۰۲")
    assert listed(html) == {"DEMO-02"}
    assert "<mark>DEMO-02</mark>" in html


def test_part_of_a_code_finds_every_code_with_it(towns):
    assert found("SMN") == {towns.zarrin}
    assert found("demo-1") == {towns.valiasr, towns.bazaar}


# --- Marks -----------------------------------------------------------------------------------


def test_found_words_are_marked_in_names_and_city_names(client, towns):
    html = page_of(client, "زرين سمنان")
    assert "کوی <mark>زرین</mark>" in html
    assert '<a href="/neighbourhoods/city/semnan/"><mark>سمنان</mark></a>' in html


def test_a_name_found_through_a_variant_is_marked_as_written(client, towns):
    html = page_of(client, "خانه های")
    assert "<mark>خانه\u200cهای</mark> سازمانی" in html


def test_markup_in_a_name_stays_text_when_marked(client, towns):
    make_neighbourhood(city=towns.semnan, name="<script>x()</script> کوی امید", code="SMN-009")
    html = page_of(client, "امید")
    assert "<script>x()" not in html
    assert "&lt;script&gt;x()&lt;/script&gt; کوی <mark>امید</mark>" in html


def test_without_a_query_nothing_is_marked(client, towns):
    response = client.get("/neighbourhoods/")
    assert "<mark>" not in response.content.decode()


# --- Odd input and cost ----------------------------------------------------------------------


def test_a_nul_byte_in_the_query_gets_a_clear_answer_not_a_server_error(client, towns):
    response = client.get("/neighbourhoods/", {"q": "کوی\x00زرین"})
    assert response.status_code == 400
    assert "نویسهٔ نامجاز" in response.content.decode()


def test_a_nul_byte_reaching_the_search_itself_separates_two_words(towns):
    assert found("کوی\x00زرین") == {towns.zarrin}
    assert found("\x00") == set(Neighbourhood.objects.all())  # nothing to search for


def test_a_query_that_matches_nothing_says_what_was_searched(client, towns):
    html = page_of(client, "ناکجاآباد")
    assert "محله‌ای با نام «ناکجاآباد» پیدا نشد؛ شهری یا کد محله‌ای هم با آن پیدا نشد." in html


@pytest.mark.parametrize("extra", [2, 40])
def test_search_queries_do_not_grow_with_the_list(
    client, towns, extra, django_assert_max_num_queries
):
    for n in range(extra):
        make_neighbourhood(city=towns.mehdishahr, name=f"خانه\u200cهای شمارهٔ {n}", code=f"X-{n}")
    # The same 4 as the list without a search: the city's name is folded in the same query.
    with django_assert_max_num_queries(4):
        html = page_of(client, "خانه های مهدی شهر")
    assert len(listed(html)) == extra + 1
