"""Reading the trend counters: series, rising terms, a technology's timeline and top stories.

Scores come from `seoulhub.trends` over the stored counts; nothing here reads articles except
the top stories of one technology.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import F, Max, Sum

from seoulhub.core import clock, versions
from seoulhub.trends import terms
from seoulhub.trends.emergence import rank_emerging
from seoulhub.trends.periods import period_key, period_range

from .models import Article, Granularity, TrendCount, TrendKind, TrendTotal
from .models.trends import TRENDS_DATA_SET

# (recent, most history, least history) periods. Months: the last half-year against up to nine
# months before (the landscape's weekly windows, 26 against 39 weeks, span the same); weeks: the
# last month against the quarter before, for what moved lately.
WINDOWS = {Granularity.MONTH: (6, 9, 3), Granularity.WEEK: (4, 12, 12)}
CACHE_SECONDS = 600


def periods(granularity: str) -> list[str]:
    """Every period from the first with items to the newest with items, never past the hub's
    clock: windows end at the newest data, not at today (a demo corpus or a stalled feed stops
    before today), and an item dated in the clock's future does not open a period."""
    known = list(
        TrendTotal.objects.filter(
            granularity=granularity, count__gt=0, period__lte=period_key(clock.today(), granularity)
        )
        .order_by("period")
        .values_list("period", flat=True)
    )
    return period_range(known[0], known[-1]) if known else []


def totals(granularity: str) -> dict[str, int]:
    return dict(TrendTotal.objects.filter(granularity=granularity).values_list("period", "count"))


def _table_stamp() -> str:
    figures = TrendTotal.objects.aggregate(n=Sum("count"), last=Max("id"))
    return f"{figures['n']}-{figures['last']}"


def _version() -> str:
    return versions.current(TRENDS_DATA_SET, _table_stamp)


def rising(kind: str, granularity: str = Granularity.MONTH, limit: int = 20, until: str | None = None) -> dict:
    """Significant rising terms with their series, for the last complete windows up to `until`."""
    if granularity not in Granularity.values or kind not in TrendKind.values:
        raise ValueError("kind must be tech or keyword, granularity week or month.")
    key = f"radar-rising:{kind}:{granularity}:{limit}:{until}:{clock.today()}:{_version()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    all_periods = periods(granularity)
    if until:
        all_periods = [p for p in all_periods if p <= until]
    recent, most_history, least_history = WINDOWS[granularity]
    history = min(most_history, len(all_periods) - recent)
    window = all_periods[-(recent + max(history, 0)) :] if all_periods else []
    series: dict[str, dict[str, int]] = {}
    for term, period, count in TrendCount.objects.filter(
        kind=kind, granularity=granularity, period__in=window
    ).values_list("term", "period", "count"):
        series.setdefault(term, {})[period] = count
    total = totals(granularity)
    options = {}
    if kind == TrendKind.KEYWORD:
        # Technical terms and noun phrases only, spellings of one concept merged, and a higher
        # minimum support than technologies (keywords are many, so chance rises are many).
        series = terms.group_series(series, total)
        options["min_recent"] = terms.MIN_RECENT_KEYWORD
    # Fewer periods than both windows need: "not enough history", never a ranking of 0 of 0.
    enough = history >= least_history and sum(total.get(p, 0) for p in window[:-recent]) > 0
    ranked = rank_emerging(series, total, window, recent, history, limit=limit, **options) if enough else []
    figures = {
        "kind": kind,
        "granularity": granularity,
        "periods": window,
        "enough_history": enough,
        "periods_needed": recent + least_history,
        "recent_periods": window[-recent:] if enough else [],
        "history_periods": window[:-recent] if enough else [],
        "items": [
            {
                **e.as_dict(),
                "series": [series.get(e.term, {}).get(p, 0) for p in window],
                "shares": [
                    round(1000 * series.get(e.term, {}).get(p, 0) / total[p], 2) if total.get(p) else 0.0
                    for p in window
                ],
            }
            for e in ranked
        ],
    }
    cache.set(key, figures, CACHE_SECONDS)
    return figures


def timeline(kind: str, term: str, granularity: str = Granularity.MONTH) -> dict:
    """Counts and shares per period; a keyword concept sums its spellings (see seoulhub.trends.terms)."""
    all_periods = periods(granularity)
    total = totals(granularity)
    names = terms.spellings_of(term) if kind == TrendKind.KEYWORD else {term}
    counts: dict[str, int] = {}
    for period, count in TrendCount.objects.filter(kind=kind, term__in=names, granularity=granularity).values_list(
        "period", "count"
    ):
        counts[period] = min(counts.get(period, 0) + count, total.get(period, 0))
    return {
        "term": term,
        "kind": kind,
        "granularity": granularity,
        "periods": all_periods,
        "counts": [counts.get(p, 0) for p in all_periods],
        "shares": [round(counts.get(p, 0) / total[p], 5) if total.get(p) else 0.0 for p in all_periods],
    }


def top_stories(technology_slug: str, limit: int = 10):
    """The technology's most relevant recent articles, one per story cluster."""
    seen, stories = set(), []
    for article in (
        Article.objects.filter(technology_links__technology__slug=technology_slug)
        .select_related("source")
        .order_by(F("published_at").desc(nulls_last=True), "-technology_links__score")[: limit * 5]
    ):
        key = article.cluster_id or -article.id
        if key in seen:
            continue
        seen.add(key)
        stories.append(article)
        if len(stories) == limit:
            break
    return stories
