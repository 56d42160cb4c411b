"""Landscape API: a technology's landscape, the gap ranking, a firm's opportunities, briefings."""

from django.http import Http404
from ninja import Router
from ninja.responses import Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from seoulhub.accounts.api_auth import require_user
from seoulhub.alerts.services import my_subscription
from seoulhub.support.models import Firm
from seoulhub.taxonomy.models import Technology

from . import links
from .models import Briefing
from .opportunities import firm_opportunities
from .queries import gap_rows, technology_landscape
from .schemas import (
    LandscapeBriefingOut,
    LandscapeGapOut,
    LandscapeOpportunitiesOut,
    LandscapeSubscriptionIn,
    LandscapeSubscriptionOut,
    TechnologyLandscapeOut,
)
from .views import can_see_opportunities

router = Router(tags=["landscape"])


def _firm_ref(firm) -> dict:
    return {
        "id": firm.pk,
        "name_ko": firm.name_ko,
        "name_en": firm.name_en,
        "district": firm.district.name_ko if firm.district_id else None,
        "url": firm.get_absolute_url(),
    }


def _related(items) -> list[dict]:
    return [
        {
            "slug": r.technology.slug,
            "name_ko": r.technology.name_ko,
            "name_en": r.technology.name_en,
            "together": r.together,
            "npmi": r.npmi,
        }
        for r in items
    ]


@router.get(
    "/technologies/{slug}/landscape",
    response=TechnologyLandscapeOut,
    summary="A technology's global trend joined to Seoul's firms, programmes, demands and pilots",
)
def get_landscape(request, slug: str):
    technology = Technology.objects.filter(slug=slug, active=True).first()
    if technology is None:
        raise Http404(f"No technology with the slug '{slug}'; see /api/v1/technologies.")
    data = technology_landscape(technology)
    row = data["row"]
    return {
        "slug": technology.slug,
        "name_ko": technology.name_ko,
        "name_en": technology.name_en,
        "trend": {
            "articles": row.articles,
            "weekly": data["weeks"],
            "recent": row.recent,
            "recent_total": row.recent_total,
            "history": row.history,
            "history_total": row.history_total,
            "growth": row.growth,
            "g2": row.g2,
            "emergence": row.emergence,
            "significant": row.significant,
            "rising": row.rising,
            "top_clusters": row.top_clusters,
            "top_sources": row.top_sources,
            "languages": row.languages,
            "refreshed_at": row.global_refreshed_at,
        },
        "seoul": {
            "firms": row.firms,
            "firms_in_seoul_districts": row.firms_in_seoul_districts,
            "by_district": [
                {
                    "adm_code": d.adm_code,
                    "name_ko": d.name_ko,
                    "name_en": d.name_en,
                    "firms": n,
                    "url": links.firms_in_district(slug, d.name_ko),
                }
                for d, n in data["districts"]
            ],
            "firm_sample": [_firm_ref(f) for f in data["firms"]],
            "programmes": row.programmes,
            "open_programmes": row.open_programmes,
            "open_programme_list": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "url": p.get_absolute_url(),
                    "closes_on": p.closes_on.isoformat() if p.closes_on else None,
                }
                for p in data["programmes"]
            ],
            "open_demands": row.open_demands,
            "open_example_demands": row.open_example_demands,
            "open_demand_list": [
                {"id": d.pk, "title": d.title, "is_example": d.is_example, "url": d.get_absolute_url()}
                for d in data["demands"]
            ],
            "pilots": row.pilots,
            "example_pilots": row.example_pilots,
            "pilot_list": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "state": p.state,
                    "is_example": p.is_example,
                    "url": p.get_absolute_url(),
                }
                for p in data["pilots"]
            ],
            "capacity": row.capacity,
            "gap": row.gap,
            "refreshed_at": row.local_refreshed_at,
        },
        "related_in_articles": _related(data["related_articles"]),
        "related_in_pilots": _related(data["related_pilots"]),
        "links": data["links"],
    }


@router.get(
    "/landscape/gaps",
    response=list[LandscapeGapOut],
    summary="Technologies ranked by global emergence against Seoul's capacity (largest gap first)",
)
@paginate
def list_gaps(request, rising: bool = False):
    """Each row's `links` point at the rows its figures were counted from."""
    rows = gap_rows(rising_only=rising)
    return [
        {
            "slug": r.technology.slug,
            "name_ko": r.technology.name_ko,
            "name_en": r.technology.name_en,
            "gap": r.gap,
            "rising": r.rising,
            "emergence": r.emergence,
            "significant": r.significant,
            "growth": r.growth,
            "recent": r.recent,
            "firms": r.firms,
            "firms_in_seoul_districts": r.firms_in_seoul_districts,
            "open_programmes": r.open_programmes,
            "pilots": r.pilots,
            "open_demands": r.open_demands,
            "open_example_demands": r.open_example_demands,
            "capacity": r.capacity,
            "links": links.for_technology(r.technology.slug),
        }
        for r in rows
    ]


