"""Whole-page caching of anonymous public pages, made stale explicitly by the services.

Public content comes in *topics* (:class:`Topic`: the news, the exhibition, the program's own
rows: records, houses, places, the division of labour). Each topic has a *generation* in the
shared cache (Redis in production, the file cache otherwise). A service that changes what
visitors see calls :func:`public_content_changed` with its topic; once its transaction commits
that topic's generation moves on, and the pages built from it are stale. Pages of other topics
stay: an approved service record does not touch the news list or an article's feed. A change
nobody else can see yet (a pending comment, a draft, an unpublished exhibition) calls nothing.

A page is stored under a key of its own (host, path, the query parameters it reads) with the
generations it was built from, the moment it stops being valid, its status, headers and body as
one piece, and the body gzipped once (core/compression.py sends that copy to browsers that
take gzip, instead of compressing the page again on every visit). So a visit costs one round
trip to the cache (the page and its topics' generations are read together), and a cached feed
is sent as one body, not as the hundreds of pieces the feed wrote. When a page is stale, one
worker rebuilds it (it holds a short lock in the cache) while the others keep serving the old
copy for those few seconds, so a change made while staff are saving records does not make
every worker rebuild the same page at once. A copy is kept for a day past its validity for
that purpose, and a page no worker has a copy of (after a restart, or never asked for) is
built by one while the others wait for its copy.

Content can also change on a clock: a scheduled article appears when its time comes, with no
save. Apps register a *schedule* (:func:`register_schedule`), a function that returns the next
moment their public content changes by itself; a cached page is never valid past the earliest.

Not cached: signed-in users, requests carrying a session or flash messages, anything but
GET/HEAD with a 200, and pages that put a CSRF token in a form (the token is per visitor).
Nothing is kept in a worker's memory, so every worker and node agrees.
"""

import enum
import functools
import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from core.compression import gzipped


class Topic(enum.StrEnum):
    """What a public page is built from; each has its own generation."""

    NEWS = "news"  # articles, tags, approved comments
    EXHIBITION = "exhibition"  # exhibitions, booths, exhibits, photos
    PROGRAM = "program"  # service records, houses, places, agencies, the division of labour


ALL_TOPICS = tuple(Topic)
_NOTHING_SCHEDULED = "none"
# A rebuild that takes longer than this (or a worker that died rebuilding) lets the next
# request try again; until then the others serve the stale copy.
REBUILD_LOCK_SECONDS = 10
# How long a copy stays in the cache after it stops being valid, to be served while one worker
# rebuilds it. A day, not a minute: a page nobody asked for in a while (a national statistics
# page takes seconds to build) is then not rebuilt by every worker at once when a crowd comes.
STALE_GRACE_SECONDS = 24 * 60 * 60
# While one worker builds a page no worker has a copy of, the others wait for it, looking this
# often, rather than build the same page side by side.
COLD_WAIT_STEP_SECONDS = 0.05
_schedules: list[Callable[[datetime], datetime | None]] = []


def _generation_key(topic: Topic) -> str:
    return f"page-cache:generation:{topic}"


def _generations(topics: Iterable[Topic], found: dict) -> tuple[str, ...]:
    """The generations of *topics*, from what a ``get_many`` *found*; a topic that has none
    yet (a new cache, or Redis evicted it) gets one, and every other node adopts it."""
    stamp = []
    for topic in topics:
        key = _generation_key(topic)
        generation = found.get(key)
        if generation is None:
            cache.add(key, uuid.uuid4().hex, None)
            generation = cache.get(key)
        stamp.append(generation)
    return tuple(stamp)


def current_generation(topics: Iterable[Topic] = ALL_TOPICS) -> str:
    """One string naming the content generation of *topics* (all of them by default); it
    changes whenever one of them does. Other caches of public figures carry it in their keys."""
    topics = tuple(topics)
    found = cache.get_many([_generation_key(topic) for topic in topics])
    return ".".join(_generations(topics, found))


def invalidate_public_pages(*topics: Topic) -> None:
    """Make the cached public pages built from *topics* (every topic if none is named) stale
    now."""
    cache.set_many({_generation_key(topic): uuid.uuid4().hex for topic in topics or ALL_TOPICS})


def public_content_changed(*topics: Topic) -> None:
    """Say that what visitors see of *topics* (every topic if none is named) has changed;
    cached pages go stale when the transaction commits (at once outside a transaction), and
    not at all if it rolls back."""
    transaction.on_commit(lambda: invalidate_public_pages(*topics))


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
    # The "2" is the layout of the entry (_stored): during a rolling restart, workers of the
    # release before, which kept no compressed copy, and of this one do not read each other's.
    return f"page:2:{hashlib.sha256(address.encode()).hexdigest()}"


