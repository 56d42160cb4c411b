"""A firm's opportunity view: rising technologies adjacent to what it does, the open programmes
and demands it could use, and firms with the complementary technologies (possible partners)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F

from seoulhub.core import clock
from seoulhub.pilots.models import Demand
from seoulhub.support.models import Firm, Programme
from seoulhub.taxonomy.models import Technology

from . import scoring
from .local import open_demand_ids
from .models import TechnologyLandscape, TechnologyPair
from .queries import RELATED_MIN_TOGETHER

PARTNER_LIMIT = 8


@dataclass
class OpportunityView:
    firm: Firm
    own: list[Technology]
    rising: list[dict] = field(default_factory=list)  # adjacent technologies that are rising
    adjacent: list[dict] = field(default_factory=list)  # adjacent ones not (yet) rising
    programmes: list[dict] = field(default_factory=list)
    demands: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)


def associations() -> dict[tuple[int, int], tuple[float, str]]:
    """Positive, well-supported associations from articles and pilots; the stronger one wins."""
    found: dict[tuple[int, int], tuple[float, str]] = {}
    rows = (
        TechnologyPair.objects.filter(npmi__gt=0)
        .exclude(tech_a=F("tech_b"))
        .values_list("context", "tech_a_id", "tech_b_id", "together", "npmi")
    )
    for context, a, b, together, npmi in rows:
        if together >= RELATED_MIN_TOGETHER[context] and npmi > found.get((a, b), (0.0, ""))[0]:
            found[(a, b)] = (npmi, context)
    return found


def firm_opportunities(firm: Firm, today=None) -> OpportunityView:
    today = today or clock.today()
    technologies = {t.pk: t for t in Technology.objects.filter(active=True)}
    own_ids = set(firm.technologies.values_list("pk", flat=True))
    view = OpportunityView(firm, sorted((technologies[i] for i in own_ids if i in technologies), key=lambda t: t.name))
    parents = {pk: t.parent_id for pk, t in technologies.items()}
    adjacent = scoring.adjacent_technologies(own_ids, associations(), parents)
    adjacent = {pk: link for pk, link in adjacent.items() if pk in technologies}
    rising = dict(TechnologyLandscape.objects.filter(rising__gt=0).values_list("technology_id", "rising"))
    opportunities = scoring.rising_opportunities(adjacent, rising, limit=10)
    view.rising = [
        {
            "technology": technologies[o.key],
            "score": o.score,
            "adjacency": o.adjacency,
            "rising": o.rising,
            "via": technologies.get(o.via),
            "reason": o.reason,
        }
        for o in opportunities
    ]
    shown = {o.key for o in opportunities}
    quiet = sorted((link for pk, link in adjacent.items() if pk not in shown), key=lambda a: (-a.adjacency, a.key))[:10]
    view.adjacent = [
        {
            "technology": technologies[a.key],
            "adjacency": a.adjacency,
            "via": technologies.get(a.via),
            "reason": a.reason,
        }
        for a in quiet
    ]

    # What the firm could use: calls for its own technologies or for the rising adjacent ones.
    weights = {o.key: o.score for o in opportunities} or {a.key: a.adjacency for a in quiet}
    useful = own_ids | set(weights)
    view.programmes = _programmes_for(useful, own_ids, technologies, today, _ruled_out(firm))
    view.demands = _demands_for(useful, own_ids, technologies, today)
    view.partners = _partners_for(firm, own_ids, weights, technologies)
    return view


def _ruled_out(firm) -> set[int]:
    """Open programmes the firm's record rules out (another region, a stage it is not in ...):
    the support matcher's verdicts, so the two views never disagree."""
    from seoulhub.matching.rules import NOT_ELIGIBLE
    from seoulhub.support.services import current_matcher

    matcher = current_matcher()
    if firm.pk not in matcher.firm_index:  # registered after the matcher was built: nothing known yet
        return set()
    return {m.programme_id for m in matcher.for_firm(firm.pk, include_ineligible=True) if m.status == NOT_ELIGIBLE}


def _programmes_for(
    useful: set[int], own: set[int], technologies: dict, today, ruled_out: set[int] = frozenset(), limit: int = 10
) -> list[dict]:
    matched: dict[int, set[int]] = defaultdict(set)
    through = Programme.technologies.through.objects.filter(
        technology_id__in=useful, programme__in=Programme.objects.open(today).values("pk")
    )
    for programme_id, tech in through.values_list("programme_id", "technology_id"):
        if programme_id not in ruled_out:
            matched[programme_id].add(tech)
    programmes = list(Programme.objects.filter(pk__in=matched))
    programmes.sort(key=lambda p: (-len(matched[p.pk] & own), -len(matched[p.pk]), p.closes_on or today, p.title))
    return [
        {"programme": p, "technologies": [technologies[t] for t in sorted(matched[p.pk]) if t in technologies]}
        for p in programmes[:limit]
    ]


def _demands_for(useful: set[int], own: set[int], technologies: dict, today, limit: int = 10) -> list[dict]:
    matched: dict[int, set[int]] = defaultdict(set)
    through = Demand.technologies.through.objects.filter(technology_id__in=useful, demand_id__in=open_demand_ids(today))
    for demand_id, tech in through.values_list("demand_id", "technology_id"):
        matched[demand_id].add(tech)
    demands = sorted(Demand.objects.filter(pk__in=matched), key=lambda d: (-len(matched[d.pk]), d.closes_on or today))
    return [
        {"demand": d, "technologies": [technologies[t] for t in sorted(matched[d.pk]) if t in technologies]}
        for d in demands[:limit]
    ]


def _partners_for(firm: Firm, own: set[int], weights: dict[int, float], technologies: dict) -> list[dict]:
    if not weights:
        return []
    tech_sets: dict[int, set[int]] = defaultdict(set)
    through = Firm.technologies.through.objects.filter(technology_id__in=set(weights) | own).exclude(firm_id=firm.pk)
    for firm_id, tech in through.values_list("firm_id", "technology_id"):
        tech_sets[firm_id].add(tech)
    partners = scoring.complementary_partners(own, weights, tech_sets.items(), limit=PARTNER_LIMIT)
    firms = Firm.objects.select_related("district").in_bulk([p.key for p in partners])
    return [
        {
            "firm": firms[p.key],
            "covers": [technologies[t] for t in p.covers],
            "coverage": p.coverage,
            "overlap": p.overlap,
        }
        for p in partners
        if p.key in firms
    ]
