"""Django side of matchmaking: builds plain `FirmProfile`s from the database and calls the
framework-free proposer in `seoulhub.matching.consortium`."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max, Q

from seoulhub.matching.consortium import (
    ConsortiumPlan,
    DemandFit,
    FirmProfile,
    RankedFirm,
    demands_for_firm,
    propose_consortia,
    rank_firms,
)
from seoulhub.support.models import Firm, FirmTechnology
from seoulhub.taxonomy.models import Technology

from . import lifecycle as lc
from .models import Demand, Proposal, Reference, Solution
from .partners import partner_candidates


def technology_ancestors() -> dict[int, list[str]]:
    """Technology id -> its own slug and every ancestor's slug."""
    rows = {t.pk: (t.slug, t.parent_id) for t in Technology.objects.only("slug", "parent_id")}
    expanded: dict[int, list[str]] = {}
    for pk in rows:
        chain, node, seen = [], pk, set()
        while node is not None and node not in seen:
            seen.add(node)
            slug, parent = rows[node]
            chain.append(slug)
            node = parent
        expanded[pk] = chain
    return expanded


def _expand(ids, ancestors: dict[int, list[str]]) -> frozenset[str]:
    return frozenset(slug for pk in ids for slug in ancestors.get(pk, ()))


def firm_profiles(firms=None) -> list[FirmProfile]:
    """Profiles of the given firms (default: every firm tagged with a technology), with
    technologies from tags and solutions, references from Reference rows and certified
    non-example pilots, and the best TRL of their solutions."""
    ancestors = technology_ancestors()
    if firms is None:
        firms = partner_candidates().filter(technologies__isnull=False).distinct()
    firms = list(firms.only("pk", "name_ko", "name_en")) if hasattr(firms, "only") else list(firms)
    ids = [f.pk for f in firms]
    wanted = set(ids)
    techs: dict[int, set[int]] = defaultdict(set)
    confidence: dict[int, dict[str, float]] = defaultdict(dict)  # firm -> slug (with ancestors) -> best

    def note(firm_id: int, tech_id: int, weight: float) -> None:
        techs[firm_id].add(tech_id)
        for slug in ancestors.get(tech_id, ()):
            confidence[firm_id][slug] = max(weight, confidence[firm_id].get(slug, 0.0))

    for firm_id, tech_id, weight in FirmTechnology.objects.filter(firm_id__in=ids).values_list(
        "firm_id", "technology_id", "confidence"
    ):
        note(firm_id, tech_id, weight)
    for firm_id, tech_id in Solution.technologies.through.objects.filter(solution__firm_id__in=ids).values_list(
        "solution__firm_id", "technology_id"
    ):
        note(firm_id, tech_id, 1.0)  # a solution the firm registered is its own declaration
    references: dict[int, dict[object, set[int]]] = defaultdict(lambda: defaultdict(set))
    for firm_id, ref_id, tech_id in Reference.technologies.through.objects.filter(
        reference__firm_id__in=ids
    ).values_list("reference__firm_id", "reference_id", "technology_id"):
        references[firm_id][("ref", ref_id)].add(tech_id)
    certified = Proposal.objects.real().filter(state__in=[lc.CERTIFIED, lc.SCALED_UP])
    for proposal in certified.prefetch_related("technologies", "partners"):
        tech_ids = {t.pk for t in proposal.technologies.all()}
        for firm in [proposal.lead_firm_id, *(p.pk for p in proposal.partners.all())]:
            if firm in wanted:
                references[firm][("pilot", proposal.pk)] |= tech_ids
    trl = dict(
        Solution.objects.filter(firm_id__in=ids)
        .values("firm_id")
        .annotate(best=Max("trl"))
        .values_list("firm_id", "best")
    )
    return [
        FirmProfile(
            id=f.pk,
            name=f.name,
            technologies=_expand(techs[f.pk], ancestors),
            references=tuple(_expand(r, ancestors) for r in references[f.pk].values()),
            trl=trl.get(f.pk),
            tech_confidence=dict(confidence[f.pk]),
        )
        for f in firms
    ]


def required_slugs(demand: Demand) -> frozenset[str]:
    return frozenset(demand.technologies.values_list("slug", flat=True))


def _candidates(required: frozenset[str]) -> list[FirmProfile]:
    """Only firms tagged (directly or through a narrower technology) with something required;
    never a SPAC or a REIT (see partners.py)."""
    if not required:
        return firm_profiles()
    ancestors = technology_ancestors()
    relevant_ids = [pk for pk, chain in ancestors.items() if required & set(chain)]
    firms = partner_candidates().filter(Q(technologies__in=relevant_ids) | Q(solutions__technologies__in=relevant_ids))
    return firm_profiles(firms.distinct())


def demand_ranking(demand: Demand, limit: int = 20) -> list[RankedFirm]:
    """Firms for a demand, best first; an open call names no technologies, so nobody is ranked."""
    required = required_slugs(demand)
    return rank_firms(required, _candidates(required), limit=limit) if required else []


def demand_consortia(demand: Demand, k: int = 3) -> ConsortiumPlan:
    required = required_slugs(demand)
    return propose_consortia(required, _candidates(required) if required else [], k=k)


def firms_by_id(ids) -> dict[int, Firm]:
    return Firm.objects.in_bulk(list(ids))


def partner_suggestion(demand: Demand, firm: Firm) -> DemandFit | None:
    """What `firm` brings to `demand`, and the partners that would complete it (None when it
    brings nothing required). Every page that suggests partners for a firm — the demand page,
    the propose page, the firm's page and the dashboard — calls this with the same two inputs,
    so they always agree."""
    required = frozenset(t.slug for t in demand.technologies.all())
    [profile] = firm_profiles(Firm.objects.filter(pk=firm.pk))
    others = _candidates(required) if required else []
    fits = demands_for_firm(profile, [(demand.pk, required)], others)
    return fits[0] if fits else None


def open_demands(on=None) -> list[Demand]:
    return list(Demand.objects.open(on).prefetch_related("technologies"))


def open_demands_for_firm(firm: Firm) -> list[tuple[Demand, DemandFit]]:
    """Open demands the firm could answer alone or with partners, best fits first."""
    found = [(demand, fit) for demand in open_demands() if (fit := partner_suggestion(demand, firm)) is not None]
    found.sort(key=lambda pair: (not pair[1].alone, bool(pair[1].uncoverable), len(pair[1].missing), pair[0].pk))
    return found
