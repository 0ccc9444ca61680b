"""core/images.py: only real images get in, without metadata, with renditions made once."""

import io

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.template import Context, Template, TemplateSyntaxError
from PIL import Image

from core.images import (
    CleanedImage,
    ImageRejected,
    ImageUploadField,
    MultipleImageUploadField,
    clean_image_upload,
    delete_files_on_commit,
    files_removed_on_error,
    make_renditions,
    megabytes,
    render_picture,
    rendition_widths,
)
from exhibition.models import Photo
from tests.factories import stored_files
from tests.samples import (
    camera_exif,
    gps_jpeg_upload,
    image_bytes,
    metadata_of,
    noise_jpeg,
    picture,
    png_bomb,
    text_as_jpeg,
    upload,
)


def rejection(uploaded, **limits) -> str:
    with pytest.raises(ImageRejected) as caught:
        clean_image_upload(uploaded, **limits)
    return " ".join(caught.value.messages)


def test_gps_exif_xmp_and_comment_are_gone_from_the_cleaned_original():
    uploaded = gps_jpeg_upload()
    before = metadata_of(uploaded.read())
    assert before["gps"] and before["info_keys"] == {"exif", "xmp", "comment"}

    cleaned = clean_image_upload(uploaded)
    after = metadata_of(cleaned.content)

    assert after["exif_tags"] == {}
    assert after["gps"] == {}
    assert after["info_keys"] == set()
    assert b"PhoneMaker" not in cleaned.content and b"Semnan" not in cleaned.content


def test_orientation_is_applied_to_the_pixels():
    # Orientation 6 means "rotate 90° to show": a 1600x1200 sensor image is a portrait photo.
    cleaned = clean_image_upload(gps_jpeg_upload())
    assert (cleaned.width, cleaned.height) == (1200, 1600)
    assert metadata_of(cleaned.content)["size"] == (1200, 1600)
    with Image.open(io.BytesIO(cleaned.content)) as image:
        # The ground (brown) was at the bottom of the sensor image; after turning it is on a side.
        left, right = image.getpixel((10, 800)), image.getpixel((1190, 800))
    assert left != right


def test_renditions_have_no_metadata_and_are_never_upscaled():
    cleaned = clean_image_upload(gps_jpeg_upload())
    renditions = make_renditions(cleaned)

    sizes = {(meta["f"], meta["w"], meta["h"]) for meta, _data in renditions}
    assert sizes == {
        (fmt, w, h) for fmt in ("webp", "jpeg") for w, h in ((320, 427), (640, 853), (1200, 1600))
    }
    for meta, data in renditions:
        found = metadata_of(data)
        assert found["format"] == {"webp": "WEBP", "jpeg": "JPEG"}[meta["f"]]
        assert found["size"] == (meta["w"], meta["h"])
        assert found["exif_tags"] == {} and found["gps"] == {} and found["info_keys"] == set()


def test_rendition_widths_stop_at_the_image_width():
    assert rendition_widths(3000) == [320, 640, 1280]
    assert rendition_widths(800) == [320, 640, 800]
    assert rendition_widths(640) == [320, 640]
    assert rendition_widths(200) == [200]


def test_text_file_named_jpg_is_refused_in_persian():
    message = rejection(text_as_jpeg("عکس-غرفه.jpg"))
    assert "«عکس-غرفه.jpg» تصویر نیست" in message
    assert "فقط قالب‌های JPEG و PNG و WebP" in message


def test_gif_is_refused_even_though_pillow_can_read_it():
    data = image_bytes("GIF", picture(50, 50))
    assert "تصویر نیست یا قالبش پذیرفته نمی‌شود" in rejection(upload("a.gif", data, "image/gif"))


