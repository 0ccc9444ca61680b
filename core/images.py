"""Uploaded images: verified, stripped of metadata and resized once, when they arrive.

One small module on Pillow, shared by every app that takes photos from people (exhibition
photos, news images).  The rules it enforces:

- only real JPEG, PNG and WebP images are accepted: Pillow must recognise and verify the file;
  the name and the browser's content type are not trusted;
- limits on the file size and on the pixel count (a decompression bomb is a tiny file that
  declares an enormous picture); both are settings, ``IMAGE_UPLOAD_MAX_BYTES`` and
  ``IMAGE_UPLOAD_MAX_PIXELS``;
- the camera's orientation is applied to the pixels, then every stored file, the original
  included, is re-encoded from bare pixels, so no EXIF, GPS, XMP or comment survives;
- renditions (320, 640 and 1280 px wide, WebP and JPEG) are made at upload time and stored
  through Django's default storage (local disk or S3 via django-storages); pages never resize.

The API apps use:

``clean_image_upload(file) -> CleanedImage``
    Verify and clean one upload; raises :class:`ImageRejected` with a Persian message.
``ImageUploadField``, ``MultipleImageUploadField``
    Form fields that run ``clean_image_upload`` and return ``CleanedImage`` (or a list).
``ImageWithRenditions``
    Abstract model: fields ``image``, ``width``, ``height``, ``renditions`` and the methods
    ``store_image(cleaned)``, ``image_file_names()``, ``srcset(fmt)`` (also as the properties
    ``srcset_webp``/``srcset_jpeg``), ``fallback_url(width)``, ``largest_url(fmt)``; the URL
    methods take ``staff=True`` on staff pages (the application's address, which also reaches
    files that are not public: core/media.py).  ``files_public()`` says which tree the files
    belong in; models whose objects are not always public override it.
``files_removed_on_error()``
    Context manager for services: files stored inside it are deleted if it raises, so a failed
    upload leaves no orphan files behind its rolled-back rows.
``delete_files_on_commit(names)``
    Delete stored files (from both trees) once the surrounding transaction commits (after a
    delete or a replacement).
``render_picture(obj, alt=..., sizes=..., staff=False)``
    A ``<picture>`` with WebP and JPEG ``srcset``, ``width``/``height`` and lazy loading;
    templates use ``{% load pictures %}{% picture obj alt=... sizes=... %}``.
"""

import contextlib
import contextvars
import io
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from core import media
from core.digits import to_persian_digits

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# 40 megapixels holds every phone camera's normal mode (12-50 MP cameras save 12 MP by default)
# and keeps one decoded image under ~160 MB of memory in RGBA.
DEFAULT_MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (320, 640, 1280)
MAX_FILES_PER_UPLOAD = 20

# Pillow's own bomb check runs inside Image.open(), before our code sees the size.  Set to our
# limit, it raises DecompressionBombError above twice the limit and warns between 1x and 2x;
# clean_image_upload() catches the error (and the warning, where warnings are errors) and checks
# the declared size itself right after open(), before any pixel is decoded.  The limit is
# process-wide on purpose: no code in this project should decode a bigger image.
Image.MAX_IMAGE_PIXELS = getattr(settings, "IMAGE_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)

# Pillow format name -> (file extension, content type).  Restricting Image.open() to these
# plugins also keeps the parsers of rarer formats away from untrusted files.
ACCEPTED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
ACCEPT_ATTRIBUTE = ",".join(content_type for _ext, content_type in ACCEPTED_FORMATS.values())

# Rendition formats: WebP for browsers that take it, JPEG for the rest.
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
ORIGINAL_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90, "method": 4},
}

_SRGB = ImageCms.createProfile("sRGB")


class ImageRejected(ValidationError):
    """An upload that is not an acceptable image; ``messages`` are Persian, for the user."""


@dataclass(frozen=True)
class CleanedImage:
    """A verified image re-encoded without metadata, ready to be stored.

    ``content`` holds the clean bytes in ``format`` (``"JPEG"``, ``"PNG"`` or ``"WEBP"``);
    ``original_name`` is only for messages and is never stored, since file names from phones
    and cameras can carry names and dates.
    """

    content: bytes
    width: int
    height: int
    format: str
    original_name: str = ""

    @property
    def extension(self) -> str:
        return ACCEPTED_FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return ACCEPTED_FORMATS[self.format][1]


