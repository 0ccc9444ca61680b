"""Two gunicorn nodes behind one address: whichever node answers, the visitor gets the same site.

A form shown by one node is accepted by the other and its captcha spent for both; a staff
session made on one is valid (and ended) on both; a photo uploaded on one is read from the
other. Needs PostgreSQL: on SQLite pytest-django's test database lives in the test process's
memory, where no gunicorn can open it.
"""

import io
import json
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test.utils import override_settings
from django.urls import reverse
from PIL import Image

from core.media import private_url
from exhibition.models import Photo
from news.captcha import INVALID_MESSAGE
from news.models import Comment, CommentStatus
from tests.factories import (
    StaffRole,
    make_agency,
    make_article,
    make_booth,
    make_exhibit,
    make_exhibition,
    make_user,
)
from tests.nodes.visitor import Visitor
from tests.samples import comment_data_fetched, jpeg_bytes, picture

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "two gunicorn nodes need a database both can open; pytest-django's SQLite test "
            "database is in memory (run with DATABASE_URL=postgres://...)"
        ),
    ),
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

THANKS = "نظر شما ثبت شد و پس از تأیید نمایش داده می‌شود"
PASSWORD = "node-pass-1405-x"
# The first photo a page shows: through the staff view, or from the public media folder.
STAFF_IMAGE = re.compile(r'<img src="(/panel/media/[^"]+)"')
PUBLIC_IMAGE = re.compile(r'<img src="(/media/exhibition/photos/[^"]+)"')


def staff_user(**fields):
    """A staff user who can sign in on the nodes: the run's users get MD5 hashes
    (tests/conftest.py), which the nodes' production hasher list does not read."""
    user = make_user(**fields)
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def sign_in(visitor, node, user) -> None:
    """Sign *user* in through the panel's login form on *node*."""
    form = visitor.get(node, "/panel/login/")
    assert form.status == 200
    answer = visitor.post(
        node,
        "/panel/login/",
        {
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": form.csrf_token(),
        },
    )
    assert (answer.status, answer.location) == (302, "/panel/"), node.log()


def upload_photo(visitor, node, exhibit, *, people: str) -> None:
    """Upload one 800×600 JPEG to *exhibit* through the exhibit's panel page on *node*."""
    page = visitor.get(node, reverse("exhibition_panel:exhibit", args=[exhibit.pk]))
    assert page.status == 200
    answer = visitor.post(
        node,
        reverse("exhibition_panel:photo_upload", args=[exhibit.pk]),
        {
            "alt_text": "گلدان سفالی آبی",
            "caption": "",
            "people": people,
            "csrfmiddlewaretoken": page.csrf_token(),
        },
        files=[("images", "vase.jpg", "image/jpeg", jpeg_bytes(picture(800, 600)))],
    )
    assert answer.status == 302, answer.text[-3000:] + node.log()


# --- A comment: the form from one node, the answer to the other --------------------------


def test_comment_form_from_one_node_is_accepted_by_the_other_once(two_nodes):
    a, b = two_nodes.a, two_nodes.b
    article = make_article()
    url = article.get_absolute_url()
    visitor = Visitor()
    page = visitor.get(a, url)
    assert page.status == 200
    # The page may come from the cache: its form gets this visitor's captcha and CSRF token
    # from /captcha/refresh/, as static/js/comments.js does, here from node A too.
    challenge = json.loads(visitor.get(a, "/captcha/refresh/").text)
    # The captcha's answer, worked out with the nodes' key as a node would (nothing is spent).
    with override_settings(SECRET_KEY=two_nodes.shared.secret_key):
        data = comment_data_fetched(challenge)

    sent = visitor.post(b, url, data)
    assert sent.status == 302, b.log()
    assert THANKS in visitor.get(b, sent.location.split("#")[0]).text
    assert list(Comment.objects.filter(article=article).values_list("text", "status")) == [
        (data["text"], CommentStatus.PENDING)
    ]

    replay = visitor.post(a, url, {**data, "text": "همان پاسخ، این بار به گره دیگر"})
    assert replay.status == 200
    assert INVALID_MESSAGE in replay.text
    assert Comment.objects.filter(article=article).count() == 1