def test_file_over_the_byte_limit_is_refused(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 100 * 1024
    message = rejection(noise_jpeg(size=400))
    assert message == "حجم «noise.jpg» بیشتر از ۱۰۰ کیلوبایت است."


def test_byte_limit_is_stated_in_megabytes():
    assert megabytes(10 * 1024 * 1024) == "۱۰ مگابایت"
    assert megabytes(int(2.5 * 1024 * 1024)) == "۲٫۵ مگابایت"
    assert megabytes(300 * 1024) == "۳۰۰ کیلوبایت"


def test_decompression_bomb_is_refused_before_decoding():
    bomb = png_bomb(side=12_000)
    assert bomb.size < 100 * 1024  # a tiny file ...
    message = rejection(bomb)  # ... declaring 144 million pixels
    assert "ابعاد «bomb.png» بیش از اندازه است" in message
    assert "حداکثر ۴۰ مگاپیکسل" in message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_just_above_the_pixel_limit_is_refused():
    # 49 million pixels: between Pillow's warning and error thresholds.
    message = rejection(png_bomb(side=7_000))
    assert "بیش از اندازه" in message


def test_pixel_limit_comes_from_settings(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 100 * 100
    data = image_bytes("PNG", picture(200, 200))
    assert "حداکثر ۰٫۰۱ مگاپیکسل" in rejection(upload("a.png", data, "image/png"))
    assert clean_image_upload(upload("b.png", image_bytes("PNG", picture(100, 100)))).width == 100


def test_truncated_and_empty_files_are_refused():
    data = image_bytes("JPEG", picture(400, 300))
    assert "خراب است" in rejection(upload("cut.jpg", data[: len(data) // 2]))
    assert "خالی است" in rejection(upload("empty.jpg", b""))


def test_png_keeps_transparency_and_webp_stays_webp():
    transparent = Image.new("RGBA", (120, 80), (255, 0, 0, 0))
    png = clean_image_upload(upload("t.png", image_bytes("PNG", transparent), "image/png"))
    webp = clean_image_upload(upload("w.webp", image_bytes("WEBP", picture(90, 60)), "image/webp"))

    assert (png.format, png.extension, png.content_type) == ("PNG", "png", "image/png")
    with Image.open(io.BytesIO(png.content)) as image:
        assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0
    assert (webp.format, webp.width, webp.height) == ("WEBP", 90, 60)
    # JPEG renditions of a transparent image are flattened onto white, not black.
    jpeg = next(data for meta, data in make_renditions(png) if meta["f"] == "jpeg")
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=3)


def test_webp_with_exif_is_cleaned_too():
    data = image_bytes("WEBP", picture(300, 200), exif=camera_exif())
    assert metadata_of(data)["gps"]
    cleaned = clean_image_upload(upload("w.webp", data, "image/webp"))
    assert metadata_of(cleaned.content)["gps"] == {}
    assert b"PhoneMaker" not in cleaned.content


def test_store_image_writes_clean_original_and_renditions(media_root):
    photo = Photo(alt_text="گلدان سفالی")
    replaced = photo.store_image(clean_image_upload(gps_jpeg_upload()))

    assert replaced == []
    assert photo.image.name.startswith("exhibition/photos/")
    assert "IMG_2025" not in photo.image.name  # the phone's file name is not kept
    assert (photo.width, photo.height) == (1200, 1600)
    files = stored_files(media_root)
    assert len(files) == 7  # original + 3 widths x 2 formats
    for path in files:
        found = metadata_of(path.read_bytes())
        assert found["exif_tags"] == {} and found["gps"] == {} and found["info_keys"] == set()
    assert set(photo.image_file_names()) == {str(p.relative_to(media_root)) for p in files}


def test_files_stored_in_a_failing_block_are_removed(media_root):
    cleaned = clean_image_upload(gps_jpeg_upload())
    with pytest.raises(RuntimeError), files_removed_on_error():
        Photo(alt_text="الف").store_image(cleaned)
        Photo(alt_text="ب").store_image(cleaned)
        assert len(stored_files(media_root)) == 14
        raise RuntimeError("the database refused the row")
    assert stored_files(media_root) == []


def test_delete_files_on_commit_removes_them_after_commit(
    db, media_root, django_capture_on_commit_callbacks
):
    photo = Photo(alt_text="الف")
    photo.store_image(clean_image_upload(gps_jpeg_upload()))
    with django_capture_on_commit_callbacks(execute=True):
        delete_files_on_commit(photo.image_file_names())
        assert len(stored_files(media_root)) == 7
    assert stored_files(media_root) == []


def test_render_picture_offers_webp_and_jpeg_with_dimensions(media_root):
    photo = Photo(alt_text='گلدان "سفالی" <آبی>')
    photo.store_image(clean_image_upload(gps_jpeg_upload()))

    html = str(render_picture(photo, alt=photo.alt_text, sizes="50vw", css_class="thumb"))

    assert html.startswith('<picture><source type="image/webp"')
    assert html.count("w, ") == 4  # two srcsets of three widths each
    assert 'sizes="50vw"' in html
    assert 'width="640" height="853"' in html
    assert 'loading="lazy"' in html and 'class="thumb"' in html
    assert 'alt="گلدان &quot;سفالی&quot; &lt;آبی&gt;"' in html
    assert default_storage.url(photo.renditions[0]["n"]) in html


def test_picture_tag_requires_alt(media_root):
    photo = Photo(alt_text="الف")
    photo.store_image(clean_image_upload(gps_jpeg_upload()))
    rendered = Template("{% load pictures %}{% picture p alt=p.alt_text %}").render(
        Context({"p": photo})
    )
    assert 'alt="الف"' in rendered
    with pytest.raises(TemplateSyntaxError):
        Template("{% load pictures %}{% picture p %}")


class OneImageForm(forms.Form):
    image = ImageUploadField()


class ManyImagesForm(forms.Form):
    images = MultipleImageUploadField(max_files=3)


def test_image_upload_field_cleans_to_a_cleaned_image():
    form = OneImageForm(files={"image": gps_jpeg_upload()})
    assert form.is_valid()
    assert isinstance(form.cleaned_data["image"], CleanedImage)
    refused = OneImageForm(files={"image": text_as_jpeg()})
    assert not refused.is_valid()
    assert "تصویر نیست" in refused.errors["image"][0]


def test_multiple_field_reports_every_bad_file_together():
    from django.utils.datastructures import MultiValueDict

    files = MultiValueDict(
        {"images": [gps_jpeg_upload("a.jpg"), text_as_jpeg("b.jpg"), png_bomb("c.png")]}
    )
    form = ManyImagesForm(files=files)
    assert not form.is_valid()
    errors = form.errors["images"]
    assert len(errors) == 2
    assert "«b.jpg»" in errors[0] and "«c.png»" in errors[1]


def test_multiple_field_limits_the_number_of_files_and_requires_one():
    from django.utils.datastructures import MultiValueDict

    four = MultiValueDict({"images": [gps_jpeg_upload(f"{i}.jpg") for i in range(4)]})
    form = ManyImagesForm(files=four)
    assert not form.is_valid() and form.errors["images"] == ["در هر بار حداکثر ۳ تصویر بفرستید."]
    empty = ManyImagesForm(files=MultiValueDict())
    assert not empty.is_valid() and "دست‌کم یک تصویر" in empty.errors["images"][0]
    ok = ManyImagesForm(
        files=MultiValueDict({"images": [gps_jpeg_upload("1.jpg"), gps_jpeg_upload("2.jpg")]})
    )
    assert ok.is_valid() and len(ok.cleaned_data["images"]) == 2
