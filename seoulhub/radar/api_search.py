"""Search, trends and subscription endpoints of the radar API (mounted under /api/v1/)."""


from datetime import date, datetime

from django.db import IntegrityError
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from seoulhub.accounts.api_auth import require_user
from seoulhub.taxonomy.models import Technology

from . import trend_figures
from .models import Granularity, SavedSearch, Source, Subscription, TrendKind
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
def search_articles(request, q: str = "", tech: str = "", lang: str = "", source: int | None = SOURCE_ID,
                    since: date | None = None, until: date | None = None):
    """Full-text BM25 on normalised tokens fused with multilingual embedding similarity (reciprocal
    rank fusion); one row per story cluster with the first five other sources in `also_reported_by`
    (oldest first) and how many there are in `also_reported_count` (`/api/v1/articles/{id}` lists
    them all). Without
    `q`, the newest articles. Results are ranked up to 1,000 rows deep."""
    return service.RankedPage(_ranking(q, _filters(tech, lang, source, since, until)))


@router.get("/articles/facets", response=RadarFacetsOut, summary="Facet counts of a search")
def search_facets(request, q: str = "", tech: str = "", lang: str = "", source: int | None = SOURCE_ID,
                  since: date | None = None, until: date | None = None):
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


# --- subscriptions ---------------------------------------------------------------------------------


class RadarSubscriptionOut(Schema):
    frequency: str
    technologies: list[str]
    sources: list[int]
    searches: list[str]
    feed_url: str


class RadarSubscriptionIn(Schema):
    frequency: str | None = None
    technologies: list[str] | None = None
    sources: list[int] | None = None
    searches: list[str] | None = None


def _subscription_out(request, subscription: Subscription) -> dict:
    from django.urls import reverse

    return {
        "frequency": subscription.frequency,
        "technologies": sorted(subscription.technologies.values_list("slug", flat=True)),
        "sources": sorted(subscription.sources.values_list("id", flat=True)),
        "searches": list(subscription.searches.values_list("query", flat=True)),
        "feed_url": request.build_absolute_uri(reverse("radar:subscription_feed", args=[subscription.feed_token])),
    }


def apply_subscription_changes(subscription: Subscription, data: RadarSubscriptionIn) -> None:
    """Validate everything first, then write: a bad value changes nothing."""
    if data.frequency is not None and data.frequency not in Subscription.Frequency.values:
        raise HttpError(422, "frequency must be one of: " + ", ".join(Subscription.Frequency.values) + ".")
    technologies = sources = None
    if data.technologies is not None:
        technologies = list(Technology.objects.filter(slug__in=data.technologies, active=True))
        missing = sorted(set(data.technologies) - {t.slug for t in technologies})
        if missing:
            raise HttpError(422, "Unknown technologies: " + ", ".join(missing) + ".")
    if data.sources is not None:
        sources = list(Source.objects.filter(id__in=data.sources))
        missing = sorted(set(data.sources) - {s.id for s in sources})
        if missing:
            raise HttpError(422, "Unknown sources: " + ", ".join(map(str, missing)) + ".")
    searches = None
    if data.searches is not None:
        searches = list(dict.fromkeys(" ".join(q.split()) for q in data.searches if q.strip()))
        if any(len(q) > 200 for q in searches):
            raise HttpError(422, "A saved search is at most 200 characters.")
        if len(searches) > 50:
            raise HttpError(422, "At most 50 saved searches.")
    if data.frequency is not None:
        subscription.frequency = data.frequency
    subscription.save()
    if technologies is not None:
        subscription.technologies.set(technologies)
    if sources is not None:
        subscription.sources.set(sources)
    if searches is not None:
        subscription.searches.exclude(query__in=searches).delete()
        for query in searches:
            SavedSearch.objects.get_or_create(subscription=subscription, query=query)


def my_subscription(user) -> Subscription:
    try:
        return Subscription.objects.get_or_create(user=user)[0]
    except IntegrityError:  # created by a parallel request
        return Subscription.objects.get(user=user)


@router.get("/subscription", response=RadarSubscriptionOut, summary="What I follow on the radar")
def get_subscription(request):
    return _subscription_out(request, my_subscription(require_user(request)))


@router.put("/subscription", response=RadarSubscriptionOut, summary="Change what I follow (fields left out stay)")
def put_subscription(request, data: RadarSubscriptionIn):
    from django.db import transaction

    subscription = my_subscription(require_user(request))
    with transaction.atomic():
        apply_subscription_changes(subscription, data)
    return _subscription_out(request, subscription)


@router.post("/subscription/feed-token", response=RadarSubscriptionOut, summary="Replace my private feed address")
def rotate_feed_token(request):
    subscription = my_subscription(require_user(request))
    subscription.rotate_feed_token()
    return _subscription_out(request, subscription)
