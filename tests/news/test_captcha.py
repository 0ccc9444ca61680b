"""The comment captcha: a signed, expiring sum in the form, spent once answered on any node,
a picture that answers 404 to anything but a live token, and nothing written to the database
until a comment is."""

import io
import threading
import time
from unittest import mock

import pytest
from django.core import signing
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from PIL import Image

from core.digits import to_persian_digits
from news import captcha
from news.models import Comment
from tests.samples import captcha_from, comment_data

pytestmark = pytest.mark.django_db

WRONG = "پاسخ پرسش امنیتی درست نبود. حاصل عبارت تصویر تازه را بنویسید."
EXPIRED = "زمان پاسخ به پرسش امنیتی گذشته بود. حاصل عبارت تصویر تازه را بنویسید."
WRITES = ("INSERT", "UPDATE", "DELETE")


def form_page(client, article) -> str:
    """The page with a form made for this reader (?comment=1, as without JavaScript)."""
    response = client.get(article.get_absolute_url(), {"comment": "1"})
    assert response.status_code == 200
    return response.content.decode()


def post(client, article, data):
    return client.post(article.get_absolute_url(), data)


def _other(char: str) -> str:
    return "B" if char == "A" else "A"


def _part(token: str, index: int, value: str) -> str:
    parts = token.split(":")
    parts[index] = value
    return ":".join(parts)


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]


def test_the_right_answer_is_accepted_once(client, article):
    data = comment_data(form_page(client, article))
    assert post(client, article, data).status_code == 302
    replay = post(client, article, {**data, "text": "همان پاسخ، بار دوم"})
    assert replay.status_code == 200
    assert WRONG in replay.content.decode()
    assert Comment.objects.count() == 1


def test_a_token_answered_on_one_node_is_spent_on_the_others(client, article):
    # Nodes share only the secret key and the cache; the captcha keeps nothing in the session
    # or the node's memory, so a client with no cookies stands for a visitor sent elsewhere.
    data = comment_data(form_page(client, article))
    assert post(client, article, data).status_code == 302
    other_node = Client()
    assert WRONG in post(other_node, article, data).content.decode()
    assert Comment.objects.count() == 1


def test_an_expired_token_is_refused(client, article):
    data = comment_data(form_page(client, article))
    later = time.time() + captcha.lifetime() + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = post(client, article, data)
    assert response.status_code == 200
    assert EXPIRED in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_token_just_inside_its_lifetime_is_accepted(client, article):
    data = comment_data(form_page(client, article))
    later = time.time() + captcha.lifetime() - 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert post(client, article, data).status_code == 302


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + _other(token[-1]),  # the signature
        lambda token: _other(token[0]) + token[1:],  # the nonce
        lambda token: _part(token, 1, signing.b62_encode(int(time.time()) + 600)),  # issued later
        lambda token: signing.TimestampSigner(key="not-our-key", salt=captcha.SALT).sign("n"),
        lambda token: signing.TimestampSigner(salt="another.salt").sign("abc"),
        lambda token: "",
        lambda token: "garbage",
        lambda token: token + "\x00",
        lambda token: "::" * 200,
    ],
    ids=["signature", "nonce", "issued", "key", "salt", "empty", "garbage", "nul", "huge"],
)
def test_a_tampered_token_is_refused(client, article, tamper):
    html = form_page(client, article)
    token, _answer = captcha_from(html)
    response = post(client, article, comment_data(html, captcha_0=tamper(token)))
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_missing_token_is_refused(client, article):
    data = comment_data(form_page(client, article))
    del data["captcha_0"]
    response = post(client, article, data)
    assert WRONG in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        lambda answer: to_persian_digits(answer),
        lambda answer: answer.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        lambda answer: f"\u200f{to_persian_digits(answer)}\u200e ",  # direction marks pasted along
    ],
    ids=["persian", "arabic-indic", "with-direction-marks"],
)
def test_an_answer_in_persian_digits_is_accepted(client, article, typed):
    html = form_page(client, article)
    _token, answer = captcha_from(html)
    assert post(client, article, comment_data(html, captcha_1=typed(answer))).status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("typed", ["abc", "\x00", "۱" * 5000, "-1", "1.5"])
def test_an_answer_that_is_not_a_number_is_wrong_not_an_error(client, article, typed):
    response = post(client, article, comment_data(form_page(client, article), captcha_1=typed))
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_the_answer_is_not_written_in_the_token(client, article):
    token, answer = captcha_from(form_page(client, article))
    nonce = token.split(":")[0]
    first, second = captcha.challenge_of(nonce)
    assert first + second == int(answer)
    # What a bot can read is the nonce and when it was issued; the sum is keyed by the secret.
    assert signing.TimestampSigner(salt=captcha.SALT).unsign(token) == nonce
    assert token.count(":") == 2


