"""The main image of an article: verified, stripped of location data, sized for phones and
desktops, and shown as a <picture>."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agencies.access import SYSTEM
from news.models import Article
from tests.factories import make_article, make_category, stored_files

pytestmark = pytest.mark.django_db


def jpeg_with_gps(name="IMG_2041.jpg", size=(1600, 900)):
    image = Image.new("RGB", size, (30, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (35.0, 34.0, 12.0), 3: "E", 4: (53.0, 23.0, 5.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form_data(category, **fields):
    data = {
        "title": "بازسازی خانهٔ سالمندان تنها",
        "lead": "سقف سه خانه پیش از زمستان عایق شد.",
        "body": "<p>متن</p>",
        "category": category.pk,
        "tags": "مسکن",
        "status": "published",
        "image_alt": "کارگران روی بام یک خانهٔ گلی",
        "image_consent": "on",
    }
    data.update(fields)
    return data


def test_uploaded_image_is_stored_without_exif_in_phone_and_desktop_sizes(
    client, editor, media_root
):
    client.force_login(editor)
    response = client.post(
        "/panel/news/new/", form_data(make_category(), image_upload=jpeg_with_gps())
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert {r["w"] for r in article.renditions} == {320, 640, 1280}
    assert {r["f"] for r in article.renditions} == {"webp", "jpeg"}
    files = stored_files(media_root)
    assert len(files) == 1 + len(article.renditions)
    for path in files:
        with Image.open(path) as stored:
            assert not stored.getexif(), path.name
            assert "exif" not in stored.info
    assert "IMG_2041" not in " ".join(path.name for path in files)


def test_article_page_shows_a_picture_with_sizes_and_an_absolute_og_image(
    client, editor, media_root
):
    client.force_login(editor)
    client.post("/panel/news/new/", form_data(make_category(), image_upload=jpeg_with_gps()))
    client.logout()
    article = Article.objects.get()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<picture>" in html and 'type="image/webp"' in html
    assert "320w" in html and "1280w" in html
    assert 'alt="کارگران روی بام یک خانهٔ گلی"' in html
    assert '<meta property="og:image" content="http://testserver/media/news/' in html
    listing = client.get("/news/").content.decode()
    assert "<picture>" in listing


def test_a_file_that_is_not_an_image_is_refused_keeping_the_form(client, editor, media_root):
    client.force_login(editor)
    fake = SimpleUploadedFile("photo.jpg", b"not really a picture", content_type="image/jpeg")
    response = client.post("/panel/news/new/", form_data(make_category(), image_upload=fake))
    page = response.content.decode()
    assert response.status_code == 200
    assert "تصویر نیست" in page
    assert "سقف سه خانه پیش از زمستان عایق شد." in page
    assert Article.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_image_needs_the_consent_box(client, editor, media_root):
    client.force_login(editor)
    data = form_data(make_category(), image_upload=jpeg_with_gps())
    del data["image_consent"]
    page = client.post("/panel/news/new/", data).content.decode()
    assert "رضایت افراد یا شناخته‌نشدن آن‌ها را تأیید کنید" in page
    assert Article.objects.count() == 0


def test_replacing_and_removing_the_image_deletes_old_files(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    category = make_category()
    client.force_login(editor)
    client.post("/panel/news/new/", form_data(category, image_upload=jpeg_with_gps()))
    article = Article.objects.get()
    first_files = set(stored_files(media_root))
    url = f"/panel/news/{article.pk}/edit/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(category, image_upload=jpeg_with_gps(size=(800, 600))))
    second_files = set(stored_files(media_root))
    assert not first_files & second_files
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(category, remove_image="on", image_consent=""))
    assert stored_files(media_root) == []
    article.refresh_from_db()
    assert not article.has_image


def test_deleting_an_article_in_the_admin_deletes_its_files(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    from core.images import clean_image_upload
    from news.services import article_save

    article = make_article()
    article_save(article=article, user=SYSTEM, image=clean_image_upload(jpeg_with_gps()))
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/news/article/{article.pk}/delete/", {"post": "yes"})
    assert not Article.objects.exists()
    assert stored_files(media_root) == []