def _stored(response: HttpResponse, stamp: tuple[str, ...], seconds: int) -> tuple:
    """What the cache keeps of a page: the generations it was built from, when it stops being
    valid, and the response as one body (a feed writes it in hundreds of pieces), with that
    body gzipped (``None`` if compressing does not pay)."""
    headers = [(name, value) for name, value in response.items()]
    valid_until = timezone.now().timestamp() + seconds
    body = response.content
    return (stamp, valid_until, response.status_code, headers, body, gzipped(body))


def _response(entry: tuple, state: str) -> HttpResponse:
    _stamp, _valid_until, status, headers, body, _compressed = entry
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return _answered_from(entry, response, state)


def _answered_from(entry: tuple, response: HttpResponse, state: str) -> HttpResponse:
    """*response* with the body and its gzipped copy of *entry*, which core.compression sends
    to browsers taking gzip, and the cache's state («hit», «stale», «miss»)."""
    response.gzipped_content = entry[-2:]
    response["X-Page-Cache"] = state
    return response


def public_page(
    view=None,
    *,
    timeout=None,
    params=(),
    topics: Iterable[Topic] = ALL_TOPICS,
    on_hit: Callable[..., None] | None = None,
):
    """Cache a public view's whole response for anonymous visitors (works on functions and
    on ``View.as_view()`` results); never past the next scheduled change.

    *params* names the query parameters the page reads (``("category", "page")``). Only they
    make the key, so the number of entries a page can have is bounded by its own choices; a
    request carrying any other parameter (``?junk=1``, a tracking tag) is answered without
    the cache and stores nothing, so nobody can fill the cache by inventing addresses.
    *topics* names what the page shows (every topic by default); a change to another topic
    leaves it cached. *on_hit* is called as ``on_hit(request, *args, **kwargs)`` for a visit
    answered from the cache, where the view does not run (an article counts its views so); it
    must not open the database."""
    allowed = frozenset(params)
    topics = tuple(topics)

    def decorate(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request) or not allowed.issuperset(request.GET):
                return view_func(request, *args, **kwargs)
            key = _key(request, tuple(sorted(allowed)))
            generation_keys = [_generation_key(topic) for topic in topics]
            found = cache.get_many([*generation_keys, key])  # one round trip for a hit
            stamp = _generations(topics, found)
            entry = found.get(key)
            lock = f"{key}:rebuilding"
            if entry is not None:
                fresh = entry[0] == stamp and timezone.now().timestamp() < entry[1]
                # Stale: one worker rebuilds, the others serve the old copy meanwhile.
                if fresh or not (holding := cache.add(lock, 1, REBUILD_LOCK_SECONDS)):
                    if on_hit is not None:
                        on_hit(request, *args, **kwargs)
                    return _response(entry, "hit" if fresh else "stale")
            elif not (holding := cache.add(lock, 1, REBUILD_LOCK_SECONDS)):
                # Cold, and another worker is building it: wait for its copy.
                entry = _built_meanwhile(key, lock)
                if entry is not None:
                    if on_hit is not None:
                        on_hit(request, *args, **kwargs)
                    return _response(entry, "hit")
            try:
                return _build(request, view_func, args, kwargs, key, stamp, timeout)
            finally:
                if holding:
                    cache.delete(lock)

        return wrapper

    return decorate(view) if view is not None else decorate


def _built_meanwhile(key: str, lock: str):
    """The copy of a page another worker is building, once it is stored; ``None`` if that
    worker let go of the page without storing it (a page not to be cached, a 404) or took
    longer than its lock."""
    deadline = time.monotonic() + REBUILD_LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(COLD_WAIT_STEP_SECONDS)
        found = cache.get_many([key, lock])
        if key in found:
            return found[key]
        if lock not in found:
            return None
    return None


def _build(request, view_func, args, kwargs, key, stamp, timeout):
    response = view_func(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if (
        response.status_code != 200
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(response, "streaming", False)
    ):
        return response
    seconds = page_timeout(timeout)
    if seconds <= 0:
        return response
    entry = _stored(response, stamp, seconds)
    cache.set(key, entry, seconds + STALE_GRACE_SECONDS)
    # The stored compressed copy, so this answer and the hits after it send the same bytes.
    return _answered_from(entry, response, "miss")
