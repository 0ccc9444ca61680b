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
