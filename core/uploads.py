"""Keeping an uploaded file between an import's dry run and its apply.

The dry run shows what the file would do; the apply must save exactly that file. The file
waits in the user's session on the server, compressed, under its SHA-256 fingerprint; the
apply form carries nothing but the fingerprint, so the browser never sends back data we would
have to trust, and an apply from an older tab cannot save a different file from the one whose
report the person read. Sessions live in the database or Redis, which every node shares,
unlike a temporary file on one disk.
"""

import base64
import hashlib
import hmac
import zlib


def keep_upload(session, key: str, *, filename: str, data: bytes) -> str:
    """Keep *data* in the session under *key*; return the fingerprint the apply form carries."""
    digest = hashlib.sha256(data).hexdigest()
    session[key] = {
        "filename": filename,
        "digest": digest,
        "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
    }
    return digest


def kept_upload(session, key: str, digest: str) -> tuple[str, bytes] | None:
    """The ``(filename, data)`` kept under *key* if its fingerprint is *digest*, else None."""
    stored = session.get(key)
    if not stored or not digest or not hmac.compare_digest(stored["digest"], digest):
        return None
    return stored["filename"], zlib.decompress(base64.b64decode(stored["data"]))


def forget_upload(session, key: str) -> None:
    session.pop(key, None)


UPLOAD_GONE = (
    "فایل بررسی‌شده دیگر در دسترس نیست؛ آن را دوباره بارگذاری و بررسی کنید. چیزی ذخیره نشد."
)


def offer_apply(session, key: str, *, report, filename: str, data: bytes, form_class):
    """After a dry run: keep the file for its apply when there is something to save, and
    return the apply form carrying its fingerprint (``None``: nothing to apply)."""
    forget_upload(session, key)
    if not (report.is_valid and report.has_changes):
        return None
    digest = keep_upload(session, key, filename=filename, data=data)
    return form_class(initial={"digest": digest})


def upload_to_apply(request, key: str, form_class) -> tuple[str, bytes] | None:
    """The ``(filename, data)`` the apply form names; ``None``, with the Persian message
    flashed, when it is no longer kept (another tab, an expired session, a forged form)."""
    from django.contrib import messages

    form = form_class(request.POST)
    kept = kept_upload(request.session, key, form.data.get("digest", ""))
    if not form.is_valid() or kept is None:
        messages.error(request, UPLOAD_GONE)
        return None
    return kept