# --- A staff session: made on one node, valid on the other, ended on both ----------------


def test_staff_signed_in_on_one_node_are_signed_in_on_the_other(two_nodes):
    user = staff_user(role=StaffRole.COORDINATOR, first_name="نرگس", last_name="کاظمی")
    visitor = Visitor()
    sign_in(visitor, two_nodes.a, user)

    panel = visitor.get(two_nodes.b, "/panel/")
    assert panel.status == 200
    assert "نرگس کاظمی عزیز، خوش آمدید." in panel.text


def test_signing_out_on_one_node_ends_the_session_on_the_other(two_nodes):
    user = staff_user(role=StaffRole.COORDINATOR)
    visitor = Visitor()
    sign_in(visitor, two_nodes.a, user)
    remembered = Visitor()
    remembered.cookies = dict(visitor.cookies)  # a copy of the cookie, kept by someone else

    home = visitor.get(two_nodes.b, "/panel/")
    out = visitor.post(two_nodes.b, "/panel/logout/", {"csrfmiddlewaretoken": home.csrf_token()})
    assert out.status == 302

    again = remembered.get(two_nodes.a, "/panel/")
    assert (again.status, again.location) == (302, "/panel/login/?next=/panel/")


# --- A photo: uploaded on one node, read from the other ----------------------------------


def test_hidden_photo_uploaded_on_one_node_is_shown_to_staff_by_the_other(two_nodes):
    shared = two_nodes.shared
    agency = make_agency()
    unpublished = make_exhibition(is_published=False)
    exhibit = make_exhibit(booth=make_booth(exhibition=unpublished, agency=agency))
    staff = Visitor()
    sign_in(staff, two_nodes.a, staff_user(role=StaffRole.AGENCY_STAFF, agency=agency))

    upload_photo(staff, two_nodes.a, exhibit, people="none")

    photo = Photo.objects.get(exhibit=exhibit)
    page = staff.get(two_nodes.b, reverse("exhibition_panel:exhibit", args=[exhibit.pk]))
    assert "۱ عکس افزوده شد." in page.text  # node A's message, shown by node B
    shown = STAFF_IMAGE.search(page.text).group(1)
    name = shown.removeprefix(private_url(""))
    served = staff.get(two_nodes.b, shown)
    assert served.status == 200
    assert served.body == (shared.private_media_root / name).read_bytes()
    assert not (shared.media_root / name).exists()
    original = staff.get(two_nodes.b, private_url(photo.image.name))
    assert Image.open(io.BytesIO(original.body)).size == (800, 600)
    assert Visitor().get(two_nodes.b, shown).status == 302  # a visitor is sent to sign in


def test_public_photo_uploaded_on_one_node_lies_in_the_shared_folder_for_the_other(two_nodes):
    shared = two_nodes.shared
    agency = make_agency()
    exhibit = make_exhibit(booth=make_booth(exhibition=make_exhibition(), agency=agency))
    reader = Visitor()
    public_page = exhibit.get_absolute_url()
    before = reader.get(two_nodes.b, public_page)  # node B may now hold it in the page cache
    assert before.status == 200
    assert PUBLIC_IMAGE.search(before.text) is None
    staff = Visitor()
    sign_in(staff, two_nodes.a, staff_user(role=StaffRole.AGENCY_STAFF, agency=agency))

    upload_photo(staff, two_nodes.a, exhibit, people="none")

    photo = Photo.objects.get(exhibit=exhibit)
    after = reader.get(two_nodes.b, public_page)
    shown = PUBLIC_IMAGE.search(after.text).group(1)
    name = shown.removeprefix("/media/")
    assert name in photo.image_file_names()
    assert (shared.media_root / name).is_file()  # nginx serves it from there for every node
    assert not (shared.private_media_root / name).exists()
    served = staff.get(two_nodes.b, private_url(name))
    assert served.body == (shared.media_root / name).read_bytes()
    original = shared.media_root / photo.image.name
    assert Image.open(original).size == (800, 600)
