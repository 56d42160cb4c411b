"""Emergence of a term: is its share of items in the recent periods higher than in its own history?

For a term with `c_r` items among the `n_r` items of the recent window and `c_h` among the
`n_h` items of the history window before it:

* growth is the ratio of shares, (c_r/n_r) / (c_h/n_h), with 0.5 added to both counts so a
  term absent from its history gets a finite ratio instead of infinity;
* significance is Dunning's log-likelihood ratio G² of the 2x2 table (term vs. other items,
  recent vs. history). G² >= 10.83 means p < 0.001 (chi-square, 1 d.f.): a term whose rise could
  be chance with a probability above 0.1 % is not shown. Many terms are tested at once, so the
  threshold is deliberately strict rather than 3.84 (p < 0.05);
* the score ranks significant rising terms: the lower end of the 95 % confidence interval of
  log2(growth) (SE from the usual log rate-ratio formula). It rewards growth that is both large
  and well supported, so one paper on a new word does not outrank a doubling over hundreds.

Only shares are compared, so the hub ingesting more items overall does not make every term rise.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

DEFAULT_G2_THRESHOLD = 10.83
DEFAULT_MIN_RECENT = 5
_Z95 = 1.959964


@dataclass(frozen=True)
class Emergence:
    term: str
    recent: int
    recent_total: int
    history: int
    history_total: int
    growth: float
    g2: float
    score: float
    significant: bool

    def as_dict(self) -> dict:
        return asdict(self)


def _xlogx_ratio(observed: float, expected: float) -> float:
    return observed * math.log(observed / expected) if observed > 0 and expected > 0 else 0.0


def log_likelihood_g2(c_r: int, n_r: int, c_h: int, n_h: int) -> float:
    """Dunning's G² for the table [[c_r, n_r - c_r], [c_h, n_h - c_h]]."""
    total = n_r + n_h
    if total == 0 or n_r == 0 or n_h == 0:
        return 0.0
    term_total = c_r + c_h
    cells = [
        (c_r, n_r * term_total / total),
        (n_r - c_r, n_r * (total - term_total) / total),
        (c_h, n_h * term_total / total),
        (n_h - c_h, n_h * (total - term_total) / total),
    ]
    return max(0.0, 2.0 * sum(_xlogx_ratio(o, e) for o, e in cells))


def emergence(
    term: str,
    c_r: int,
    n_r: int,
    c_h: int,
    n_h: int,
    *,
    g2_threshold: float = DEFAULT_G2_THRESHOLD,
    min_recent: int = DEFAULT_MIN_RECENT,
) -> Emergence:
    if min(c_r, n_r, c_h, n_h) < 0 or c_r > n_r or c_h > n_h:
        raise ValueError(f"Counts must satisfy 0 <= count <= total (got {c_r}/{n_r}, {c_h}/{n_h}).")
    if n_r == 0 or n_h == 0:
        return Emergence(term, c_r, n_r, c_h, n_h, 1.0, 0.0, 0.0, False)
    smoothed_r, smoothed_h = c_r + 0.5, c_h + 0.5
    growth = (smoothed_r / n_r) / (smoothed_h / n_h)
    g2 = log_likelihood_g2(c_r, n_r, c_h, n_h)
    standard_error = math.sqrt(1 / smoothed_r + 1 / smoothed_h)
    score = (math.log(growth) - _Z95 * standard_error) / math.log(2)
    significant = growth > 1 and g2 >= g2_threshold and c_r >= min_recent
    return Emergence(term, c_r, n_r, c_h, n_h, round(growth, 4), round(g2, 3), round(score, 4), significant)


def window_sums(
    series: dict[str, int], totals: dict[str, int], periods: list[str], recent: int, history: int
) -> tuple[int, int, int, int]:
    """(c_r, n_r, c_h, n_h) over the last `recent` periods and the `history` periods before them."""
    if recent < 1 or history < 1:
        raise ValueError("recent and history must each cover at least one period.")
    recent_periods = periods[-recent:]
    history_periods = periods[-recent - history : -recent] if len(periods) > recent else []
    c_r = sum(series.get(p, 0) for p in recent_periods)
    n_r = sum(totals.get(p, 0) for p in recent_periods)
    c_h = sum(series.get(p, 0) for p in history_periods)
    n_h = sum(totals.get(p, 0) for p in history_periods)
    return c_r, n_r, c_h, n_h


def rank_emerging(
    series_by_term: dict[str, dict[str, int]],
    totals: dict[str, int],
    periods: list[str],
    recent: int,
    history: int,
    *,
    limit: int | None = None,
    include_insignificant: bool = False,
    **options,
) -> list[Emergence]:
    """Score every term over the same windows; significant risers first by score."""
    results = []
    for term, series in series_by_term.items():
        result = emergence(term, *window_sums(series, totals, periods, recent, history), **options)
        if result.significant or include_insignificant:
            results.append(result)
    results.sort(key=lambda e: (not e.significant, -e.score, e.term))
    return results[:limit] if limit else results
