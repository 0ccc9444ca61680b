"""Media that is not public is not publicly reachable (core/media.py, exhibition/media.py).

The public ``/media/`` address is served here as nginx serves it in the deployment: whatever
MEDIA_ROOT holds, 404 for anything else (``public_media`` below, in this module's URLconf).
Staff read every exhibition file through ``/panel/media/<name>``, from whichever tree holds it.
"""

import errno
import io
import os
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import Client
from django.urls import include, path, re_path, reverse
from django.views.static import serve
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from agencies.access import SYSTEM
from core import media
from core.media import check_private_root
from demo.models import DemoRow
from demo.purge import purge_demo_data
from exhibition import services
from exhibition.media import staff_file as exhibition_file
from exhibition.models import Exhibit, Exhibition, Photo
from tests.factories import (
    StaffRole,
    make_agency,
    make_booth,
    make_exhibit,
    make_exhibition,
    make_photo,
    make_user,
    small_image,
    stored_files,
)


def public_media(request, path):
    """``/media/`` as nginx serves it: the file if MEDIA_ROOT holds it, else 404."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", public_media),
    path("", include("portal.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# Wide enough for every rendition: the original and 320, 640 and 1280 px in WebP and JPEG.
SEVEN_FILES = (1400, 1050)


@pytest.fixture
def agency():
    return make_agency(slug="emdad")


@pytest.fixture
def exhibit(agency):
    return make_exhibit(booth=make_booth(agency=agency))


@pytest.fixture
def staff(agency):
    """A clerk of the agency whose booth holds the photos."""
    staff = Client()
    staff.force_login(make_user(role=StaffRole.AGENCY_STAFF, agency=agency))
    return staff


def add_photo(exhibit, people="none"):
    shows_people, consent = {"none": (False, False), "no_consent": (True, False)}[people]
    [photo] = services.photos_add(
        exhibit=exhibit,
        images=[small_image(size=SEVEN_FILES)],
        alt_text="کوزهٔ سفالی",
        shows_people=shows_people,
        consent_recorded=consent,
        user=SYSTEM,
    )
    return photo


def public_url(name):
    return settings.MEDIA_URL + name


def private_url(name):
    return reverse("portal:private_media", kwargs={"name": name})


def statuses(client, urls):
    return {url: client.get(url).status_code for url in urls}


def edit_people(staff, photo, people, capture):
    with capture(execute=True):
        response = staff.post(
            reverse("exhibition_panel:photo_edit", args=[photo.pk]),
            {"alt_text": photo.alt_text, "caption": "", "people": people, "order": "0"},
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    return photo


# --- What the issue asks to show ----------------------------------------------------------------


def test_hiding_a_photo_makes_all_its_file_urls_404_to_a_visitor_and_still_serve_to_staff(
    client, staff, exhibit, media_root, django_capture_on_commit_callbacks
):
    photo = add_photo(exhibit)
    names = photo.image_file_names()
    assert len(names) == 7
    assert set(statuses(client, map(public_url, names)).values()) == {200}

    # Staff say the photo shows people whose consent is not recorded.
    photo = edit_people(staff, photo, "no_consent", django_capture_on_commit_callbacks)

    assert photo not in Photo.objects.public()
    assert statuses(client, map(public_url, names)) == {public_url(n): 404 for n in names}
    for name in names:
        response = staff.get(private_url(name))
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == media.private_storage.open(name).read()
        assert set(response["Cache-Control"].replace(" ", "").split(",")) == {
            "private",
            "no-store",
        }
    # A visitor who tries the staff address is sent to the login page, and gets nothing.
    assert client.get(private_url(names[0])).status_code == 302
    assert stored_files(media_root) == []


def test_recording_consent_puts_the_files_back_at_their_public_address(
    client, staff, exhibit, private_media_root, django_capture_on_commit_callbacks
):
    photo = add_photo(exhibit, people="no_consent")
    names = photo.image_file_names()
    # Stored straight into the private tree: never public, not even before the commit.
    assert set(statuses(client, map(public_url, names)).values()) == {404}
    assert len(stored_files(private_media_root)) == 7

    photo = edit_people(staff, photo, "consented", django_capture_on_commit_callbacks)

    assert set(statuses(client, map(public_url, names)).values()) == {200}
    assert stored_files(private_media_root) == []  # nginx's internal location finds nothing
    assert staff.get(private_url(names[0])).status_code == 200  # staff pages keep working


def test_withdrawing_consent_in_the_admin_inline_hides_the_files_too(
    admin_client, client, exhibit, django_capture_on_commit_callbacks
):
    photo = add_photo(exhibit)
    form = {
        "booth": exhibit.booth_id,
        "title": exhibit.title,
        "kind": exhibit.kind,
        "neighbourhood": exhibit.neighbourhood_id,
        "order": 0,
        "is_published": "on",
        "photos-TOTAL_FORMS": 1,
        "photos-INITIAL_FORMS": 1,
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
        "photos-0-id": photo.pk,
        "photos-0-exhibit": exhibit.pk,
        "photos-0-alt_text": photo.alt_text,
        "photos-0-caption": "",
        "photos-0-shows_people": "on",  # consent_recorded left unticked
        "photos-0-order": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:exhibition_exhibit_change", args=[exhibit.pk]), form
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.shows_people, photo.consent_recorded) == (True, False)
    assert set(statuses(client, map(public_url, photo.image_file_names())).values()) == {404}


# --- Everything else that is not public ---------------------------------------------------------


def test_unpublishing_an_exhibit_hides_its_photos_and_publishing_shows_them(
    client, exhibit, django_capture_on_commit_callbacks
):
    photo = add_photo(exhibit)
    names = photo.image_file_names()
    exhibit = Exhibit.objects.get(pk=exhibit.pk)

    exhibit.is_published = False
    with django_capture_on_commit_callbacks(execute=True):
        services.exhibit_save(exhibit=exhibit, user=SYSTEM)
    assert set(statuses(client, map(public_url, names)).values()) == {404}

    exhibit.is_published = True
    with django_capture_on_commit_callbacks(execute=True):
        services.exhibit_save(exhibit=exhibit, user=SYSTEM)
    assert set(statuses(client, map(public_url, names)).values()) == {200}


def test_an_unpublished_exhibition_keeps_its_cover_and_photos_private(
    client, staff, exhibit, django_capture_on_commit_callbacks
):
    photo = add_photo(exhibit)
    exhibition = Exhibition.objects.get(pk=exhibit.booth.exhibition_id)
    exhibition.cover_alt = "ورودی نمایشگاه"
    services.exhibition_save(exhibition=exhibition, user=SYSTEM, cover=small_image())
    cover = exhibition.image_file_names()
    assert set(statuses(client, map(public_url, cover)).values()) == {200}

    exhibition.is_published = False
    with django_capture_on_commit_callbacks(execute=True):
        services.exhibition_save(exhibition=exhibition, user=SYSTEM)

    every_file = cover + photo.image_file_names()
    assert set(statuses(client, map(public_url, every_file)).values()) == {404}
    assert set(statuses(staff, map(private_url, every_file)).values()) == {200}


def test_a_new_cover_of_an_unpublished_exhibition_is_never_public(client):
    exhibition = make_exhibition(is_published=False, cover_alt="ورودی")
    services.exhibition_save(exhibition=exhibition, user=SYSTEM, cover=small_image())
    assert set(statuses(client, map(public_url, exhibition.image_file_names())).values()) == {404}


def test_staff_pages_link_hidden_photos_through_the_application(staff, exhibit):
    photo = add_photo(exhibit, people="no_consent")
    html = staff.get(reverse("exhibition_panel:exhibit", args=[exhibit.pk])).content.decode()
    assert photo.fallback_url(320, staff=True) in html
    stem = re.escape(photo.image.name.rsplit(".", 1)[0])
    assert not re.search(rf"(?<!/panel){settings.MEDIA_URL}{stem}", html)  # no public address


# --- The staff view: nginx, scope, and typed addresses -------------------------------------------


def test_with_nginx_the_app_answers_with_x_accel_redirect_and_no_body(settings, staff, exhibit):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private-media/"
    hidden = add_photo(exhibit, people="no_consent").image_file_names()[0]
    public = add_photo(exhibit).image_file_names()[0]

    response = staff.get(private_url(hidden))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private-media/{hidden}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert staff.get(private_url(public))["X-Accel-Redirect"] == f"/media/{public}"


BAD_NAMES = [
    "../portal/settings.py",
    "exhibition/photos/../../portal/settings.py",
    "exhibition/photos/%2e%2e/%2e%2e/manage.py",
    "..%2f..%2fmanage.py",
    "/etc/passwd",
    "exhibition/photos/2025/11/",
    "exhibition/photos/2025/11/" + "b" * 32 + ".jpg\\..\\x",
    "exhibition/photos/2025/11/" + "c" * 32 + ".jpg",  # the right form, but nobody's file
    "news/images/2025/11/" + "d" * 32 + ".jpg",
    "exhibition/photos/" + "e" * 5000 + ".jpg",
    "exhibition/photos/۱۴۰۴/۰۸/عکس.jpg",
    "exhibition/photos/2025/11/\u202e" + "f" * 32 + ".jpg",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_typed_path_is_404_never_a_file_nor_a_500(name, media_root, private_media_root):
    coordinator = Client()
    coordinator.force_login(make_user(role=StaffRole.COORDINATOR))
    private_media_root.mkdir(parents=True, exist_ok=True)
    (private_media_root / "stray.jpg").write_bytes(b"not anyone's")
    response = coordinator.get(settings.PRIVATE_MEDIA_URL + name)
    assert response.status_code == 404


NUL_NAMES = ["exhibition/photos/2025/11/" + "a" * 32 + "\x00.jpg", "exhibition\x00/x.jpg", "\x00"]


@pytest.mark.parametrize("name", NUL_NAMES)
def test_a_nul_in_the_path_is_refused_before_the_view_and_by_it(name, exhibit):
    coordinator = make_user(role=StaffRole.COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    # The site-wide guard answers first (core/middleware.py), with its Persian 400 page...
    response = client.get(settings.PRIVATE_MEDIA_URL + name.replace("\x00", "%00"))
    assert response.status_code == 400
    # ...and the view's own rules refuse the name without touching the disk or the database.
    assert exhibition_file(coordinator, name) is None
    with pytest.raises(Http404):
        media.file_response(name)


def test_a_file_on_disk_that_no_row_owns_is_not_served(private_media_root, exhibit):
    coordinator = Client()
    coordinator.force_login(make_user(role=StaffRole.COORDINATOR))
    photo = add_photo(exhibit, people="no_consent")
    stray = photo.image.name.replace(photo.image.name.rsplit("/", 1)[1], "f" * 32 + ".jpg")
    (private_media_root / stray).write_bytes((private_media_root / photo.image.name).read_bytes())
    assert coordinator.get(private_url(stray)).status_code == 404
    assert coordinator.get(private_url(photo.image.name)).status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own_clerk", 200),
        ("other_clerk", 404),
        ("viewer", 200),
        ("coordinator", 200),
        ("no_role", 403),
    ],
)
def test_staff_read_only_the_files_of_what_they_may_see(agency, exhibit, who, expected):
    users = {
        "own_clerk": lambda: make_user(role=StaffRole.AGENCY_STAFF, agency=agency),
        "other_clerk": lambda: make_user(role=StaffRole.AGENCY_STAFF, agency=make_agency()),
        "viewer": lambda: make_user(role=StaffRole.VIEWER),
        "coordinator": lambda: make_user(role=StaffRole.COORDINATOR),
        "no_role": lambda: make_user(),
    }
    reader = Client()
    reader.force_login(users[who]())
    photo = add_photo(exhibit, people="no_consent")
    assert set(statuses(reader, map(private_url, photo.image_file_names())).values()) == {expected}


def test_a_deleted_photos_address_is_404_for_staff_too(
    staff, exhibit, media_root, private_media_root, django_capture_on_commit_callbacks
):
    photo = add_photo(exhibit, people="no_consent")
    name = photo.image_file_names()[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, user=SYSTEM)
    assert staff.get(private_url(name)).status_code == 404
    assert stored_files(media_root) == stored_files(private_media_root) == []


# --- Moving the files -----------------------------------------------------------------------------


def test_sort_media_moves_existing_files_once_and_counts_them(client, exhibit, private_media_root):
    photo = make_photo(exhibit=exhibit, shows_people=True, consent_recorded=True)
    Photo.objects.filter(pk=photo.pk).update(consent_recorded=False)  # as before this rule
    names = photo.image_file_names()
    assert set(statuses(client, map(public_url, names)).values()) == {200}

    first, second = io.StringIO(), io.StringIO()
    call_command("sort_media", stdout=first)
    call_command("sort_media", stdout=second)

    assert f"عکس‌های آثار: {len(names)} پرونده به پوشهٔ خصوصی".translate(_FA) in first.getvalue()
    assert "چیزی جابه‌جا نشد" in second.getvalue()
    assert f"{len(names)} از پیش در جای خود".translate(_FA) in second.getvalue()
    assert set(statuses(client, map(public_url, names)).values()) == {404}
    assert len(stored_files(private_media_root)) == len(names)


_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_a_move_across_filesystems_copies_then_renames(monkeypatch, exhibit, private_media_root):
    photo = add_photo(exhibit)
    real_replace = os.replace

    def other_device(source, target):
        if not os.path.basename(source).startswith(".moving-"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(media.os, "replace", other_device)
    result = media.place(photo.image_file_names(), public=False)

    assert (result.made_private, result.missing) == (7, 0)
    assert len(stored_files(private_media_root)) == 7
    assert not any(p.name.startswith(".moving-") for p in stored_files(private_media_root))
    assert not any(media.default_storage.exists(n) for n in photo.image_file_names())


def test_a_move_the_disk_refuses_is_counted_and_the_others_still_move(
    monkeypatch, exhibit, private_media_root
):
    photo = add_photo(exhibit)
    names = photo.image_file_names()
    real_replace = os.replace

    def refuse_the_original(source, target):
        if source.endswith(names[0]):
            raise PermissionError(errno.EACCES, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(media.os, "replace", refuse_the_original)
    Photo.objects.filter(pk=photo.pk).update(shows_people=True)
    with pytest.raises(CommandError, match="۱ پرونده جابه‌جا نشد"):
        call_command("sort_media", stdout=io.StringIO())
    assert len(stored_files(private_media_root)) == 6
    assert media.default_storage.exists(names[0])


def test_purge_demo_removes_demo_files_in_both_trees(
    exhibit, media_root, private_media_root, django_capture_on_commit_callbacks
):
    hidden, shown = add_photo(exhibit, people="no_consent"), add_photo(exhibit)
    DemoRow.objects.mark([hidden, shown])
    assert stored_files(media_root) and stored_files(private_media_root)

    plan = purge_demo_data(user=SYSTEM, apply=False)
    assert len(plan.files) == 14
    with django_capture_on_commit_callbacks(execute=True):
        purge_demo_data(user=SYSTEM, apply=True)

    assert stored_files(media_root) == stored_files(private_media_root) == []


def test_the_private_tree_must_lie_outside_the_public_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    assert [error.id for error in check_private_root()] == ["core.E101"]
    settings.PRIVATE_MEDIA_ROOT = None  # the default: a folder beside MEDIA_ROOT
    assert check_private_root() == []
    assert media.private_root() == tmp_path / "private-media"


TYPED_NAMES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="exhibitonps/.0123456789abcdef-_%\\", max_size=120),
)


def test_no_typed_file_name_fails_or_reaches_a_file(client, exhibit):
    """Whatever is typed after /panel/media/, a coordinator gets an answer, never a 500, and
    never a file no photo or cover owns."""
    client.force_login(make_user(role=StaffRole.COORDINATOR))
    add_photo(exhibit, people="no_consent")

    @hypothesis_settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(name=TYPED_NAMES)
    def check(name):
        response = client.get(settings.PRIVATE_MEDIA_URL + quote(name, safe="/%"))
        assert response.status_code in (301, 400, 404), name

    check()


def test_the_documented_nginx_serves_the_private_folder_only_internally():
    conf = (settings.BASE_DIR / "deploy" / "nginx.conf.example").read_text()
    private = conf[conf.index("location /_private-media/ {") :].split("}", 1)[0]
    public = conf[conf.index("location /media/ {") :].split("}", 1)[0]
    assert "internal;" in private and "alias /srv/mahalleh/private-media/;" in private
    assert "private-media" not in public and "expires 7d" not in public
