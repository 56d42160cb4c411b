"""Figures shown to everyone on the home page, recomputed at most once a minute.

With a million articles, counting them on every home-page request cost more than the rest of the
page (docs/quality.md, load test). A card's shared figures may be a minute old; anything about
the signed-in user is always computed live by the card itself. Stale figures keep being served
while one request recomputes them, so a refresh never stalls the requests around it.
"""

import time

from django.core.cache import cache
from django.utils import translation

from .localcache import LocalMemo

FRESH_SECONDS = 60
KEEP_SECONDS = 15 * 60  # stale figures are served at most this long while a refresh runs
REFRESH_LOCK_SECONDS = 30
_local = LocalMemo(seconds=5)


def shared_figures(name: str, compute):
    """compute() at most once a minute per language (once for all processes with Redis)."""
    key = f"home-figures:{name}:{translation.get_language() or ''}"
    return _local.read_through(key, lambda: _shared(key, compute))


def _shared(key: str, compute):
    entry = cache.get(key)
    if entry is not None:
        computed_at, value = entry
        if time.time() - computed_at < FRESH_SECONDS:
            return value
        if not cache.add(f"{key}:refreshing", 1, timeout=REFRESH_LOCK_SECONDS):
            return value  # another request is refreshing them
    value = compute()
    cache.set(key, (time.time(), value), KEEP_SECONDS)
    cache.delete(f"{key}:refreshing")
    return value
