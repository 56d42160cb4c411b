"""In-memory incremental counts: each item adds its terms to its periods; nothing is recomputed.

The database keeps the same figures in `radar.TrendCount` (updated per article in the same
transaction); this class is the framework-free twin used by benchmarks, reports and tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from .emergence import Emergence, rank_emerging
from .periods import GRANULARITIES, period_key, period_range


class TrendCounter:
    def __init__(self, granularities: Iterable[str] = GRANULARITIES):
        self.granularities = tuple(granularities)
        # (granularity, kind, term) -> {period: count}
        self.counts: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        # granularity -> {period: number of items}
        self.totals: dict[str, dict[str, int]] = {g: defaultdict(int) for g in self.granularities}

    def add(self, when: date | datetime, terms: dict[str, Iterable[str]], weight: int = 1) -> None:
        """Count one item published `when` with its terms by kind ({"tech": [...], "keyword": [...]}).
        A term listed twice in one item counts once: trends count items, not mentions.
        `weight=-1` removes an item that was added before."""
        for granularity in self.granularities:
            period = period_key(when, granularity)
            self.totals[granularity][period] += weight
            for kind, kind_terms in terms.items():
                for term in set(kind_terms):
                    series = self.counts[(granularity, kind, term)]
                    series[period] += weight
                    if series[period] == 0:
                        del series[period]

    def remove(self, when: date | datetime, terms: dict[str, Iterable[str]]) -> None:
        self.add(when, terms, weight=-1)

    def periods(self, granularity: str) -> list[str]:
        known = [p for p, n in self.totals[granularity].items() if n > 0]
        return period_range(min(known), max(known)) if known else []

    def series(self, granularity: str, kind: str, term: str) -> dict[str, int]:
        return dict(self.counts.get((granularity, kind, term), {}))

    def rank(
        self, granularity: str, kind: str, recent: int, history: int, until: str | None = None, **options
    ) -> list[Emergence]:
        """Significant rising terms of one kind, best first (see `emergence.rank_emerging`)."""
        periods = self.periods(granularity)
        if until is not None:
            periods = [p for p in periods if p <= until]
        series_by_term = {term: s for (g, k, term), s in self.counts.items() if g == granularity and k == kind}
        return rank_emerging(series_by_term, dict(self.totals[granularity]), periods, recent, history, **options)
