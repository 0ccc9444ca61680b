"""Uploading photos in the staff panel: clean files in, bad files out, all or nothing."""

import pytest
from django.urls import reverse

from agencies.access import SYSTEM
from core.images import CleanedImage
from exhibition import services
from exhibition.models import Photo
from tests.factories import (
    StaffRole,
    make_agency,
    make_booth,
    make_exhibit,
    make_user,
    small_image,
    stored_files,
)
from tests.samples import (
    gps_jpeg_upload,
    metadata_of,
    noise_jpeg,
    png_bomb,
    text_as_jpeg,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return make_agency()


@pytest.fixture
def exhibit(agency):
    return make_exhibit(booth=make_booth(agency=agency))


@pytest.fixture
def staff_client(client, agency):
    client.force_login(make_user(role=StaffRole.AGENCY_STAFF, agency=agency))
    return client


def upload(client, exhibit, files, **fields):
    data = {"alt_text": "گلدان سفالی آبی", "caption": "", "people": "none", "images": files}
    data.update(fields)
    return client.post(reverse("exhibition_panel:photo_upload", args=[exhibit.pk]), data)


def test_uploaded_jpeg_with_gps_is_stored_without_it(staff_client, exhibit, media_root):
    response = upload(staff_client, exhibit, [gps_jpeg_upload()])

    assert response.status_code == 302
    photo = Photo.objects.get(exhibit=exhibit)
    assert (photo.width, photo.height) == (1200, 1600)  # the orientation tag was applied
    files = stored_files(media_root)
    assert len(files) == 1 + 6  # the original and 3 widths in WebP and JPEG
    for path in files:
        found = metadata_of(path.read_bytes())
        assert found["gps"] == {}, path.name
        assert found["exif_tags"] == {}, path.name
        assert found["info_keys"] == set(), path.name
        assert b"PhoneMaker" not in path.read_bytes()


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda: text_as_jpeg("notes.jpg"), "«notes.jpg» تصویر نیست"),
        (lambda: noise_jpeg("big.jpg", size=500), "حجم «big.jpg» بیشتر از ۵۰ کیلوبایت است."),
        (lambda: png_bomb("bomb.png"), "ابعاد «bomb.png» بیش از اندازه است"),
    ],
    ids=["text-named-jpg", "oversized", "decompression-bomb"],
)
def test_bad_file_is_refused_in_persian_and_nothing_is_stored(
    staff_client, exhibit, media_root, settings, make_file, message
):
    settings.IMAGE_UPLOAD_MAX_BYTES = 50 * 1024
    response = upload(staff_client, exhibit, [make_file()])

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_several_photos_are_added_at_once(staff_client, exhibit, media_root):
    files = [gps_jpeg_upload(f"{n}.jpg", width=400, height=300) for n in range(3)]
    response = upload(staff_client, exhibit, files, caption="کارگاه سفال")

    assert response.status_code == 302
    photos = list(Photo.objects.filter(exhibit=exhibit).order_by("order"))
    assert [p.alt_text for p in photos] == [
        f"گلدان سفالی آبی (عکس {n} از ۳)" for n in ("۱", "۲", "۳")
    ]
    assert {p.caption for p in photos} == {"کارگاه سفال"}
    assert [p.order for p in photos] == [0, 1, 2]
    # Turned upright the photos are 300 px wide: the original and one width in two formats.
    assert len(stored_files(media_root)) == 3 * 3


def test_one_bad_file_among_several_saves_nothing_and_keeps_the_form(
    staff_client, exhibit, media_root
):
    files = [gps_jpeg_upload("a.jpg"), text_as_jpeg("b.jpg"), gps_jpeg_upload("c.jpg")]
    response = upload(staff_client, exhibit, files, alt_text="کوزه‌های لعاب‌دار")

    assert response.status_code == 400
    page = response.content.decode()
    assert "«b.jpg» تصویر نیست" in page
    assert 'value="کوزه‌های لعاب‌دار"' in page  # what was typed is kept
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_failure_half_way_through_removes_rows_and_files(exhibit, media_root):
    broken = CleanedImage(content=b"not really a jpeg", width=10, height=10, format="JPEG")
    with pytest.raises(OSError):
        services.photos_add(
            exhibit=exhibit,
            images=[small_image(), broken],
            alt_text="الف",
            user=SYSTEM,
        )
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_the_people_question_must_be_answered(staff_client, exhibit, media_root):
    response = upload(staff_client, exhibit, [gps_jpeg_upload()], people="")
    assert response.status_code == 400
    assert "بگویید آیا کسی در عکس‌ها شناخته می‌شود." in response.content.decode()
    assert stored_files(media_root) == []


def test_photos_of_people_without_consent_are_kept_hidden_with_a_warning(staff_client, exhibit):
    response = upload(staff_client, exhibit, [gps_jpeg_upload()], people="no_consent")
    photo = Photo.objects.get()
    assert (photo.shows_people, photo.consent_recorded) == (True, False)
    assert photo not in Photo.objects.public()
    page = staff_client.get(response["Location"]).content.decode()
    assert "تا ثبت رضایت افراد در درگاه عمومی دیده نمی‌شوند" in page
    assert "پنهان: رضایت ثبت نشده" in page


def test_deleting_a_photo_removes_its_files_once_committed(
    staff_client, exhibit, media_root, django_capture_on_commit_callbacks
):
    upload(staff_client, exhibit, [gps_jpeg_upload()])
    photo = Photo.objects.get()
    assert len(stored_files(media_root)) == 7
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("exhibition_panel:photo_delete", args=[photo.pk]))
        assert len(stored_files(media_root)) == 7  # not before the deletion commits
    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert stored_files(media_root) == []


def test_replacing_a_photo_file_cleans_the_new_one_too(staff_client, exhibit, media_root):
    upload(staff_client, exhibit, [gps_jpeg_upload()])
    photo = Photo.objects.get()
    response = staff_client.post(
        reverse("exhibition_panel:photo_edit", args=[photo.pk]),
        {
            "alt_text": "عکس تازه",
            "caption": "",
            "people": "none",
            "order": "۰",
            "replacement": gps_jpeg_upload("new.jpg", width=500, height=400),
        },
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.alt_text, photo.height, photo.width) == ("عکس تازه", 500, 400)
    for name in photo.image_file_names():
        assert metadata_of((media_root / name).read_bytes())["gps"] == {}
