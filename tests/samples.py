"""What tests send to the site, made in memory (nothing downloaded): image files to upload,
neighbourhood lists to import, and filled-in comment forms.

Rows in the database come from tests/factories.py; this module makes no rows.
"""

import csv
import io
import os
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import ExifTags, Image

from news.captcha import expected_answer

# --- Images for upload tests (made with Pillow) -----------------------------------------

GPS = ExifTags.IFD.GPSInfo
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:City="Semnan"/></rdf:RDF></x:xmpmeta>'
)


def camera_exif(*, orientation: int = 1) -> Image.Exif:
    """EXIF like a phone writes it: maker, model, time, orientation and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone X"
    exif[ExifTags.Base.DateTime] = "2025:10:01 10:20:30"
    exif[ExifTags.Base.Orientation] = orientation
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (35.0, 34.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (53.0, 23.0, 40.25),
    }
    return exif


def picture(width: int = 800, height: int = 600, mode: str = "RGB") -> Image.Image:
    """A small scene: sky, ground and a sun, so resized copies are real pictures."""
    image = Image.new(mode, (width, height), "#7fb3d5" if mode != "L" else 180)
    ground = Image.new(mode, (width, height // 3), "#8d6e3f" if mode != "L" else 90)
    image.paste(ground, (0, height - height // 3))
    return image


def jpeg_bytes(image=None, *, exif=None, xmp=None, comment=None, quality=90) -> bytes:
    image = image or picture()
    options = {"quality": quality}
    if exif is not None:
        options["exif"] = exif
    if xmp is not None:
        options["xmp"] = xmp
    if comment is not None:
        options["comment"] = comment
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def image_bytes(image_format: str, image=None, **options) -> bytes:
    buffer = io.BytesIO()
    (image or picture()).save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def gps_jpeg_upload(name: str = "IMG_20251001_102030.jpg", **size) -> SimpleUploadedFile:
    """A phone photo with GPS, maker, XMP and a comment, rotated by its orientation tag."""
    image = picture(**size) if size else picture(1600, 1200)
    data = jpeg_bytes(image, exif=camera_exif(orientation=6), xmp=XMP, comment=b"Ali's phone")
    return upload(name, data)


def text_as_jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return upload(name, "این یک متن است، نه عکس.\n".encode() * 50)


def noise_jpeg(name: str = "noise.jpg", size: int = 400) -> SimpleUploadedFile:
    """A JPEG of random noise: it barely compresses, so it is large for its pixel count."""
    image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    return upload(name, jpeg_bytes(image, quality=95))


def png_bomb(name: str = "bomb.png", side: int = 12_000) -> SimpleUploadedFile:
    """A real, valid PNG of 144 million pixels in a file of a few dozen kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 0).save(buffer, "PNG")
    return upload(name, buffer.getvalue(), "image/png")


def metadata_of(data: bytes) -> dict:
    """What Pillow finds of metadata in a stored file."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return {
            "exif_tags": dict(exif),
            "gps": dict(exif.get_ifd(GPS)),
            "info_keys": set(image.info) & {"exif", "xmp", "XML:com.adobe.xmp", "comment"},
            "size": image.size,
            "format": image.format,
        }


# --- Neighbourhood lists to import ------------------------------------------------------

HEADER = ["شهر", "نام محله", "کد محله", "جمعیت", "تعداد خانوار", "عرض جغرافیایی", "طول جغرافیایی"]

# Three good rows: Latin digits, Persian digits, and an Arabic-keyboard city name.
GOOD_ROWS = [
    ["سمنان", "کوی زرین", "SMN-001", "4200", "1150", "35.5729", "53.3971"],
    ["سمنان", "محله سرچشمه", "SMN-002", "۳٬۸۰۰", "۹۵۰", "۳۵٫۵۸۱۰", "۵۳٫۴۰۱۲"],
    ["مهدي شهر", "کوی بهاران", "MHD-001", "2800", "760", "35.7094", "53.3531"],
]


def csv_bytes(rows, *, header=HEADER, bom=False, delimiter=",", encoding="utf-8") -> bytes:
    """A CSV file as a spreadsheet would save it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    """An XLSX workbook with the header and rows on its first sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Comment forms, with the real captcha answer ----------------------------------------

CAPTCHA_KEY = re.compile(r'name="captcha_0" value="([^"]+)"')


def captcha_from(html: str) -> tuple[str, str]:
    """The captcha token in a rendered form and its real answer, worked out with the server's
    secret key as the server does (news.captcha.expected_answer; nothing is spent)."""
    match = CAPTCHA_KEY.search(html)
    assert match, "no captcha in the page"
    token = match.group(1)
    return token, str(expected_answer(token))


def comment_data(html: str, **fields) -> dict:
    """POST data for the comment form in *html*, with the captcha answered correctly."""
    key, _answer = captcha_from(html)
    return _comment_fields(key, **fields)


def comment_data_fetched(challenge: dict, **fields) -> dict:
    """POST data for the form of a page served from the cache, filled in as
    static/js/comments.js fills it: with the *challenge* /captcha/refresh/ answered (its
    captcha and CSRF token), the captcha answered correctly."""
    return _comment_fields(challenge["key"], csrfmiddlewaretoken=challenge["csrf_token"], **fields)


def _comment_fields(key: str, **fields) -> dict:
    data = {
        "name": "مریم",
        "email": "",
        "text": "کار خوبی بود، ممنون از همهٔ کسانی که کمک کردند.",
        "parent": "",
        "website": "",
        "captcha_0": key,
        "captcha_1": str(expected_answer(key)),
    }
    data.update(fields)
    return data
