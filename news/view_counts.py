"""Counting article views without any database write on a page view.

A hot article can be read thousands of times an hour; an ``UPDATE`` for each view would queue
every reader behind one row lock, and a page that writes cannot be a cheap page. Instead:

1. a client counts once per article per ``SEEN_SECONDS`` (a ``cache.add`` on a per-client key;
   refreshing the page does not add views);
2. counted views are added to a pending counter in the shared cache (``cache.incr``, atomic on
   Redis); that is all a page view does;
3. ``manage.py flush_view_counts``, run every few minutes on one node (a systemd timer or
   cron), moves the pending views to ``Article.view_count`` with one ``F()`` update per article
   that has any. A short cache lock keeps two runs from flushing the same views twice.

The page shows ``view_count`` plus the pending views, so the number a reader sees is current
whenever the flush last ran. If the cache is wiped, the views pending since the last flush are
lost, which is acceptable for a popularity figure.

Views are counted by the article's news code, the number in its address: a view of a cached
page (core/caching.py) is counted from the address alone, without opening the database.
"""

from django.core.cache import cache
from django.db.models import F

SEEN_SECONDS = 30 * 60
LOCK_SECONDS = 30
BATCH = 500


def _pending_key(code: int) -> str:
    return f"news:views:pending-code:{code}"


def pending_views(code: int) -> int:
    """Views counted in the cache but not yet written to the database."""
    return int(cache.get(_pending_key(code)) or 0)


def record_view(code: int, client: str) -> None:
    """Count a view of an article by *client*, in the cache only."""
    if not cache.add(f"news:views:seen-code:{code}:{client}", 1, timeout=SEEN_SECONDS):
        return
    key = _pending_key(code)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.add(key, 1, timeout=None)
    # Backends without a native counter rewrite the entry with the default timeout on incr();
    # keep it until it is flushed.
    cache.touch(key, None)


def flush_all() -> int:
    """Write every article's pending views to the database; return how many were written."""
    from news.models import Article

    written = 0
    codes = list(Article.objects.order_by("news_code").values_list("news_code", flat=True))
    for start in range(0, len(codes), BATCH):
        batch = codes[start : start + BATCH]
        pending = cache.get_many([_pending_key(code) for code in batch])
        for code in batch:
            if int(pending.get(_pending_key(code)) or 0) > 0:
                written += flush(code)
    return written


def flush(code: int) -> int:
    """Write the pending views of an article to the database; return how many were written."""
    from news.models import Article

    lock = f"news:views:lock-code:{code}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return 0
    try:
        key = _pending_key(code)
        pending = int(cache.get(key) or 0)
        if pending <= 0:
            return 0
        # Subtract what is written rather than resetting to zero: views counted meanwhile stay.
        cache.decr(key, pending)
        cache.touch(key, None)
        Article.objects.filter(news_code=code).update(view_count=F("view_count") + pending)
        return pending
    finally:
        cache.delete(lock)
