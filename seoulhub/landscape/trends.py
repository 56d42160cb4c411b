"""Weekly counts and emergence per technology, read from the radar's trend aggregates (the
search/trends helper's `radar.TrendCount`, updated per article) and scored with
`seoulhub.trends.emergence` — the same maths as the radar's trend pages, over the same windows.
Nothing here reads articles."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from seoulhub.trends.emergence import emergence, window_sums
from seoulhub.trends.periods import period_range

from .models import TechnologyLandscape

RECENT_WEEKS = 4
HISTORY_WEEKS = 12  # the radar trend pages use the same weekly windows (4 against 12)
CHART_WEEKS = 52


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
    known = [week for week, n in totals.items() if n > 0]
    weeks = period_range(min(known), max(known)) if known else []
    if until is not None:
        weeks = [week for week in weeks if week <= until]
    rows = list(TechnologyLandscape.objects.select_for_update().select_related("technology"))
    for row in rows:
        series = series_by_slug.get(row.technology.slug, {})
        if weeks:
            result = emergence(row.technology.slug, *window_sums(series, totals, weeks, RECENT_WEEKS, HISTORY_WEEKS))
        else:
            result = emergence(row.technology.slug, 0, 0, 0, 0)
        row.articles = sum(series.values())
        row.weekly_counts = [[week, series.get(week, 0), totals.get(week, 0)] for week in weeks[-CHART_WEEKS:]]
        row.recent, row.recent_total = result.recent, result.recent_total
        row.history, row.history_total = result.history, result.history_total
        row.growth, row.g2, row.emergence, row.significant = result.growth, result.g2, result.score, result.significant
        row.global_refreshed_at = timezone.now()
    TechnologyLandscape.objects.bulk_update(rows, [
        "articles", "weekly_counts", "recent", "recent_total", "history", "history_total", "growth", "g2",
        "emergence", "significant", "global_refreshed_at"])
    return {"technologies": len(rows), "weeks": len(weeks)}
