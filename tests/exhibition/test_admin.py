"""The Django admin of the exhibition: every page opens, in Persian, with photo previews, and
uploads there are cleaned like in the panel."""

import pytest
from django.urls import reverse

from agencies.access import SYSTEM
from exhibition.models import Booth, Exhibit, Exhibition, Photo
from tests.factories import (
    make_booth,
    make_exhibit,
    make_exhibition,
    make_photo,
    small_image,
    stored_files,
)
from tests.samples import gps_jpeg_upload, metadata_of, text_as_jpeg

pytestmark = pytest.mark.django_db

MODELS = [Exhibition, Booth, Exhibit, Photo]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_form_open_in_persian(admin_client, model):
    make_photo()
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:exhibition_{opts.model_name}_changelist"))
    add = admin_client.get(reverse(f"admin:exhibition_{opts.model_name}_add"))
    assert changelist.status_code == 200 and add.status_code == 200
    assert str(opts.verbose_name_plural) in changelist.content.decode()
    assert 'lang="fa"' in add.content.decode()


def test_change_pages_show_photo_previews_without_inline_styles(admin_client):
    photo = make_photo()
    for url in [
        reverse("admin:exhibition_photo_changelist"),
        reverse("admin:exhibition_photo_change", args=[photo.pk]),
        reverse("admin:exhibition_exhibit_change", args=[photo.exhibit.pk]),
    ]:
        html = admin_client.get(url).content.decode()
        assert 'class="exhibition-admin-preview"' in html, url
        assert photo.fallback_url(320, staff=True) in html
        assert "exhibition_admin.css" in html
        preview = html[html.index('class="exhibition-admin-preview"') - 200 :][:400]
        assert "style=" not in preview


def test_photo_added_in_the_admin_is_cleaned(admin_client, media_root):
    exhibit = make_exhibit()
    response = admin_client.post(
        reverse("admin:exhibition_photo_add"),
        {
            "exhibit": exhibit.pk,
            "alt_text": "سبد حصیری",
            "caption": "",
            "order": 0,
            "replacement": gps_jpeg_upload(),
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert not photo.shows_people  # the unchecked box was respected
    assert len(stored_files(media_root)) == 7
    for path in stored_files(media_root):
        assert metadata_of(path.read_bytes())["gps"] == {}


def test_admin_refuses_a_text_file_and_stores_nothing(admin_client, media_root):
    exhibit = make_exhibit()
    response = admin_client.post(
        reverse("admin:exhibition_exhibit_change", args=[exhibit.pk]),
        {
            "booth": exhibit.booth.pk,
            "title": exhibit.title,
            "kind": exhibit.kind,
            "order": 0,
            "new_photos": [text_as_jpeg("x.jpg")],
            "new_photos_alt": "الف",
            "new_photos_people": "none",
            "photos-TOTAL_FORMS": 0,
            "photos-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "«x.jpg» تصویر نیست" in response.content.decode()
    assert stored_files(media_root) == [] and not Photo.objects.exists()


def test_deleting_in_the_admin_removes_files(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    photo = make_photo()
    url = reverse("admin:exhibition_photo_delete", args=[photo.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Photo.objects.exists() and stored_files(media_root) == []


def test_booth_with_exhibits_is_protected_in_the_admin(admin_client):
    booth = make_booth()
    make_exhibit(booth=booth)
    url = reverse("admin:exhibition_booth_delete", args=[booth.pk])
    admin_client.post(url, {"post": "yes"})
    assert Booth.objects.filter(pk=booth.pk).exists()


def test_exhibition_cover_preview_and_jalali_dates(admin_client):
    from exhibition import services

    exhibition = make_exhibition(cover_alt="نمای ورودی نمایشگاه")
    services.exhibition_save(exhibition=exhibition, user=SYSTEM, cover=small_image())
    changelist = admin_client.get(reverse("admin:exhibition_exhibition_changelist"))
    change = admin_client.get(reverse("admin:exhibition_exhibition_change", args=[exhibition.pk]))
    assert exhibition.fallback_url(320, staff=True) in changelist.content.decode()
    html = change.content.decode()
    assert exhibition.fallback_url(320, staff=True) in html
    assert "حذف تصویر جلد کنونی" in html
    assert 'value="۱۴۰۴/۰۸/۲۹"' in html  # 2025-11-20 typed and shown in the Jalali calendar
