"""Matchmaking for pilot demands, without Django: rank firms for a demand with reasons, propose
consortia (the smallest sets of complementary firms that together cover every required
technology, preferring firms with relevant references) and, for one firm, the open demands it
could answer alone or with partners.

Callers pass plain `FirmProfile`s. Technology sets should already be *expanded with ancestors*
(a firm tagged computer-vision also offers ai), so a demand for "ai" is met by a vision firm.

Cost model for the set cover: a firm costs 1 + LAMBDA * (1 - (relevance + certainty) / 2), with
LAMBDA = 1 / (|required| + 1) and certainty the mean confidence of the firm's tags among the required
technologies (a KSIC-default tag is 0.3, a declared one 1.0). An irredundant cover has at most
|required| members, so the penalties of a whole cover add up to less than 1: fewer firms always
wins, and among covers of the same size the one whose firms have references and sure tags wins.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from .setcover import exact_covers, greedy_cover

# After the signature reduction the exact search stays fast well past the generic threshold.
# One search node costs about 0.05-0.1 ms at 300 candidates; the node cap kept the search of a demand
# page under 0.37 s p95 at 12 technologies x 400 firms; a capped search is completed by greedy (bench/consortium.py,
# docs/quality.md "Pilots").
CONSORTIUM_EXACT_MAX_CANDIDATES = 300
CONSORTIUM_NODE_LIMIT = 3000

WEIGHT_COVERAGE = 0.6
WEIGHT_REFERENCES = 0.3
WEIGHT_TRL = 0.1


@dataclass(frozen=True)
class FirmProfile:
    id: Hashable
    name: str
    technologies: frozenset[str]
    # Technologies of each reference (a past project or a certified pilot), one set per reference.
    references: tuple[frozenset[str], ...] = ()
    trl: int | None = None  # best technology readiness level (1..9) of its solutions, if stated
    # Confidence (0..1) of each technology (with ancestors); a technology not listed counts fully.
    tech_confidence: dict[str, float] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Reason:
    """Why a firm was ranked or chosen; `code` is stable, the UI words it (in Korean or English)."""

    code: str  # covers | references | trl | covers_alone | partners_cover | open_call
    items: tuple[str, ...] = ()
    number: float | None = None


@dataclass
class RankedFirm:
    firm: FirmProfile
    score: float
    covered: frozenset[str]
    missing: frozenset[str]
    relevance: float
    reasons: list[Reason]


@dataclass
class Consortium:
    members: list[FirmProfile]
    cost: float
    # technology -> ids of the members that bring it
    assignment: dict[str, list[Hashable]]
    reasons: list[Reason] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class ConsortiumPlan:
    required: frozenset[str]
    consortia: list[Consortium]
    uncoverable: frozenset[str]
    method: str  # exact | greedy | exact-stopped (node cap reached; completed by greedy)
    ratio_bound: float
    complete: bool
    candidates: int


@dataclass
class DemandFit:
    demand_id: Hashable
    alone: bool
    covered: frozenset[str]
    missing: frozenset[str]
    partners: Consortium | None
    uncoverable: frozenset[str]


def reference_relevance(firm: FirmProfile, required: Iterable[str]) -> float:
    """Share of the required technologies the firm brings that one of its references backs."""
    brings = firm.technologies & frozenset(required)
    if not brings:
        return 0.0
    backed = frozenset().union(*firm.references) & brings if firm.references else frozenset()
    return len(backed) / len(brings)


def tag_certainty(firm: FirmProfile, technologies: Iterable[str]) -> float:
    """Mean confidence of the firm's tags among `technologies` (1.0 when it has none of them)."""
    weights = [firm.tech_confidence.get(t, 1.0) for t in technologies if t in firm.technologies]
    return sum(weights) / len(weights) if weights else 1.0


def firm_cost(firm: FirmProfile, required: frozenset[str]) -> float:
    penalty = 1.0 / (len(required) + 1)
    certainty = tag_certainty(firm, required)
    return 1.0 + penalty * (1.0 - (reference_relevance(firm, required) + certainty) / 2)


def rank_firms(required: Iterable[str], firms: Iterable[FirmProfile], limit: int | None = 20) -> list[RankedFirm]:
    """Firms that bring at least one required technology, best first, with their reasons."""
    need = frozenset(required)
    ranked = []
    for firm in firms:
        covered = firm.technologies & need
        if need and not covered:
            continue
        # A KSIC-default tag covers at its confidence, so evidence outranks an industry code.
        coverage = sum(firm.tech_confidence.get(t, 1.0) for t in covered) / len(need) if need else 0.0
        relevance = reference_relevance(firm, need)
        trl = (firm.trl or 0) / 9
        score = WEIGHT_COVERAGE * coverage + WEIGHT_REFERENCES * relevance + WEIGHT_TRL * trl
        reasons = [Reason("covers", tuple(sorted(covered)), round(coverage, 3))] if need else []
        if relevance:
            backed = frozenset().union(*firm.references) & covered
            reasons.append(Reason("references", tuple(sorted(backed)), round(relevance, 3)))
        if firm.trl:
            reasons.append(Reason("trl", (), firm.trl))
        ranked.append(RankedFirm(firm, round(score, 4), covered, need - covered, relevance, reasons))
    ranked.sort(key=lambda r: (-r.score, str(r.firm.name), str(r.firm.id)))
    return ranked[:limit] if limit else ranked


