"""News search and the zero-width non-joiner: one word however its parts are joined, never two
words that merely stand next to each other, and the found words marked in the results."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection

from core.text import normalize_for_search
from news.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"
THREE_FORMS = ["خانه\u200cهای", "خانههای", "خانه های"]
on_postgresql = connection.vendor == "postgresql"


@pytest.fixture
def houses():
    """Articles that write «خانه‌های» three ways, and two that only have its letters."""
    return {
        "zwnj": make_article(
            title="بازسازی خانه\u200cهای فرسودهٔ محلهٔ کوثر",
            lead="کار نوسازی بافت قدیمی شاهرود آغاز شد.",
            body="<p>بنّایان محله در این طرح کار می‌کنند.</p>",
        ),
        "space": make_article(
            title="آغاز طرح گرمایش زمستانی",
            lead="بخاری‌های نو به خانه های سالمندان تنها رسید.",
            body="<p>پخش بخاری تا پایان آذر ادامه دارد.</p>",
        ),
        "glued": make_article(
            title="گزارش سال",
            lead="گزارش کار یک سال طرح در سمنان.",
            body="<p>در این سال خانههای بسیاری لوله‌کشی گاز شدند.</p>",
        ),
        # «خانه» and «های» both occur, but not as one word: a ZWNJ split used to find these.
        "apart": make_article(
            title="خانهٔ امید میزبان کودکان شد",
            lead="فعالیت\u200cهای تابستانی کودکان محله در خانهٔ امید برگزار شد.",
            body="<p>مربیان برنامه\u200cهای تازه\u200cای آوردند.</p>",
        ),
        "unrelated": make_article(
            title="مانور زلزله در مدرسه",
            lead="دانش\u200cآموزان پناه گرفتن را تمرین کردند.",
            body="<p>هلال\u200cاحمر آموزش داد.</p>",
        ),
    }


@pytest.fixture
def low_income():
    """«کم‌برخوردار» as one word, and «کم» and «برخوردار» in other words, apart and adjacent."""
    return {
        "word": make_article(
            title="توانمندسازی زنان محله\u200cهای کم\u200cبرخوردار",
            lead="دوره\u200cهای آموزشی برای مادران برگزار شد.",
            body="<p>کلاس\u200cها هر هفته برپاست.</p>",
        ),
        "apart": make_article(
            title="گزارش بهزیستی از کمک\u200cهای زمستانی",
            lead="دست\u200cکم سیصد خانوار از این کمک\u200cها برخوردار شدند.",
            body="<p>کمک\u200cها تا پایان ماه ادامه دارد.</p>",
        ),
        "adjacent": make_article(
            title="گزارش کمیته از سبد غذایی",
            lead="همهٔ خانوارهای شناسایی\u200cشده دست\u200cکم برخوردار از یک سبد شدند.",
            body="<p>سبدها هر ماه پخش می\u200cشود.</p>",
        ),
    }


def found(query):
    return set(Article.objects.published().search(query))


def exact(query):
    return {article for article in Article.objects.published().search(query) if article.exact_match}


def page_of(client, query):
    response = client.get("/news/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def result_urls(html):
    return set(re.findall(r'class="stretched-title" href="([^"]+)"', html))


# --- The three forms of one word ------------------------------------------------------------


@pytest.mark.parametrize("query", THREE_FORMS)
def test_the_three_forms_find_exactly_the_articles_with_the_word(houses, query):
    assert found(query) == {houses["zwnj"], houses["space"], houses["glued"]}


def test_the_three_forms_find_the_same_articles_on_the_page(client, houses):
    pages = [result_urls(page_of(client, query)) for query in THREE_FORMS]
    expected = {houses[key].get_absolute_url() for key in ("zwnj", "space", "glued")}
    assert pages == [expected, expected, expected]


def test_the_letters_of_the_word_in_two_words_do_not_match(houses):
    assert houses["apart"] not in found("خانه\u200cهای")
    # Each part alone is still a word of its own.
    assert houses["apart"] in found("خانه")


def test_a_compound_typed_with_a_zwnj_is_not_found_in_two_words(low_income):
    for query in ["کم\u200cبرخوردار", "کمبرخوردار", "كم\u200cبرخوردار"]:
        assert found(query) == {low_income["word"]}, query


def test_the_counter_example_alone_is_not_found_even_as_a_near_match(client, low_income):
    Article.objects.filter(pk=low_income["word"].pk).delete()
    assert found("کم\u200cبرخوردار") == set()
    html = page_of(client, "کم\u200cبرخوردار")
    assert "خبری برای «کم\u200cبرخوردار» پیدا نشد" in html


@pytest.mark.skipif(not on_postgresql, reason="near matches are PostgreSQL's trigram search")
def test_near_matches_are_offered_only_when_nothing_matches_and_said_to_be_near(client):
    typo = make_article(title="توانمندسازی زنان سرپرست خانوار", lead="لید.")
    assert exact("توانمندسازیی") == set()
    assert found("توانمندسازیی") == {typo}
    html = page_of(client, "توانمندسازیی")
    assert "خبری دقیقاً با واژه‌های «توانمندسازیی» پیدا نشد؛ این ۱ خبر" in html
    assert "<mark>" not in html
    # Once an article has the word as typed, the near one is left out.
    typed = make_article(title="طرح توانمندسازیی", lead="لید.")
    assert found("توانمندسازیی") == exact("توانمندسازیی") == {typed}


def test_two_words_typed_apart_are_two_words(low_income):
    # A space in the query makes two words, each of which may stand anywhere in the article.
    assert found("کم برخوردار") == {low_income["word"], low_income["apart"], low_income["adjacent"]}


def test_suffixes_written_apart_join_their_word_in_the_article_too(houses):
    assert found("خانه های سالمندان") == {houses["space"]}


# --- Arabic letters, digits, marks ---------------------------------------------------------


def test_arabic_yeh_and_kaf_typed_find_persian_text(houses, low_income):
    assert found("خانه\u200cهاي") == found("خانه\u200cهای")
    assert found("كم\u200cبرخوردار") == {low_income["word"]}
    assert found("كوثر") == {houses["zwnj"]}


def test_persian_text_stored_with_arabic_letters_is_found_by_persian_letters():
    article = make_article(title="كمك به خانواده\u200cهاي كم\u200cبرخوردار", lead="لید.")
    assert found("کمک به خانواده\u200cهای") == {article}


def test_diacritics_tatweel_and_direction_marks_do_not_matter(houses):
    assert found("بنّایان") == found("بنایان") == {houses["zwnj"]}
    assert found("خانـــه\u200cهای") == found("\u200fخانه\u200cهای\u200e") == found("خانه\u200cهای")


# --- Marks ---------------------------------------------------------------------------------


def test_found_words_are_marked_in_title_and_excerpt(client, houses):
    html = page_of(client, "خانه\u200cهای")
    assert "بازسازی <mark>خانه\u200cهای</mark> فرسودهٔ" in html  # the title
    assert "به <mark>خانه های</mark> سالمندان" in html  # the lead, written with a space
    # Found only in the body: the excerpt is the body around the word.
    assert "در این سال <mark>خانههای</mark> بسیاری" in html


def test_every_word_of_the_query_is_marked(client, houses):
    html = page_of(client, "طرح گرمایش")
    assert "آغاز <mark>طرح</mark> <mark>گرمایش</mark> زمستانی" in html


def test_markup_in_a_title_stays_text_when_marked(client):
    make_article(
        title="<script>alert('x')</script> خانه\u200cهای <b>امن</b>",
        lead="<img src=x onerror=alert(1)> لید خانه\u200cهای امن.",
    )
    html = page_of(client, "خانه\u200cهای امن")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>خانه\u200cهای</mark>" in html
    assert "&lt;b&gt;<mark>امن</mark>&lt;/b&gt;" in html
    assert "&#x۲۷;" not in html  # the digits of an entity are not made Persian
    assert "&lt;img src=x onerror=alert(۱)&gt; لید <mark>خانه\u200cهای</mark>" in html


def test_digits_are_marked_and_shown_persian_whichever_script_was_typed(client):
    make_article(title="افتتاح 12 کارگاه خیاطی", lead="کارگاه‌ها در ۱۴۰۴ آغاز شدند.")
    html = page_of(client, "۱۲ کارگاه ١٤٠٤")
    assert "افتتاح <mark>۱۲</mark> <mark>کارگاه</mark> خیاطی" in html
    assert "<mark>کارگاه</mark>‌ها در <mark>۱۴۰۴</mark> آغاز" in html


def test_a_query_with_markup_is_shown_as_text(client, houses):
    html = page_of(client, "<mark>خانه</mark>")
    assert "&lt;mark&gt;خانه&lt;/mark&gt;" in html


def test_a_long_body_gives_an_excerpt_around_the_word(client):
    filler = " ".join(f"واژهٔ{n}" for n in range(200))
    make_article(title="گزارش", lead="لید کوتاه.", body=f"<p>{filler} آبرسانی {filler}</p>")
    html = page_of(client, "آبرسانی")
    excerpt = re.search(r"news-card-lead[^>]*>([^<]*<mark>آبرسانی</mark>[^<]*)<", html).group(1)
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert len(excerpt.split()) < 40


# --- Odd input -----------------------------------------------------------------------------


def test_a_nul_byte_in_the_query_gets_a_clear_answer_not_a_server_error(client, houses):
    # The request guard (core/middleware.py) answers before the search runs.
    response = client.get("/news/search/", {"q": "خانه\x00های"})
    assert response.status_code == 400
    assert "نویسهٔ نامجاز" in response.content.decode()


def test_a_nul_byte_reaching_the_search_itself_separates_two_words(houses):
    # Behind the guard the search still never sends a NUL to PostgreSQL, which would refuse
    # the whole query: like punctuation, it separates words.
    assert found("خانه\x00های") == found("خانه") & found("های")
    assert found("\x00") == set()


def test_only_punctuation_or_joiners_finds_nothing(houses):
    assert found(f"{ZWNJ} ، . «»") == set()


# --- The rows saved before -----------------------------------------------------------------


def test_the_data_migration_refills_the_search_text_of_older_rows(houses):
    article = houses["zwnj"]
    old = normalize_for_search(f"{article.title} {article.lead}")
    Article.objects.filter(pk=article.pk).update(search_text=old)
    assert article not in found("خانه\u200cهای")
    migration = importlib.import_module("news.migrations.0004_search_text_words")
    migration.forwards(apps, None)
    assert article in found("خانه\u200cهای")
