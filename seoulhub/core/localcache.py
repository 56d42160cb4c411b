"""A small per-process memo in front of the shared cache.

With Redis as the cache (production), every read is a network round trip and an unpickle: on
the load test that cost more than rendering a cached page. Values read from the shared cache are
kept here for a few seconds, so a popular page costs one shared read per process every few
seconds. Only for values that may be that much staler than the shared cache (all users see the
same thing: home figures, support figures).
"""

from __future__ import annotations

import threading
import time


_ALL: list[LocalMemo] = []


def clear_all() -> None:
    """Forget every memo (tests, after clearing the shared cache)."""
    for memo in _ALL:
        memo.clear()


class LocalMemo:
    def __init__(self, seconds: float = 5.0, max_items: int = 512):
        _ALL.append(self)
        self.seconds = seconds
        self.max_items = max_items
        self._items: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: str):
        entry = self._items.get(key)
        if entry is None:
            return None
        stored_at, value = entry
        if time.monotonic() - stored_at > self.seconds:
            with self._lock:
                self._items.pop(key, None)
            return None
        return value

    def read_through(self, key: str, read):
        """The memo's value, else read() (kept when it is not None)."""
        value = self.get(key)
        if value is None:
            value = read()
            if value is not None:
                self.set(key, value)
        return value

    def set(self, key: str, value) -> None:
        with self._lock:
            if len(self._items) >= self.max_items:
                self._items.clear()  # simpler than LRU, and it refills from the shared cache
            self._items[key] = (time.monotonic(), value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
