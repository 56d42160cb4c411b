"""Reading the trend counters: series, rising terms, a technology's timeline and top stories.

Scores come from `seoulhub.trends` over the stored counts; nothing here reads articles except
the top stories of one technology.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Max, Sum

from seoulhub.trends.emergence import rank_emerging
from seoulhub.trends.periods import period_range

from .models import Article, Granularity, TrendCount, TrendKind, TrendTotal

WINDOWS = {Granularity.MONTH: (3, 6), Granularity.WEEK: (4, 12)}  # (recent, history) periods
CACHE_SECONDS = 600


def periods(granularity: str) -> list[str]:
    known = list(TrendTotal.objects.filter(granularity=granularity, count__gt=0)
                 .order_by("period").values_list("period", flat=True))
    return period_range(known[0], known[-1]) if known else []


def totals(granularity: str) -> dict[str, int]:
    return dict(TrendTotal.objects.filter(granularity=granularity).values_list("period", "count"))


def _version() -> str:
    figures = TrendTotal.objects.aggregate(n=Sum("count"), last=Max("id"))
    return f"{figures['n']}-{figures['last']}"


def rising(kind: str, granularity: str = Granularity.MONTH, limit: int = 20, until: str | None = None) -> dict:
    """Significant rising terms with their series, for the last complete windows up to `until`."""
    if granularity not in Granularity.values or kind not in TrendKind.values:
        raise ValueError("kind must be tech or keyword, granularity week or month.")
    key = f"radar-rising:{kind}:{granularity}:{limit}:{until}:{_version()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    all_periods = periods(granularity)
    if until:
        all_periods = [p for p in all_periods if p <= until]
    recent, history = WINDOWS[granularity]
    window = all_periods[-(recent + history):]
    series: dict[str, dict[str, int]] = {}
    for term, period, count in (TrendCount.objects.filter(kind=kind, granularity=granularity, period__in=window)
                                .values_list("term", "period", "count")):
        series.setdefault(term, {})[period] = count
    total = totals(granularity)
    ranked = rank_emerging(series, total, window, recent, history, limit=limit) if len(window) > recent else []
    figures = {
        "kind": kind, "granularity": granularity, "periods": window,
        "recent_periods": window[-recent:], "history_periods": window[:-recent],
        "items": [{**e.as_dict(), "series": [series.get(e.term, {}).get(p, 0) for p in window]} for e in ranked],
    }
    cache.set(key, figures, CACHE_SECONDS)
    return figures


def timeline(kind: str, term: str, granularity: str = Granularity.MONTH) -> dict:
    all_periods = periods(granularity)
    counts = dict(TrendCount.objects.filter(kind=kind, term=term, granularity=granularity)
                  .values_list("period", "count"))
    total = totals(granularity)
    return {
        "term": term, "kind": kind, "granularity": granularity, "periods": all_periods,
        "counts": [counts.get(p, 0) for p in all_periods],
        "shares": [round(counts.get(p, 0) / total[p], 5) if total.get(p) else 0.0 for p in all_periods],
    }


def top_stories(technology_slug: str, limit: int = 10):
    """The technology's most relevant recent articles, one per story cluster."""
    seen, stories = set(), []
    for article in (Article.objects.filter(technology_links__technology__slug=technology_slug)
                    .select_related("source").order_by("-published_at", "-technology_links__score")[: limit * 5]):
        key = article.cluster_id or -article.id
        if key in seen:
            continue
        seen.add(key)
        stories.append(article)
        if len(stories) == limit:
            break
    return stories