def max_upload_bytes() -> int:
    """The size limit for one uploaded image, from ``settings.IMAGE_UPLOAD_MAX_BYTES``."""
    return getattr(settings, "IMAGE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_upload_pixels() -> int:
    """The pixel limit for one uploaded image, from ``settings.IMAGE_UPLOAD_MAX_PIXELS``."""
    return getattr(settings, "IMAGE_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def megabytes(n_bytes: int) -> str:
    """``10485760`` → ``'۱۰ مگابایت'``; limits under a megabyte are shown in kilobytes."""
    if n_bytes >= 1024 * 1024:
        return f"{_fa_decimal(n_bytes / 1024 / 1024)} مگابایت"
    return f"{to_persian_digits(max(1, n_bytes // 1024))} کیلوبایت"


def _fa_decimal(value: float, places: int = 1) -> str:
    """``places`` decimals at most, with Persian digits and the Persian decimal separator."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return to_persian_digits(text.replace(".", "٫"))


def clean_image_upload(uploaded_file, *, max_bytes=None, max_pixels=None) -> CleanedImage:
    """Verify one uploaded file and return it as a clean image without metadata.

    Raises :class:`ImageRejected` with a Persian message naming the file when it is empty, too
    large, not a JPEG/PNG/WebP image, damaged, or has more pixels than allowed.  Nothing is
    stored here; the caller stores the result (see :meth:`ImageWithRenditions.store_image`).
    """
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    max_pixels = max_upload_pixels() if max_pixels is None else max_pixels
    name = getattr(uploaded_file, "name", "") or "بی‌نام"
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _rejected(f"حجم «{name}» بیشتر از {megabytes(max_bytes)} است.", "too_large")
    uploaded_file.seek(0)
    # Read one byte past the limit so a file whose reported size lied is still caught.
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _rejected(f"حجم «{name}» بیشتر از {megabytes(max_bytes)} است.", "too_large")
    if not data:
        raise _rejected(f"پروندهٔ «{name}» خالی است.", "empty")

    with _image_errors(name, max_pixels):
        probe = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
        image_format = probe.format
        _check_pixels(name, probe.size, max_pixels)
        probe.verify()
    with _image_errors(name, max_pixels):
        # verify() leaves the image unusable; decode it afresh to re-encode it.
        image = Image.open(io.BytesIO(data), formats=[image_format])
        image.load()
        image = ImageOps.exif_transpose(image)
        image = _bare_pixels(image, keep_alpha=image_format != "JPEG")
        content = _encode(image, image_format, **ORIGINAL_OPTIONS[image_format])
    return CleanedImage(
        content=content,
        width=image.width,
        height=image.height,
        format=image_format,
        original_name=name,
    )


def _rejected(message: str, code: str) -> ImageRejected:
    return ImageRejected(message, code=code)


def _too_many_pixels(name: str, max_pixels: int) -> ImageRejected:
    limit = _fa_decimal(max_pixels / 1_000_000, places=2)
    return _rejected(
        f"ابعاد «{name}» بیش از اندازه است؛ تصویر باید حداکثر {limit} مگاپیکسل باشد.",
        "too_many_pixels",
    )


def _check_pixels(name: str, size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise _too_many_pixels(name, max_pixels)


@contextlib.contextmanager
def _image_errors(name: str, max_pixels: int):
    """Turn everything Pillow raises on a bad file into one Persian rejection."""
    try:
        yield
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(name, max_pixels) from error
    except UnidentifiedImageError as error:
        raise _rejected(
            f"«{name}» تصویر نیست یا قالبش پذیرفته نمی‌شود؛ فقط قالب‌های JPEG و PNG و WebP.",
            "not_image",
        ) from error
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError) as error:
        # Pillow reports truncated or corrupt data with any of these.
        raise _rejected(f"«{name}» خراب است و خوانده نشد.", "damaged") from error


def _bare_pixels(image: Image.Image, *, keep_alpha: bool) -> Image.Image:
    """Return a new image holding only pixels, in sRGB, with no metadata attached.

    Building a fresh image (rather than clearing ``info``) guarantees that no EXIF, XMP, ICC or
    text chunk can be carried into the saved file by any Pillow plugin.
    """
    icc = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if keep_alpha and has_alpha else ("L" if image.mode in ("L", "1") else "RGB")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            # Phone photos are often Display P3; convert so they look the same without a profile.
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=out_mode)
    if has_alpha and mode != "RGBA":
        image = _on_white(image)
    converted = image.convert(mode)
    bare = Image.new(mode, converted.size)
    bare.paste(converted)
    return bare


def _on_white(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white, for formats without an alpha channel (JPEG)."""
    background = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, image.convert("RGBA")).convert("RGB")


def _encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def rendition_widths(original_width: int, widths=RENDITION_WIDTHS) -> list[int]:
    """The widths to make for an image: the standard ones below its own width, never upscaled.

    A 3000 px photo gets 320, 640 and 1280; an 800 px one gets 320, 640 and 800; a 200 px one
    only 200.
    """
    chosen = [w for w in sorted(widths) if w < original_width]
    top = min(original_width, max(widths))
    if top not in chosen:
        chosen.append(top)
    return chosen


def make_renditions(cleaned: CleanedImage, widths=RENDITION_WIDTHS) -> list[tuple[dict, bytes]]:
    """Resize a cleaned image to each width in WebP and JPEG; return ``(meta, bytes)`` pairs.

    ``meta`` is ``{"w": width, "h": height, "f": "webp" | "jpeg"}``.  The source is decoded
    once; each smaller size is made from the previous one, which is faster and as sharp.
    """
    image = Image.open(io.BytesIO(cleaned.content))
    image.load()
    results = []
    current = image
    for width in sorted(rendition_widths(cleaned.width, widths), reverse=True):
        height = max(1, round(cleaned.height * width / cleaned.width))
        if current.size != (width, height):
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for fmt, (pil_format, options) in RENDITION_FORMATS.items():
            pixels = current
            if pil_format == "JPEG" and current.mode == "RGBA":
                pixels = _on_white(current)
            results.append(
                ({"w": width, "h": height, "f": fmt}, _encode(pixels, pil_format, **options))
            )
    results.sort(key=lambda pair: (pair[0]["f"], pair[0]["w"]))
    return results


# --- Storing, with clean-up when a transaction fails -------------------------------------------

_stored_in_block: contextvars.ContextVar[list[tuple] | None] = contextvars.ContextVar(
    "images_stored_in_block", default=None
)


@contextlib.contextmanager
def files_removed_on_error():
    """Delete every file stored inside the block if the block raises.

    Services wrap their ``transaction.atomic()`` in this, so that when a later photo or a
    database constraint fails, the files already written for the rolled-back rows go too.
    """
    stored: list[tuple] = []
    token = _stored_in_block.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
    finally:
        _stored_in_block.reset(token)


def _store(name: str, content: bytes, storage=None) -> str:
    storage = storage or default_storage
    saved = storage.save(name, ContentFile(content))
    stored = _stored_in_block.get()
    if stored is not None:
        stored.append((storage, saved))
    return saved


def delete_files_on_commit(names) -> None:
    """Delete stored files after the current transaction commits (at once outside one), from
    whichever tree (public or private, core/media.py) holds them."""
    names = [name for name in names if name]

    def delete():
        for name in names:
            media.delete_everywhere(name)

    transaction.on_commit(delete)


class ImageWithRenditions(models.Model):
    """Abstract model for anything with one uploaded image and its renditions.

    ``image`` is not editable through model forms (so the admin cannot bypass the cleaning);
    forms use :class:`ImageUploadField` and services call :meth:`store_image`.  Renditions are
    listed in ``renditions`` as ``{"w", "h", "f", "n"}`` items, so a page needs no extra query
    to build its ``srcset``.
    """

    IMAGE_FOLDER = "images"

    image = models.ImageField("تصویر", max_length=255, blank=True, editable=False)
    width = models.PositiveIntegerField("عرض (پیکسل)", default=0, editable=False)
    height = models.PositiveIntegerField("ارتفاع (پیکسل)", default=0, editable=False)
    renditions = models.JSONField("اندازه‌های آماده", default=list, blank=True, editable=False)

    class Meta:
        abstract = True

    def store_image(self, cleaned: CleanedImage) -> list[str]:
        """Store the clean original and its renditions; return the names of replaced files.

        Call inside :func:`files_removed_on_error` and pass the returned names to
        :func:`delete_files_on_commit` once the row is saved.  File names are random, so a
        photo's address cannot be guessed from another's.  The files go into the tree
        :meth:`files_public` names, so an upload that visitors may not see is never public.
        """
        replaced = self.image_file_names()
        now = timezone.now()
        stem = f"{self.IMAGE_FOLDER}/{now:%Y/%m}/{uuid.uuid4().hex}"
        storage = media.storage_for(public=self.files_public())
        self.image = _store(f"{stem}.{cleaned.extension}", cleaned.content, storage)
        self.width, self.height = cleaned.width, cleaned.height
        self.renditions = [
            {
                **meta,
                "n": _store(
                    f"{stem}-{meta['w']}.{'jpg' if meta['f'] == 'jpeg' else 'webp'}", data, storage
                ),
            }
            for meta, data in make_renditions(cleaned)
        ]
        return replaced

    def files_public(self) -> bool:
        """Whether this object's files belong in the public tree (MEDIA_ROOT, served at
        MEDIA_URL) rather than the private one (core/media.py), by its state in memory.

        Always, unless the model says otherwise: a model whose objects visitors do not always
        see overrides this, and its app moves the files when the state changes.
        """
        return True

    def image_file_names(self) -> list[str]:
        """Every stored file of this image: the original and each rendition."""
        names = [self.image.name] if self.image else []
        return names + [item["n"] for item in self.renditions or []]

    @property
    def has_image(self) -> bool:
        return bool(self.image)

    def _renditions_in(self, fmt: str) -> list[dict]:
        return sorted((r for r in self.renditions or [] if r["f"] == fmt), key=lambda r: r["w"])

    @staticmethod
    def file_url(name: str, *, staff: bool = False) -> str:
        """A stored file's address: MEDIA_URL for visitors, the staff view with ``staff``."""
        return media.private_url(name) if staff else default_storage.url(name)

    def srcset(self, fmt: str = "jpeg", *, staff: bool = False) -> str:
        """``"a-320.jpg 320w, a-640.jpg 640w, …"`` for ``fmt`` ``"jpeg"`` or ``"webp"``."""
        return ", ".join(
            f"{self.file_url(r['n'], staff=staff)} {r['w']}w" for r in self._renditions_in(fmt)
        )

    @property
    def srcset_webp(self) -> str:
        return self.srcset("webp")

    @property
    def srcset_jpeg(self) -> str:
        return self.srcset("jpeg")

    def rendition(self, width: int = 640, fmt: str = "jpeg") -> dict | None:
        """The smallest rendition at least ``width`` wide (or the largest there is)."""
        items = self._renditions_in(fmt)
        if not items:
            return None
        return next((r for r in items if r["w"] >= width), items[-1])

    def fallback_url(self, width: int = 640, *, staff: bool = False) -> str:
        """A JPEG for ``<img src>``: every browser shows it; the original when none exists."""
        chosen = self.rendition(width, "jpeg")
        if chosen:
            return self.file_url(chosen["n"], staff=staff)
        return self.file_url(self.image.name, staff=staff) if self.image else ""

    def largest_url(self, fmt: str = "jpeg", *, staff: bool = False) -> str:
        """The largest rendition in ``fmt`` (``""`` if none), e.g. for a full-screen viewer."""
        items = self._renditions_in(fmt)
        if items:
            return self.file_url(items[-1]["n"], staff=staff)
        return self.file_url(self.image.name, staff=staff) if fmt == "jpeg" and self.image else ""


def render_picture(
    obj: ImageWithRenditions,
    *,
    alt: str,
    sizes: str = "100vw",
    css_class: str = "",
    loading: str = "lazy",
    width: int = 640,
    staff: bool = False,
):
    """Return a ``<picture>`` with WebP and JPEG ``srcset`` for ``obj`` (safe HTML).

    ``alt`` is required (pass ``""`` only for a purely decorative image); ``width`` picks the
    JPEG used as ``src`` by browsers that ignore ``srcset``; the ``width``/``height``
    attributes come from that rendition so the page does not jump while images load.
    ``staff`` links the files through the staff view, for pages that show what is not public.
    """
    if alt is None:
        raise ValueError("render_picture() needs alt text")
    if not obj or not obj.has_image:
        return ""
    chosen = obj.rendition(width, "jpeg") or {"w": obj.width, "h": obj.height}
    webp = obj.srcset("webp", staff=staff)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        [("image/webp", webp, sizes)] if webp else [],
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        ' loading="{}" decoding="async"{}></picture>',
        sources,
        obj.fallback_url(width, staff=staff),
        obj.srcset("jpeg", staff=staff),
        sizes,
        chosen["w"],
        chosen["h"],
        alt,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )


