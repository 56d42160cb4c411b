"""Pilot analytics without Django: which technology combinations appear together in pilots
(co-occurrence with lift) and success rates overall and per technology."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    together: int  # pilots using both
    lift: float  # P(a and b) / (P(a) P(b)); > 1 means they appear together more than by chance


@dataclass(frozen=True)
class Rate:
    key: str
    successes: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.successes / self.total if self.total else None


def cooccurrence(pilots: Iterable[Iterable[str]], min_together: int = 1) -> list[Pair]:
    """Technology pairs found in the same pilot, most frequent first (ties: higher lift, names)."""
    sets = [frozenset(p) for p in pilots]
    n = len(sets)
    single = Counter(t for s in sets for t in s)
    pairs = Counter(pair for s in sets for pair in combinations(sorted(s), 2))
    found = [
        Pair(a, b, together, round(together * n / (single[a] * single[b]), 3))
        for (a, b), together in pairs.items()
        if together >= min_together
    ]
    found.sort(key=lambda p: (-p.together, -p.lift, p.a, p.b))
    return found


def success_rates(evaluated: Iterable[tuple[Iterable[str], bool]]) -> tuple[Rate, list[Rate]]:
    """Overall and per-technology success among evaluated pilots (technologies, succeeded)."""
    rows = [(frozenset(techs), ok) for techs, ok in evaluated]
    overall = Rate("all", sum(ok for _, ok in rows), len(rows))
    totals, wins = Counter(), Counter()
    for techs, ok in rows:
        for tech in techs:
            totals[tech] += 1
            wins[tech] += ok
    per_tech = [Rate(t, wins[t], totals[t]) for t in totals]
    per_tech.sort(key=lambda r: (-r.total, -(r.rate or 0), r.key))
    return overall, per_tech
