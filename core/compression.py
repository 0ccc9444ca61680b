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

Static files never get here: WhiteNoise, above this middleware, answers them with the gzip and
Brotli copies collectstatic made. nginx must not compress the application's answers on its
own account, or it would undo the rule (deploy/nginx.conf.example).
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


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


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for answers that carry no secret (see the module)."""

    def process_response(self, request, response):
        if carries_secret(request, response):
            return response
        return super().process_response(request, response)
