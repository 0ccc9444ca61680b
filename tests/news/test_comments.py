"""Posting a comment: pending until approved, arithmetic captcha in any digits, once only,
a honeypot, length limits, and nothing typed is lost when the form is refused."""

import io

import pytest
from PIL import Image

from news.models import Comment, CommentStatus
from tests.factories import make_article
from tests.samples import captcha_from, comment_data

pytestmark = pytest.mark.django_db

THANKS = "نظر شما ثبت شد و پس از تأیید نمایش داده می‌شود"
WRONG_CAPTCHA = "پاسخ پرسش امنیتی درست نبود"


def form_page(client, article, **params):
    """The page with a form made for this reader (?comment=1, as without JavaScript)."""
    response = client.get(article.get_absolute_url(), {"comment": "1", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_new_comment_waits_for_approval_and_reader_is_told_so(client, article):
    data = comment_data(form_page(client, article), email="maryam@example.org")
    response = client.post(article.get_absolute_url(), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1#comment-form")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.email == "maryam@example.org"
    page = client.get(response["Location"]).content.decode()
    assert THANKS in page
    assert "کار خوبی بود" not in page  # not shown before approval


def test_approved_comment_is_shown_without_its_email(client, article):
    client.post(
        article.get_absolute_url(),
        comment_data(form_page(client, article), email="secret@example.org"),
    )
    Comment.objects.update(status=CommentStatus.APPROVED)
    page = form_page(client, article)
    assert "کار خوبی بود" in page
    assert "secret@example.org" not in page


def test_wrong_captcha_is_refused_and_keeps_what_was_typed(client, article):
    html = form_page(client, article)
    key, answer = captcha_from(html)
    data = comment_data(html, text="متنی که نباید گم شود", captcha_1=str(int(answer) + 1))
    response = client.post(article.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert WRONG_CAPTCHA in page
    assert "متنی که نباید گم شود" in page
    assert 'value="مریم"' in page
    assert captcha_from(page)[0] != key  # a fresh challenge to answer
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("digits", ["۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"], ids=["persian", "arabic-indic"])
def test_captcha_answer_in_persian_or_arabic_digits_is_accepted(client, article, digits):
    html = form_page(client, article)
    _key, answer = captcha_from(html)
    typed = "".join(digits[int(d)] for d in answer)
    response = client.post(article.get_absolute_url(), comment_data(html, captcha_1=f" {typed} "))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_solved_captcha_cannot_be_used_again(client, article):
    data = comment_data(form_page(client, article))
    assert client.post(article.get_absolute_url(), data).status_code == 302
    client.cookies.clear()  # a new visitor, or another node: the spent mark is in the shared cache
    replay = client.post(article.get_absolute_url(), {**data, "text": "همان پاسخ، دوباره"})
    assert replay.status_code == 200
    assert WRONG_CAPTCHA in replay.content.decode()
    assert Comment.objects.count() == 1


def test_a_captcha_answered_wrong_once_is_spent(client, article):
    right = comment_data(form_page(client, article))
    client.post(article.get_absolute_url(), {**right, "captcha_1": "999"})
    retry = client.post(article.get_absolute_url(), right)
    assert WRONG_CAPTCHA in retry.content.decode()
    assert Comment.objects.count() == 0


def test_missing_captcha_answer_is_reported(client, article):
    response = client.post(
        article.get_absolute_url(), comment_data(form_page(client, article), captcha_1="")
    )
    assert "حاصل عبارت تصویر را بنویسید." in response.content.decode()
    assert Comment.objects.count() == 0


def test_filled_honeypot_looks_accepted_but_stores_nothing(client, article):
    data = comment_data(form_page(client, article), website="https://spam.example/")
    response = client.post(article.get_absolute_url(), data)
    assert response.status_code == 302
    assert Comment.objects.count() == 0


def test_honeypot_is_hidden_from_people(client, article):
    html = form_page(client, article)
    box = html[html.index('class="comment-hp"') - 20 :][:300]
    assert 'aria-hidden="true"' in box
    assert 'tabindex="-1"' in box


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "م", "نام باید دست‌کم ۲ نویسه باشد."),
        ("name", "م" * 61, "نام نباید بیش از ۶۰ نویسه باشد."),
        ("text", "خو", "متن نظر باید دست‌کم ۳ نویسه باشد."),
        ("text", "خ" * 1501, "متن نظر نباید بیش از ۱۵۰۰ نویسه باشد."),
        ("email", "not-an-email", "نشانی ایمیل درست نیست."),
        ("name", "", "این فیلد لازم است."),
    ],
)
def test_length_and_format_limits_are_explained_in_persian(client, article, field, value, message):
    response = client.post(
        article.get_absolute_url(), comment_data(form_page(client, article), **{field: value})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert Comment.objects.count() == 0


def test_another_captcha_without_javascript_keeps_the_text_and_reports_nothing(client, article):
    html = form_page(client, article)
    data = comment_data(html, text="نیمه‌کاره", captcha_1="", captcha_refresh="1")
    response = client.post(article.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "نیمه‌کاره" in page
    assert "invalid-feedback" not in page
    assert captcha_from(page)[0] != data["captcha_0"]
    assert Comment.objects.count() == 0


def test_captcha_refresh_view_gives_a_new_challenge_for_the_script(client):
    response = client.get("/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"})
    payload = response.json()
    assert payload["image_url"] == f"/captcha/image/{payload['key']}/"
    assert client.get(payload["image_url"])["Content-Type"] == "image/png"


def test_captcha_picture_is_a_png_of_the_size_the_page_gives_it(client, article):
    html = form_page(client, article)
    key, _answer = captcha_from(html)
    assert f'src="/captcha/image/{key}/" width="200" height="64"' in html
    response = client.get(f"/captcha/image/{key}/")
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.format == "PNG"
        assert picture.size == (400, 128)  # drawn at twice the size, for phone screens


def test_comments_cannot_be_posted_to_a_draft(client):
    draft = make_article(published=False)
    assert client.post(draft.get_absolute_url(), {"name": "x"}).status_code == 404


def test_a_name_cannot_turn_the_page_around(client, article):
    # U+202E (right-to-left override) would show «مریم» and what follows it reversed.
    data = comment_data(form_page(client, article), name="\u202eمریم\u2066 رضایی\u2069")
    assert client.post(article.get_absolute_url(), data).status_code == 302
    comment = Comment.objects.get()
    assert comment.name == "مریم رضایی"
    Comment.objects.update(status=CommentStatus.APPROVED)
    page = form_page(client, article, reply_to=comment.pk)
    assert '<strong class="comment-author"><bdi>مریم رضایی</bdi></strong>' in page
    assert "از <bdi>مریم رضایی</bdi>" in page  # the reply banner isolates it too


def test_a_name_of_direction_controls_only_is_too_short(client, article):
    data = comment_data(form_page(client, article), name="\u202e\u202e\u202e")
    response = client.post(article.get_absolute_url(), data)
    assert response.status_code == 200
    assert "نام باید دست‌کم" in response.content.decode()
    assert not Comment.objects.exists()
