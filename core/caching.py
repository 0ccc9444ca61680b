"""Whole-page caching of anonymous public pages, made stale explicitly by the services.

Pages are stored in the shared cache (Redis in production, the file cache otherwise) under a key
that includes a *content generation*. A service that changes what visitors see calls
:func:`public_content_changed`; once its transaction commits the generation moves on and every
cached page is stale at once (old entries expire by themselves). A change nobody else can see
yet (a pending comment, a draft article, an unpublished exhibition) calls nothing, so it cannot
empty the cache. Nothing is kept in a worker's memory, so every worker and node agrees.

Content can also change on a clock: a scheduled article appears when its time comes, with no
save. Apps register a *schedule* (:func:`register_schedule`), a function that returns the next
moment their public content changes by itself; a cached page never outlives the earliest one.

Not cached: signed-in users, requests carrying a session or flash messages, anything but
GET/HEAD with a 200, and pages that put a CSRF token in a form (the token is per visitor).
"""

import functools
import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "page-cache:generation"
_NOTHING_SCHEDULED = "none"
_schedules: list[Callable[[datetime], datetime | None]] = []


def current_generation() -> str:
    """The content generation every cached public page's key carries."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, None)
    return generation


def invalidate_public_pages() -> None:
    """Make every cached public page stale now."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def public_content_changed() -> None:
    """Say that what visitors see has changed; cached pages go stale when the transaction
    commits (at once outside a transaction), and not at all if it rolls back."""
    transaction.on_commit(invalidate_public_pages)


def register_schedule(next_change: Callable[[datetime], datetime | None]) -> None:
    """Register ``next_change(now)``: the next moment after *now* that an app's public content
    changes by itself (a scheduled article going live), or ``None``. Apps call this once, from
    their ``AppConfig.ready``."""
    if next_change not in _schedules:
        _schedules.append(next_change)


def seconds_until_scheduled_change() -> int | None:
    """Seconds until the earliest registered scheduled change, or ``None`` if none is due.

    Remembered in the cache until that moment, under the content generation (a service that
    schedules something makes the content change, so the answer is asked afresh).
    """
    key = f"page-cache:next-change:{current_generation()}"
    now = timezone.now()
    stored = cache.get(key)
    if stored is None:
        upcoming = [moment for moment in (source(now) for source in _schedules) if moment]
        soonest = min(upcoming, default=None)
        stored = soonest.timestamp() if soonest else _NOTHING_SCHEDULED
        remember = settings.PUBLIC_PAGE_CACHE_SECONDS
        if soonest:
            remember = max(1, min(remember, int(soonest.timestamp() - now.timestamp())))
        cache.set(key, stored, remember)
    if stored == _NOTHING_SCHEDULED:
        return None
    return max(0, int(stored - now.timestamp()))


def page_timeout(default: int | None = None) -> int:
    """How long a public page may stay cached right now (0: do not cache it)."""
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS if default is None else default
    until_change = seconds_until_scheduled_change()
    return seconds if until_change is None else min(seconds, until_change)


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request, params: tuple[str, ...]) -> str:
    """The page's key: its host, its path and the query parameters it reads, in one order;
    ``?b=2&a=1`` and ``?a=1&b=2`` are one page."""
    query = urlencode(
        sorted((name, value) for name in params for value in request.GET.getlist(name))
    )
    address = f"{request.get_host()}{request.path}?{query}"
    return f"page:{current_generation()}:{hashlib.sha256(address.encode()).hexdigest()}"


def public_page(view=None, *, timeout=None, params=()):
    """Cache a public view's whole response for anonymous visitors (works on functions and
    on ``View.as_view()`` results); never past the next scheduled change.

    *params* names the query parameters the page reads (``("category", "page")``). Only they
    make the key, so the number of entries a page can have is bounded by its own choices; a
    request carrying any other parameter (``?junk=1``, a tracking tag) is answered without
    the cache and stores nothing, so nobody can fill the cache by inventing addresses."""
    allowed = frozenset(params)

    def decorate(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request) or not allowed.issuperset(request.GET):
                return view_func(request, *args, **kwargs)
            seconds = page_timeout(timeout)
            if seconds <= 0:
                return view_func(request, *args, **kwargs)
            key = _key(request, tuple(sorted(allowed)))
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
                cache.set(key, response, seconds)
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorate(view) if view is not None else decorate
