"""Compressed pages for visitors, and no compression where it could give a secret away.

Uncompressed, a public page was a quarter to a half of a phone's first visit. Compression has
one known danger, BREACH: someone who can make a victim's browser send requests, and can see
the sizes of the encrypted answers, can recover a secret from a compressed page that also
repeats text of his choosing (a search term, a form field sent back), a few characters at a
time. That needs a secret in the page, so this middleware compresses only pages that carry
none:

* nothing for signed-in users: staff pages hold names, household references, notes and their
  CSRF token;
* nothing that put a CSRF token into the page (the login form, a comment form drawn for this
  visitor): the one per-visitor secret an anonymous page can hold;
* what is left, the pages every anonymous visitor gets alike, anyone can fetch for himself:
  there is nothing in them to recover.

A page the page cache keeps (core/caching.py) is such a page. It is compressed once, when it
is stored, by :func:`gzipped`, and the copy rides along with every answer from that entry as
``response.gzipped_content`` (with the body it was made from); this middleware sends that copy
instead of compressing the body again, with the headers it would have written itself, as long
as the body is still the one the copy was made from. The random padding Django's middleware
adds to each compressed answer (against BREACH) is then the same for every visitor of one
entry, which gives nothing away: the page holds no secret, and anyone can fetch it.

Static files never get here: WhiteNoise, above this middleware, answers them with the gzip and
Brotli copies collectstatic made. nginx must not compress the application's answers on its
own account, or it would undo the rule (deploy/nginx.conf.example).
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

# Django's GZipMiddleware leaves bodies shorter than this as they are.
_SHORTEST = 200


def carries_secret(request, response) -> bool:
    """Whether *response* may hold something only this visitor should read."""
    user = getattr(request, "user", None)  # absent when a guard above answered first
    if user is not None and user.is_authenticated:
        return True
    # A page that used the CSRF token has Django send its cookie along with it (on the way out
    # CsrfViewMiddleware turns the request's flag into that cookie; either one tells).
    return settings.CSRF_COOKIE_NAME in response.cookies or bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def gzipped(content: bytes) -> bytes | None:
    """*content* compressed as :class:`PublicGZipMiddleware` would send it, or ``None`` when
    it would send it as it is (too short to bother, or no shorter compressed)."""
    if len(content) < _SHORTEST:
        return None
    compressed = compress_string(content, max_random_bytes=PublicGZipMiddleware.max_random_bytes)
    return compressed if len(compressed) < len(content) else None


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for answers that carry no secret, sending the copy compressed
    beforehand where there is one (see the module)."""

    def process_response(self, request, response):
        if carries_secret(request, response):
            return response
        plain, compressed = getattr(response, "gzipped_content", (None, None))
        if (
            compressed is None
            or response.streaming
            or response.has_header("Content-Encoding")
            or response.content != plain  # changed on its way out: the copy no longer fits
        ):
            return super().process_response(request, response)
        # What GZipMiddleware does with a body it compressed itself.
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
