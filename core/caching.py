"""Whole-page caching of anonymous public pages, invalidated when program content changes.

Pages are stored in the shared cache (Redis in production, the file cache otherwise) under
a key that includes a *content generation*. Any save or delete of a model in the content
apps moves the generation on, so every cached page is stale at once; old entries expire by
themselves. One rule, no per-page bookkeeping, and nothing in a worker's memory.

Not cached: signed-in users, requests carrying a session or flash messages, anything but
GET/HEAD with a 200, and pages that put a CSRF token in a form (the token is per visitor).
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "public-pages:generation"
CONTENT_APPS = {"neighbourhoods", "agencies", "news", "exhibition", "taggit"}


def current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, None)
    return generation


def invalidate_public_pages() -> None:
    """Make every cached public page stale; called when content changes."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _content_changed(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        invalidate_public_pages()


def connect_invalidation() -> None:
    post_save.connect(_content_changed, dispatch_uid="core.caching.save")
    post_delete.connect(_content_changed, dispatch_uid="core.caching.delete")


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{current_generation()}:{path}"


def public_page(view=None, *, timeout=None):
    """Cache a public view's whole response for anonymous visitors (works on functions and
    on `View.as_view()` results)."""

    def decorate(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view_func(request, *args, **kwargs)
            key = _key(request)
            cached = cache.get(key)
            if cached is not None:
                cached["X-Page-Cache"] = "hit"
                return cached
            response = view_func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                response.status_code == 200
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                seconds = settings.PUBLIC_PAGE_CACHE_SECONDS if timeout is None else timeout
                cache.set(key, response, seconds)
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorate(view) if view is not None else decorate
