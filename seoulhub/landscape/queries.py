"""Read side of the landscape: everything the technology page, the gap view and the API show,
from the stored aggregates plus short indexed lists (never a scan of articles)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q

from seoulhub.pilots.models import Demand
from seoulhub.support.models import Firm, Programme
from seoulhub.taxonomy.models import District, Technology

from . import districtmap, links, scoring, trends
from .models import TechnologyLandscape, TechnologyPair

LIST_LENGTH = 10
RELATED_MIN_TOGETHER = {
    TechnologyPair.Context.ARTICLES: scoring.DEFAULT_MIN_PAIR_COUNT,
    TechnologyPair.Context.PILOTS: 2,
}


def landscape_row(technology: Technology) -> TechnologyLandscape:
    """The stored row, or an unsaved empty one (figures 0) before the first refresh."""
    try:
        return technology.landscape
    except TechnologyLandscape.DoesNotExist:
        return TechnologyLandscape(technology=technology)


@dataclass(frozen=True)
class RelatedTechnology:
    technology: Technology
    together: int
    npmi: float


def related_technologies(technology: Technology, context: str, limit: int = 8) -> list[RelatedTechnology]:
    pairs = (
        TechnologyPair.objects.filter(context=context, together__gte=RELATED_MIN_TOGETHER[context], npmi__gt=0)
        .filter(Q(tech_a=technology) | Q(tech_b=technology))
        .exclude(tech_a=F("tech_b"))
        .select_related("tech_a", "tech_b")
        .order_by("-npmi", "-together")[:limit]
    )
    return [
        RelatedTechnology(p.tech_b if p.tech_a_id == technology.pk else p.tech_a, p.together, round(p.npmi, 3))
        for p in pairs
    ]


def open_programmes(technology: Technology, today=None, limit: int = LIST_LENGTH) -> list[Programme]:
    return list(technology.programmes.open(today).order_by("closes_on", "title")[:limit])


def open_demands(technology: Technology, today=None, limit: int = LIST_LENGTH) -> list[Demand]:
    return list(technology.demands.open(today).select_related("district").order_by("closes_on", "-created_at")[:limit])


def seoul_firms(technology: Technology, limit: int = LIST_LENGTH) -> list[Firm]:
    """Firms with a known Seoul district first (the map shows those), then the rest by name."""
    return list(
        technology.firms.select_related("district").order_by(F("district__name_ko").asc(nulls_last=True), "name_ko")[
            :limit
        ]
    )


def district_map(row: TechnologyLandscape) -> dict:
    path = str(settings.DATA_DIR / "seoul-maps" / "juso2015_seoul_municipalities_geo_simple.json")
    return districtmap.choropleth(path, row.firms_by_district or {})


def district_table(row: TechnologyLandscape) -> list[tuple[District, int]]:
    counts = row.firms_by_district or {}
    districts = District.objects.filter(adm_code__in=counts)
    return sorted(((d, counts[d.adm_code]) for d in districts), key=lambda item: (-item[1], item[0].name_ko))


def technology_landscape(technology: Technology) -> dict:
    row = landscape_row(technology)
    weeks = [{"week": week, "count": count, "total": total} for week, count, total in row.weekly_counts or []]
    return {
        "row": row,
        "weeks": weeks,
        "chart": weekly_bars(weeks),
        "pilots": pilots_using(technology),
        "firms": seoul_firms(technology),
        "districts": district_table(row),
        "map": district_map(row),
        "programmes": open_programmes(technology),
        "demands": open_demands(technology),
        "related_articles": related_technologies(technology, TechnologyPair.Context.ARTICLES),
        "related_pilots": related_technologies(technology, TechnologyPair.Context.PILOTS),
        "links": links.for_technology(technology.slug),
        "recent_weeks": trends.RECENT_WEEKS,
        "history_weeks": min(trends.HISTORY_WEEKS, max(len(weeks) - trends.RECENT_WEEKS, 0)),
    }


def gap_rows(limit: int | None = None, rising_only: bool = False) -> list[TechnologyLandscape]:
    rows = (
        TechnologyLandscape.objects.filter(technology__active=True)
        .select_related("technology")
        .order_by("-gap", "-rising", "technology__slug")
    )
    if rising_only:
        rows = rows.filter(rising__gt=0)
    return list(rows[:limit] if limit else rows)


def pilots_using(technology: Technology, limit: int = LIST_LENGTH) -> list:
    """Pilots (selected onwards) whose own or whose demand's technologies include this one."""
    from seoulhub.pilots import lifecycle
    from seoulhub.pilots.models import Proposal

    return list(
        Proposal.objects.filter(state__in=lifecycle.PILOT_STATES)
        .filter(Q(technologies=technology) | Q(demand__technologies=technology))
        .distinct()
        .select_related("demand", "lead_firm")
        .order_by("-created_at")[:limit]
    )


def weekly_bars(weeks: list[dict], width: int = 520, height: int = 90) -> dict:
    """An SVG bar chart of weekly counts, drawn on the server (no JavaScript needed)."""
    if not weeks:
        return {"width": width, "height": height, "bars": [], "maximum": 0}
    maximum = max(w["count"] for w in weeks) or 1
    step = width / len(weeks)
    bars = []
    for index, week in enumerate(weeks):
        bar_height = round(week["count"] / maximum * (height - 4), 1)
        bars.append(
            {
                "x": round(index * step, 1),
                "y": round(height - bar_height, 1),
                "w": max(1.0, round(step - 1, 1)),
                "h": bar_height,
                **week,
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "maximum": maximum,
        "first": weeks[0]["week"],
        "last": weeks[-1]["week"],
    }


def is_subscribed(user, technology: Technology) -> bool:
    from seoulhub.alerts.models import Subscription

    return (
        bool(getattr(user, "is_authenticated", False))
        and Subscription.objects.filter(user=user, briefings=technology).exists()
    )
