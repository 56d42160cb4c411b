"""Fewer garbage-collector passes during batch jobs.

Ingestion allocates millions of short-lived containers (token lists, model instances) while it
keeps a large, growing set of long-lived ones (the near-duplicate index, the taxonomy). With
CPython's default thresholds (700, 10, 10) the collector ran often enough to walk those long-lived
objects again and again: about 10 s of a 34 s ingest of 24,286 items (bench/ingest.py, measured
with the collector off and with these thresholds: both 24.5 s). Reference counting still frees
almost everything at once; only reference cycles wait longer for a pass.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

BATCH_THRESHOLDS = (50_000, 50, 100)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections():
    """Raise the collector's thresholds for the duration (nested and threaded use is fine: the
    outermost exit restores what was there before)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*BATCH_THRESHOLDS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
