"""Cached news pages that never outlive the next scheduled article.

News lists, tag pages, feeds and the sitemap are cached for anonymous readers with the
portal's shared page cache (``core.caching.public_page``), which any save of an article or
a tag makes stale.  A scheduled article, though, appears without any save: its ``publish_at``
simply passes.  So a page is cached no longer than until the next scheduled publish time;
once that time comes the page is built afresh and shows the new article.

Article pages are not cached at all: each carries a per-visitor CSRF token and a fresh
captcha, and counts the view.  Search results are not cached either (every query differs).
Other apps' cached pages that list news (a neighbourhood's, an agency's) keep the same
promise by using ``news_page`` in place of ``public_page``.
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.caching import current_generation, public_page

_NOTHING_SCHEDULED = "none"


def seconds_until_next_publish() -> int | None:
    """Seconds until the next scheduled article appears, or ``None`` if none is scheduled.

    Remembered in the cache until that moment (and forgotten when any content changes, since
    the key carries the content generation), so most requests cost one cache read.
    """
    from news.models import Article

    key = f"news:next-publish:{current_generation()}"
    now = timezone.now()
    stored = cache.get(key)
    if stored is None:
        upcoming = (
            Article.objects.scheduled(at=now)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )
        stored = upcoming.timestamp() if upcoming else _NOTHING_SCHEDULED
        remember = settings.PUBLIC_PAGE_CACHE_SECONDS
        if upcoming:
            remember = max(1, min(remember, int(upcoming.timestamp() - now.timestamp())))
        cache.set(key, stored, remember)
    if stored == _NOTHING_SCHEDULED:
        return None
    return max(0, int(stored - now.timestamp()))


def page_timeout() -> int:
    """How long a news page may stay cached right now (0 means do not cache it)."""
    default = settings.PUBLIC_PAGE_CACHE_SECONDS
    until_next = seconds_until_next_publish()
    return default if until_next is None else min(default, until_next)


def news_page(view):
    """Cache a public news view like ``public_page``, but not past the next scheduled article."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        timeout = page_timeout()
        if timeout <= 0:
            return view(request, *args, **kwargs)
        return public_page(view, timeout=timeout)(request, *args, **kwargs)

    return wrapper
