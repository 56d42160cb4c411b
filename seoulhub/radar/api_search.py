"""Search and trends endpoints of the radar API (mounted under /api/v1/). Subscriptions: seoulhub/alerts/api.py."""

from datetime import date, datetime

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from seoulhub.taxonomy.models import Technology

from . import trend_figures
from .models import Granularity, TrendKind
from .search import service

router = Router(tags=["radar search"])


class RadarAlsoReportedOut(Schema):
    id: int
    source: str
    title: str
    url: str


class RadarSearchHitOut(Schema):
    id: int
    title: str
    title_html: str
    snippet_html: str
    url: str
    source: str
    source_id: int
    language: str
    published_at: datetime | None
    technologies: list[str]
    score: float
    cluster_id: int | None
    also_reported_by: list[RadarAlsoReportedOut]
    also_reported_count: int = 0


class RadarFacetValueOut(Schema):
    value: str | int
    count: int
    label: str | None = None
    label_ko: str | None = None
    label_en: str | None = None


class RadarFacetsOut(Schema):
    query: str
    total_matches: int
    technology: list[RadarFacetValueOut]
    language: list[RadarFacetValueOut]
    source: list[RadarFacetValueOut]
    month: list[RadarFacetValueOut]


def _filters(tech: str, lang: str, source: int | None, since: date | None, until: date | None) -> service.SearchFilters:
    if lang and lang not in {"ko", "en"} and not lang.isalpha():
        raise HttpError(422, "lang must be a language code such as ko or en.")
    if since and until and since > until:
        raise HttpError(422, "since must not be after until.")
    if tech and not Technology.objects.filter(slug=tech).exists():
        raise HttpError(422, f"Unknown technology {tech!r}: see /api/v1/technologies for the slugs.")
    return service.SearchFilters(tech=tech, lang=lang, source=source, since=since, until=until)


def _ranking(q, filters):
    try:
        return service.rank(q, filters)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


SOURCE_ID = Query(None, ge=1, le=2**63 - 1, description="id of a radar source")


@router.get("/articles", response=list[RadarSearchHitOut], summary="Search articles (Korean or English)")
@paginate
def search_articles(
    request,
    q: str = "",
    tech: str = "",
    lang: str = "",
    source: int | None = SOURCE_ID,
    since: date | None = None,
    until: date | None = None,
):
    """Full-text BM25 on normalised tokens fused with multilingual embedding similarity (reciprocal
    rank fusion); one row per story cluster with the first five other sources in `also_reported_by`
    (oldest first) and how many there are in `also_reported_count` (`/api/v1/articles/{id}` lists
    them all). Without
    `q`, the newest articles. Results are ranked up to 1,000 rows deep."""
    return service.RankedPage(_ranking(q, _filters(tech, lang, source, since, until)))


@router.get("/articles/facets", response=RadarFacetsOut, summary="Facet counts of a search")
def search_facets(
    request,
    q: str = "",
    tech: str = "",
    lang: str = "",
    source: int | None = SOURCE_ID,
    since: date | None = None,
    until: date | None = None,
):
    ranking = _ranking(q, _filters(tech, lang, source, since, until))
    return {"query": ranking.query, "total_matches": ranking.total_matches, **service.facets(ranking)}


class RadarEmergenceOut(Schema):
    term: str
    recent: int
    recent_total: int
    history: int
    history_total: int
    growth: float
    g2: float
    score: float
    significant: bool
    series: list[int]


class RadarRisingOut(Schema):
    kind: str
    granularity: str
    periods: list[str]
    recent_periods: list[str]
    history_periods: list[str]
    items: list[RadarEmergenceOut]


class RadarTimelineOut(Schema):
    term: str
    kind: str
    granularity: str
    periods: list[str]
    counts: list[int]
    shares: list[float]


def _check_trend_args(kind: str, granularity: str) -> None:
    if kind not in TrendKind.values:
        raise HttpError(422, "kind must be 'tech' or 'keyword'.")
    if granularity not in Granularity.values:
        raise HttpError(422, "granularity must be 'week' or 'month'.")


@router.get("/trends/rising", response=RadarRisingOut, summary="Significantly rising technologies or keywords")
def trends_rising(request, kind: str = "tech", granularity: str = "month", limit: int = 20):
    _check_trend_args(kind, granularity)
    if not 1 <= limit <= 100:
        raise HttpError(422, "limit must be between 1 and 100.")
    return trend_figures.rising(kind, granularity, limit)


@router.get("/trends/timeline", response=RadarTimelineOut, summary="Counts of one technology or keyword over time")
def trends_timeline(request, term: str, kind: str = "tech", granularity: str = "month"):
    _check_trend_args(kind, granularity)
    return trend_figures.timeline(kind, term, granularity)