def test_the_sum_depends_on_the_secret_key(settings):
    nonces = [f"nonce-{i}" for i in range(20)]
    ours = [captcha.challenge_of(nonce) for nonce in nonces]
    settings.SECRET_KEY = "a-different-secret-key-for-another-site-" * 2
    assert [captcha.challenge_of(nonce) for nonce in nonces] != ours


def test_every_sum_is_small_and_positive():
    for i in range(500):
        first, second = captcha.challenge_of(f"n{i}")
        assert 3 <= first <= 29 and 2 <= second <= 9


def test_the_picture_is_a_png_for_a_live_token(client, article):
    token, _answer = captcha_from(form_page(client, article))
    response = client.get(f"/captcha/image/{token}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= captcha.lifetime()
    assert "private" in response["Cache-Control"]
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.size == (captcha.WIDTH * captcha.SCALE, captcha.HEIGHT * captcha.SCALE)
    assert client.get(f"/captcha/image/{token}/").content == response.content  # the same picture


def test_the_picture_uses_the_shipped_font_and_persian_digits(settings):
    font, found = captcha._font(40)
    assert found, "static/vendor/vazirmatn is where the picture's font comes from"
    assert font.getmask("\ue000").getbbox() is None  # a character the font lacks draws nothing
    assert all(font.getmask(char).getbbox() for char in "۰۱۲۳۴۵۶۷۸۹+=")
    persian = captcha.draw("n1")
    settings.NEWS_CAPTCHA_PERSIAN_DIGITS = False
    assert captcha.draw("n1") != persian  # the same sum, in Latin digits


def test_the_picture_is_drawn_without_the_font_if_it_is_missing():
    with mock.patch.object(captcha, "FONT", "vendor/missing/none.woff2"):
        assert captcha.draw("n1").startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "/captcha/image/garbage/",
        "/captcha/image/a:b:c/",
        "/captcha/image/" + "A" * 5000 + "/",
        "/captcha/image/%F0%9F%98%80:%C3%A9:x/",
        "/captcha/image/%ff%fe/",
    ],
)
def test_the_picture_of_anything_else_is_404(client, path):
    assert client.get(path).status_code == 404


def test_the_picture_of_a_token_with_nul_is_never_a_500(client, article):
    token, _answer = captcha_from(form_page(client, article))
    assert client.get(f"/captcha/image/{token}%00/").status_code in (400, 404)
    # The view itself, without the middleware that answers NUL in an address with a 400:
    request = RequestFactory().get("/captcha/image/x/")
    for bad in (token + "\x00", "\x00", "\x00" + token[1:]):
        with pytest.raises(Http404):
            captcha.image_view(request, token=bad)


def test_the_picture_of_an_expired_token_is_404(client, article):
    token, _answer = captcha_from(form_page(client, article))
    later = time.time() + captcha.lifetime() + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(f"/captcha/image/{token}/").status_code == 404


def test_refresh_writes_nothing_to_the_database(client, article):
    html = form_page(client, article)
    data = comment_data(html, text="نیمه‌کاره", captcha_1="", captcha_refresh="1")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            payload = client.get("/captcha/refresh/").json()
            assert client.get(payload["image_url"]).status_code == 200
        page = post(client, article, data).content.decode()
    assert writes(queries) == []
    assert captcha_from(page)[0] != data["captcha_0"]


def test_refresh_answers_are_not_cached(client):
    response = client.get("/captcha/refresh/")
    assert response["Cache-Control"] == "no-store"
    assert client.get("/captcha/refresh/").json()["key"] != response.json()["key"]


def test_a_wrong_answer_spends_the_token_but_writes_no_row(client, article):
    html = form_page(client, article)
    _token, answer = captcha_from(html)
    with CaptureQueriesContext(connection) as queries:
        post(client, article, comment_data(html, captcha_1=str(int(answer) + 1)))
    assert writes(queries) == []
    assert WRONG in post(client, article, comment_data(html)).content.decode()
    assert Comment.objects.count() == 0


def test_two_nodes_answering_the_same_token_at_once_let_one_through(redis_cache):
    """The spent mark is Redis's atomic SET NX: of many simultaneous answers, one counts."""
    shared = redis_cache
    token = captcha.issue()
    answer = str(captcha.expected_answer(token))
    start = threading.Barrier(8)
    outcomes = []

    def node():
        start.wait()
        try:
            captcha.redeem(token, answer)
            outcomes.append("accepted")
        except captcha.InvalidToken:
            outcomes.append("refused")

    with mock.patch.object(captcha, "cache", shared):
        threads = [threading.Thread(target=node) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    shared.delete(f"news:captcha:spent:{token.split(':')[0]}")
    assert sorted(outcomes) == ["accepted"] + ["refused"] * 7
