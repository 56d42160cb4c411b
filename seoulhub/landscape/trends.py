"""Weekly counts and emergence per technology, read from the radar's trend aggregates (the
search/trends helper's `radar.TrendCount`, updated per article) and scored with
`seoulhub.trends.emergence` — the same maths as the radar's trend pages, over the same windows.
Nothing here reads articles."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from seoulhub.core import clock
from seoulhub.trends.emergence import emergence, window_sums
from seoulhub.trends.periods import period_range, week_key

from .models import TechnologyLandscape

# A technology's share of items in the last half-year against the 39 weeks before it (the
# radar's monthly trend page compares the same spans: 6 months against 9). Technologies move
# over quarters, not weeks: on the demo's 15 months of arXiv titles, 4 weeks against 12 found
# no significant rise at all, though AI agents' share went from 1.2 % to 5.3 % in the year.
RECENT_WEEKS = 26
HISTORY_WEEKS = 39
MIN_HISTORY_WEEKS = 13  # less history than a quarter: "not enough history", nothing is scored
CHART_WEEKS = RECENT_WEEKS + HISTORY_WEEKS


def windows(weeks: list[str]) -> tuple[int, int] | None:
    """(recent, history) week counts for the weeks available, or None when there is not enough
    history: a young hub compares its last half-year with whatever came before, down to a quarter."""
    history = min(HISTORY_WEEKS, len(weeks) - RECENT_WEEKS)
    return (RECENT_WEEKS, history) if history >= MIN_HISTORY_WEEKS else None


def weekly_series() -> tuple[dict[str, dict[str, int]], dict[str, int]] | None:
    """({technology slug: {week: items}}, {week: all items}) or None when the radar keeps none."""
    from . import radar_trends

    return radar_trends.weekly_series()


@transaction.atomic
def refresh_trends(until: str | None = None) -> dict[str, int]:
    """Store weekly counts and emergence per technology; `until` (e.g. "2025-W31") scores the
    landscape as it stood at the end of that week (for reports and for replaying a corpus)."""
    data = weekly_series()
    if data is None:
        return {"technologies": 0, "weeks": 0}
    series_by_slug, totals = data
    # The windows end at the newest counted week, never after the hub's clock (a corpus that
    # stops before today is scored where it stops; nothing dated after "now" counts).
    last = min(until or "9999-W99", week_key(clock.today()))
    known = [week for week, n in totals.items() if n > 0 and week <= last]
    weeks = period_range(min(known), max(known)) if known else []
    spans = windows(weeks)
    rows = list(TechnologyLandscape.objects.select_for_update().select_related("technology"))
    for row in rows:
        series = series_by_slug.get(row.technology.slug, {})
        if spans:
            result = emergence(row.technology.slug, *window_sums(series, totals, weeks, *spans))
        else:  # not enough history: all window figures 0, shown as "not enough history"
            result = emergence(row.technology.slug, 0, 0, 0, 0)
        row.articles = sum(series.values())
        row.weekly_counts = [[week, series.get(week, 0), totals.get(week, 0)] for week in weeks[-CHART_WEEKS:]]
        row.recent, row.recent_total = result.recent, result.recent_total
        row.history, row.history_total = result.history, result.history_total
        row.growth, row.g2, row.emergence, row.significant = result.growth, result.g2, result.score, result.significant
        row.global_refreshed_at = timezone.now()
    TechnologyLandscape.objects.bulk_update(
        rows,
        [
            "articles",
            "weekly_counts",
            "recent",
            "recent_total",
            "history",
            "history_total",
            "growth",
            "g2",
            "emergence",
            "significant",
            "global_refreshed_at",
        ],
    )
    return {"technologies": len(rows), "weeks": len(weeks)}