def _technology_out(item: dict, score_key: str = "score") -> dict:
    t = item["technology"]
    return {
        "slug": t.slug,
        "name_ko": t.name_ko,
        "name_en": t.name_en,
        "score": item.get(score_key, item["adjacency"]),
        "rising": item.get("rising", 0.0),
        "adjacency": item["adjacency"],
        "via": item["via"].slug if item.get("via") else None,
        "reason": item["reason"],
    }


@router.get(
    "/landscape/firms/{firm_id}/opportunities",
    response=LandscapeOpportunitiesOut,
    summary="Rising adjacent technologies, usable programmes and demands, and partners for a firm",
)
def get_opportunities(request, firm_id: int):
    user = require_user(request)
    firm = Firm.objects.select_related("district").filter(pk=firm_id).first()
    if firm is None:
        raise Http404(f"No firm with id {firm_id}.")
    if not can_see_opportunities(user, firm):
        raise HttpError(403, "Firm members see their own firm's opportunities; officials see every firm's.")
    view = firm_opportunities(firm)
    return {
        "firm": _firm_ref(firm),
        "technologies": [t.slug for t in view.own],
        "rising_adjacent": [_technology_out(o) for o in view.rising],
        "adjacent": [_technology_out(a, "adjacency") for a in view.adjacent],
        "programmes": [
            {
                "id": p["programme"].pk,
                "title": p["programme"].title,
                "url": p["programme"].get_absolute_url(),
                "closes_on": p["programme"].closes_on.isoformat() if p["programme"].closes_on else None,
            }
            for p in view.programmes
        ],
        "demands": [
            {
                "id": d["demand"].pk,
                "title": d["demand"].title,
                "is_example": d["demand"].is_example,
                "url": d["demand"].get_absolute_url(),
            }
            for d in view.demands
        ],
        "partners": [
            {
                "firm": _firm_ref(p["firm"]),
                "brings": [t.slug for t in p["covers"]],
                "coverage": p["coverage"],
                "shared_technologies": p["overlap"],
            }
            for p in view.partners
        ],
    }


def _by_email(subscription) -> bool:
    from seoulhub.alerts.delivery import digest_frequency

    return subscription.by_email and digest_frequency(subscription) != "off"


@router.post(
    "/landscape/subscriptions",
    response={201: LandscapeSubscriptionOut, 200: LandscapeSubscriptionOut},
    summary="Follow a technology's weekly landscape briefing",
)
def subscribe(request, payload: LandscapeSubscriptionIn):
    user = require_user(request)
    technology = Technology.objects.filter(slug=payload.technology, active=True).first()
    if technology is None:
        raise HttpError(422, f"No technology with the slug '{payload.technology}'; see /api/v1/technologies.")
    # Part of the one subscription (/api/v1/subscription, field "briefings").
    subscription = my_subscription(user)
    created = not subscription.briefings.filter(pk=technology.pk).exists()
    subscription.briefings.add(technology)
    return Status(201 if created else 200, {"technology": technology.slug, "email": _by_email(subscription)})


@router.delete(
    "/landscape/subscriptions/{slug}",
    response={204: None},
    summary="Stop following a technology's weekly landscape briefing",
)
def unsubscribe(request, slug: str):
    user = require_user(request)
    subscription = my_subscription(user)
    technology = subscription.briefings.filter(slug=slug).first()
    if technology is None:
        raise Http404(f"You do not follow '{slug}'.")
    subscription.briefings.remove(technology)
    return Status(204, None)


@router.get(
    "/landscape/briefings", response=list[LandscapeBriefingOut], summary="Weekly landscape briefings, newest first"
)
@paginate
def list_briefings(request, technology: str = "", week: str = ""):
    """`technology` (slug) and `week` (e.g. 2026-W47) narrow the list."""
    briefings = Briefing.objects.select_related("technology").order_by("-week", "technology__slug")
    if technology:
        briefings = briefings.filter(technology__slug=technology)
    if week:
        briefings = briefings.filter(week=week)
    return briefings  # a queryset: the paginator slices it in SQL
