"""Data versions: the one way cached values learn that the data under them changed.

A version is a short string per named data set ("support", "radar-trends", ...). Values computed
from that data are cached under keys that carry its version, so they never need deleting: a write
calls `bump(name)` and every process leaves the old values behind at its next read.

The version lives in the shared cache. When the cache has none (first use, eviction, restart) it is
computed from the tables by the caller's `from_tables()`, so the same data gives the same version
and refilling it does not throw cached values away. With the per-process default cache an edit in
another process (the task worker, another web worker) never reaches this process's copy, so the
version expires after a few seconds there and is recomputed from the tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from .localcache import LocalMemo

MEMO_SECONDS = 3  # how long a process may serve the previous version to anonymous visitors
PER_PROCESS_SECONDS = 10
_memo = LocalMemo(seconds=MEMO_SECONDS, max_items=32)


def _key(name: str) -> str:
    return f"data-version:{name}"


def _timeout() -> int | None:
    return PER_PROCESS_SECONDS if isinstance(caches["default"], LocMemCache) else None


def _shared(name: str, from_tables: Callable[[], str]) -> str:
    version = cache.get(_key(name))
    if version is None:
        version = "tables-" + from_tables()
        if not cache.add(_key(name), version, _timeout()):
            version = cache.get(_key(name)) or version  # a bump (or another process) got there first
    return version


def current(name: str, from_tables: Callable[[], str], fresh: bool = False) -> str:
    """The data set's version. `fresh` skips the few seconds of the process memo (for signed-in
    users, so whoever just made an edit sees it on the next page, whichever process serves it)."""
    if fresh:
        version = _shared(name, from_tables)
        _memo.set(_key(name), version)  # or this process would flip between two versions
        return version
    return _memo.read_through(_key(name), lambda: _shared(name, from_tables))


def bump(name: str) -> None:
    """Give the data set a new version (this process at once, the others within MEMO_SECONDS)."""
    version = "edit-" + uuid.uuid4().hex
    cache.set(_key(name), version, _timeout())
    _memo.set(_key(name), version)
