"""Pilot analytics read from the database; the maths is in `analytics.py`."""

from __future__ import annotations

from collections import defaultdict

from seoulhub.taxonomy.models import Technology

from . import lifecycle as lc
from .analytics import cooccurrence, success_rates
from .models import PastPilot, Proposal


def pilot_analytics(include_examples: bool = False) -> dict:
    # Examples (and any proposal answering an example demand) count only when asked for.
    proposals = Proposal.objects.all() if include_examples else Proposal.objects.real()
    techs_of: dict[int, set[str]] = defaultdict(set)
    for pk, slug in Proposal.technologies.through.objects.filter(proposal__in=proposals).values_list(
        "proposal_id", "technology__slug"
    ):
        techs_of[pk].add(slug)
    states = dict(proposals.values_list("pk", "state"))
    outcomes = dict(proposals.exclude(outcome="").values_list("pk", "outcome"))
    pilots = [techs_of[pk] for pk, state in states.items() if state in lc.PILOT_STATES]
    decided = [pk for pk, state in states.items() if state in lc.DECIDED_STATES]
    evaluated = [(techs_of[pk], outcome == Proposal.Outcome.SUCCESS) for pk, outcome in outcomes.items()]
    overall, per_tech = success_rates(evaluated)
    names = {t.slug: t.name for t in Technology.objects.all()}
    counts = defaultdict(int)
    for state in states.values():
        counts[state] += 1
    return {
        "proposal_count": len(states),
        "pilot_count": len(pilots),
        "selection": {"selected": sum(1 for pk in decided if states[pk] != lc.REJECTED), "decided": len(decided)},
        "state_counts": [(s, counts[s]) for s in lc.STATES if counts[s]],
        "pairs": [
            {
                "a": names.get(p.a, p.a),
                "b": names.get(p.b, p.b),
                "a_slug": p.a,
                "b_slug": p.b,
                "together": p.together,
                "lift": p.lift,
            }
            for p in cooccurrence(pilots)[:30]
        ],
        "success": overall,
        "success_by_technology": [
            {
                "technology": names.get(r.key, r.key),
                "slug": r.key,
                "successes": r.successes,
                "total": r.total,
                "rate": r.rate,
            }
            for r in per_tech
        ],
    }


def track_record_technologies() -> dict:
    """How often each taxonomy technology appears in the published track record (PastPilot)."""
    counts: dict[int, int] = defaultdict(int)
    for tech_id in PastPilot.technologies.through.objects.values_list("technology_id", flat=True):
        counts[tech_id] += 1
    techs = Technology.objects.in_bulk(list(counts))
    rows = sorted(
        ({"technology": techs[pk], "pilots": n} for pk, n in counts.items()),
        key=lambda r: (-r["pilots"], r["technology"].slug),
    )
    total = PastPilot.objects.count()
    return {
        "rows": rows,
        "total": total,
        "tagged": PastPilot.objects.filter(technologies__isnull=False).distinct().count(),
    }