def _reduce_candidates(need: frozenset[str], firms: Iterable[FirmProfile], keep: int) -> list[FirmProfile]:
    """Keep the `keep` cheapest firms per covered-technology signature.

    Exact for the k best covers when keep >= k: an irredundant cover holds at most one firm per
    signature, and swapping a firm for a cheaper one of the same signature gives a distinct cover
    that costs no more, so the (keep+1)-th cheapest of a signature never enters the k best.
    """
    by_signature: dict[frozenset[str], list[FirmProfile]] = {}
    for firm in firms:
        covered = firm.technologies & need
        if covered:
            by_signature.setdefault(covered, []).append(firm)
    reduced = []
    for group in by_signature.values():
        group.sort(key=lambda f: (firm_cost(f, need), -(f.trl or 0), str(f.name), str(f.id)))
        reduced.extend(group[:keep])
    return reduced


def _consortium(members: list[FirmProfile], need: frozenset[str]) -> Consortium:
    assignment = {tech: [f.id for f in members if tech in f.technologies] for tech in sorted(need)}
    members = sorted(members, key=lambda f: (-len(f.technologies & need), str(f.name)))
    reasons = [Reason("covers", tuple(sorted(f.technologies & need))) for f in members]
    backed = [f for f in members if reference_relevance(f, need)]
    if backed:
        reasons.append(Reason("references", tuple(str(f.name) for f in backed)))
    return Consortium(
        members=members, cost=round(sum(firm_cost(f, need) for f in members), 6), assignment=assignment, reasons=reasons
    )


def propose_consortia(
    required: Iterable[str],
    firms: Iterable[FirmProfile],
    k: int = 3,
    max_members: int | None = None,
    exact_max_candidates: int = CONSORTIUM_EXACT_MAX_CANDIDATES,
    node_limit: int = CONSORTIUM_NODE_LIMIT,
) -> ConsortiumPlan:
    """The k best consortia for the required technologies (fewest firms, then best references)."""
    need = frozenset(required)
    candidates = _reduce_candidates(need, firms, keep=k)
    by_id = {f.id: f for f in candidates}
    if len(by_id) != len(candidates):
        raise ValueError("firm ids must be unique")
    sets = {f.id: f.technologies & need for f in candidates}
    costs = {f.id: firm_cost(f, need) for f in candidates}
    if not need:
        return ConsortiumPlan(need, [], frozenset(), "exact", 1.0, True, 0)
    if len(candidates) <= exact_max_candidates:
        result = exact_covers(need, sets, costs, k=k, max_members=max_members, node_limit=node_limit)
        if not result.complete and max_members is None:
            # Stopped early: greedy guarantees H(d) x optimum, and we keep whichever is cheaper first.
            greedy = greedy_cover(need, sets, costs)
            covers = sorted(
                {frozenset(c.members): c for c in [*result.covers, *greedy.covers]}.values(),
                key=lambda c: (c.cost, len(c.members)),
            )[:k]
            result.covers, result.method, result.ratio_bound = covers, "exact-stopped", greedy.ratio_bound
    else:
        result = greedy_cover(need, sets, costs)
    consortia = [_consortium([by_id[m] for m in cover.members], need) for cover in result.covers if cover.members]
    return ConsortiumPlan(
        need, consortia, result.uncoverable, result.method, result.ratio_bound, result.complete, len(candidates)
    )


def demands_for_firm(
    firm: FirmProfile, demands: Iterable[tuple[Hashable, Iterable[str]]], firms: Iterable[FirmProfile]
) -> list[DemandFit]:
    """For each demand the firm contributes to: can it answer alone, or which partners complete it.

    Demands with no required technologies (open calls) are answerable alone by anyone.
    """
    others = [f for f in firms if f.id != firm.id]
    fits = []
    for demand_id, required in demands:
        need = frozenset(required)
        covered = firm.technologies & need
        if need and not covered:
            continue
        missing = need - covered
        if not missing:
            fits.append(DemandFit(demand_id, True, covered, frozenset(), None, frozenset()))
            continue
        plan = propose_consortia(missing, others, k=1)
        partners = plan.consortia[0] if plan.consortia else None
        fits.append(DemandFit(demand_id, False, covered, missing, partners, plan.uncoverable))
    fits.sort(key=lambda fit: (not fit.alone, bool(fit.uncoverable), len(fit.missing), str(fit.demand_id)))
    return fits
