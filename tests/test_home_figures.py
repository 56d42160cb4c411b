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
    key = "home-figures:t:" + (cards.translation.get_language() or "")
    cache.add(f"{key}:refreshing", 1, timeout=30)
    assert cards.shared_figures("t", compute) == {"n": 1} and len(calls) == 1

    cache.delete(f"{key}:refreshing")  # that refresh is gone: the next caller recomputes
    assert cards.shared_figures("t", compute) == {"n": 2}
    assert cards.shared_figures("t", compute) == {"n": 2} and len(calls) == 2
    cache.clear()
