"""A per-client limit on comment posting, kept in the shared cache.

Each client has one cache entry holding the times of its recent comments (a sliding log).  A
comment is allowed while fewer than ``limit`` of them fall inside the last ``window`` seconds.
The log lives in the shared cache (Redis in production), so every gunicorn worker and every
node sees the same count.  Reading and writing the log are two steps; two comments from one
client in the same instant could both pass, but each also needs its own solved captcha, so the
gap cannot be widened by a script.
"""

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 10 * 60


def _settings() -> tuple[int, int]:
    limit, window = getattr(settings, "NEWS_COMMENT_RATE", (DEFAULT_LIMIT, DEFAULT_WINDOW))
    return int(limit), int(window)


def _key(client: str) -> str:
    return f"news:comment-rate:{client}"


def _recent(client: str, now: float, window: int) -> list[float]:
    return [stamp for stamp in cache.get(_key(client), []) if stamp > now - window]


def is_limited(client: str) -> bool:
    """Tell whether *client* has used up its comments for now."""
    limit, window = _settings()
    return len(_recent(client, time.time(), window)) >= limit


def take(client: str) -> bool:
    """Count one comment for *client*; return False (and count nothing) if over the limit."""
    limit, window = _settings()
    now = time.time()
    recent = _recent(client, now, window)
    if len(recent) >= limit:
        return False
    cache.set(_key(client), [*recent, now], timeout=window)
    return True
