"""Adapter to the radar's stored trend counts: `radar.TrendCount` (kind "tech", term = technology
slug, granularity "week", period "2026-W11") and `radar.TrendTotal` (all items per week), both
kept per article by the radar as it ingests. A few thousand rows: read whole at each refresh."""

from __future__ import annotations

from collections import defaultdict


def weekly_series() -> tuple[dict[str, dict[str, int]], dict[str, int]] | None:
    from seoulhub.radar.models.trends import TrendCount, TrendTotal

    totals = dict(TrendTotal.objects.filter(granularity="week", count__gt=0).values_list("period", "count"))
    if not totals:
        return None
    series: dict[str, dict[str, int]] = defaultdict(dict)
    rows = TrendCount.objects.filter(kind="tech", granularity="week", count__gt=0).values_list(
        "term", "period", "count"
    )
    for slug, period, count in rows:
        series[slug][period] = count
    return dict(series), totals