# --- Form fields -------------------------------------------------------------------------------


class ImageUploadField(forms.FileField):
    """One image; cleans to a :class:`CleanedImage` (or the unchanged initial value)."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})
    default_error_messages = {
        "required": "یک تصویر انتخاب کنید.",
        "invalid": "پرونده‌ای فرستاده نشد؛ دوباره انتخاب کنید.",
        "missing": "پرونده‌ای فرستاده نشد؛ دوباره انتخاب کنید.",
        "empty": "پروندهٔ فرستاده‌شده خالی است.",
    }

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return clean_image_upload(value)
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageUploadField(forms.FileField):
    """Several images chosen at once; cleans to a list of :class:`CleanedImage`.

    Every file is checked and every problem reported together, so the person can fix them in
    one go; if any file is refused the whole field is invalid and nothing is stored.
    """

    widget = MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})
    default_error_messages = {
        "required": "دست‌کم یک تصویر انتخاب کنید.",
        "invalid": "پرونده‌ای فرستاده نشد؛ دوباره انتخاب کنید.",
        "too_many": "در هر بار حداکثر {limit} تصویر بفرستید.",
    }

    def __init__(self, *, max_files: int = MAX_FILES_PER_UPLOAD, **kwargs):
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            message = self.error_messages["too_many"].format(
                limit=to_persian_digits(self.max_files)
            )
            raise ValidationError(message, code="too_many")
        cleaned, errors = [], []
        for uploaded in files:
            if not isinstance(uploaded, UploadedFile):
                errors.append(ValidationError(self.error_messages["invalid"], code="invalid"))
                continue
            try:
                cleaned.append(clean_image_upload(uploaded))
            except ImageRejected as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return cleaned
