"""Shared home-page figures: computed once a minute, and stale ones served while a refresh runs."""

from django.core.cache import cache

from seoulhub.core import cards


def test_figures_are_reused_while_fresh_and_refreshed_by_one_caller_when_stale(monkeypatch):
    cache.clear()
    now = [1_000_000.0]
    monkeypatch.setattr(cards.time, "time", lambda: now[0])
    calls = []

    def compute():
        calls.append(now[0])
        return {"n": len(calls)}

    assert cards.shared_figures("t", compute) == {"n": 1}
    now[0] += cards.FRESH_SECONDS - 1
    assert cards.shared_figures("t", compute) == {"n": 1} and len(calls) == 1

    now[0] += 2  # stale; another request holds the refresh: the stale figures are served at once
    cards._local.clear()
    key = "home-figures:t:" + (cards.translation.get_language() or "")
    cache.add(f"{key}:refreshing", 1, timeout=30)
    assert cards.shared_figures("t", compute) == {"n": 1} and len(calls) == 1

    cards._local.clear()  # these checks are about the shared cache, behind the process memo
    cache.delete(f"{key}:refreshing")  # that refresh is gone: the next caller recomputes
    assert cards.shared_figures("t", compute) == {"n": 2}
    assert cards.shared_figures("t", compute) == {"n": 2} and len(calls) == 2
    cache.clear()


def test_local_memo_serves_for_its_lifetime_then_forgets(monkeypatch):
    from seoulhub.core import localcache

    now = [100.0]
    monkeypatch.setattr(localcache.time, "monotonic", lambda: now[0])
    memo = localcache.LocalMemo(seconds=5, max_items=2)
    memo.set("a", 1)
    now[0] += 4.9
    assert memo.get("a") == 1
    now[0] += 0.2
    assert memo.get("a") is None
    memo.set("a", 1), memo.set("b", 2), memo.set("c", 3)  # full: emptied, then c stored
    assert (memo.get("a"), memo.get("c")) == (None, 3)
