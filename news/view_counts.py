"""Counting article views without a database write per view.

A hot article can be read thousands of times an hour; an ``UPDATE`` for each view would queue
every reader behind one row lock.  Instead:

1. a client counts once per article per ``SEEN_SECONDS`` (a ``cache.add`` on a per-client key;
   refreshing the page does not add views);
2. counted views are added to a pending counter in the shared cache (``cache.incr``, atomic on
   Redis);
3. the pending views are moved to ``Article.view_count`` with one ``F()`` update when
   ``FLUSH_EVERY`` of them have piled up, or on the first view after ``FLUSH_SECONDS`` since the
   last flush, whichever comes first.  A short cache lock keeps two workers from flushing the
   same views twice.

The page shows ``view_count`` plus the pending views, so the number a reader sees is current.
If the cache is wiped, at most the pending views (fewer than ``FLUSH_EVERY``) are lost, which
is acceptable for a popularity figure.
"""

from django.core.cache import cache
from django.db.models import F

SEEN_SECONDS = 30 * 60
FLUSH_EVERY = 20
FLUSH_SECONDS = 5 * 60
LOCK_SECONDS = 30


def _pending_key(article_id: int) -> str:
    return f"news:views:pending:{article_id}"


def pending_views(article_id: int) -> int:
    """Views counted in the cache but not yet written to the database."""
    return int(cache.get(_pending_key(article_id)) or 0)


def record_view(article_id: int, client: str) -> int:
    """Count a view of an article by *client*.

    Returns how many pending views this call wrote to the database (usually 0), so a page that
    loaded the article before the write can still show the current total.
    """
    if not cache.add(f"news:views:seen:{article_id}:{client}", 1, timeout=SEEN_SECONDS):
        return 0
    key = _pending_key(article_id)
    cache.add(key, 0, timeout=None)
    try:
        pending = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.add(key, 1, timeout=None)
        pending = 1
    # Backends without a native counter rewrite the entry with the default timeout on incr();
    # keep it until it is flushed.
    cache.touch(key, None)
    due = cache.add(f"news:views:flushed:{article_id}", 1, timeout=FLUSH_SECONDS)
    if pending >= FLUSH_EVERY or due:
        return flush(article_id)
    return 0


def flush(article_id: int) -> int:
    """Write the pending views of an article to the database; return how many were written."""
    from news.models import Article

    lock = f"news:views:lock:{article_id}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return 0
    try:
        key = _pending_key(article_id)
        pending = int(cache.get(key) or 0)
        if pending <= 0:
            return 0
        # Subtract what is written rather than resetting to zero: views counted meanwhile stay.
        cache.decr(key, pending)
        cache.touch(key, None)
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + pending)
        return pending
    finally:
        cache.delete(lock)
