"""Seoul's side of the landscape: firms, programmes, demands and pilots per technology, counted
with a few GROUP BY queries (cheap even with 10,000 firms), and the gap score of every row.

Open programmes are `Programme.objects.open()` (the support app's rule: window open today,
or a rolling call announced within a year), so the figure matches the programme list it links to.
Example demands and pilots (`is_example`) are counted apart and never enter the gap score."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from seoulhub.core import clock
from seoulhub.pilots import lifecycle
from seoulhub.pilots.models import Demand, Proposal
from seoulhub.support.models import Firm, Programme
from seoulhub.taxonomy.models import Technology

from . import scoring
from .models import TechnologyLandscape, TechnologyPair


def ensure_rows() -> None:
    existing = set(TechnologyLandscape.objects.values_list("technology_id", flat=True))
    missing = [
        TechnologyLandscape(technology_id=pk)
        for pk in Technology.objects.values_list("pk", flat=True)
        if pk not in existing
    ]
    TechnologyLandscape.objects.bulk_create(missing, ignore_conflicts=True)


# Capacity counts a firm for a technology only on evidence: a tag it declared or one its products
# show (the tagger's score starts at 0.5), never the 0.3 default of its KSIC code alone, which would
# make every game publisher an AI firm.
CAPACITY_MIN_CONFIDENCE = 0.5


def _firm_counts(tech_ids: set[int] | None) -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    through = Firm.technologies.through.objects.filter(confidence__gte=CAPACITY_MIN_CONFIDENCE)
    if tech_ids is not None:
        through = through.filter(technology_id__in=tech_ids)
    totals = {row["technology_id"]: row["n"] for row in through.values("technology_id").annotate(n=Count("firm_id"))}
    by_district: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        through.filter(firm__district__isnull=False)
        .values("technology_id", "firm__district__adm_code")
        .annotate(n=Count("firm_id"))
    )
    for row in rows:
        by_district[row["technology_id"]][row["firm__district__adm_code"]] = row["n"]
    return totals, by_district


def _programme_counts(tech_ids: set[int] | None, today) -> tuple[dict[int, int], dict[int, int]]:
    through = Programme.technologies.through.objects.all()
    if tech_ids is not None:
        through = through.filter(technology_id__in=tech_ids)

    def by_technology(links) -> dict[int, int]:
        return dict(links.values("technology_id").annotate(n=Count("programme_id")).values_list("technology_id", "n"))

    return by_technology(through), by_technology(
        through.filter(programme__in=Programme.objects.open(today).values("pk"))
    )


def open_demand_ids(today=None) -> list[int]:
    return list(Demand.objects.open(today).values_list("pk", flat=True))


def _demand_counts(tech_ids: set[int] | None, today) -> tuple[dict[int, int], dict[int, int]]:
    through = Demand.technologies.through.objects.filter(demand_id__in=open_demand_ids(today))
    if tech_ids is not None:
        through = through.filter(technology_id__in=tech_ids)
    real: dict[int, int] = defaultdict(int)
    examples: dict[int, int] = defaultdict(int)
    for row in through.values("technology_id", "demand__is_example").annotate(n=Count("demand_id")):
        (examples if row["demand__is_example"] else real)[row["technology_id"]] += row["n"]
    return real, examples


def pilot_technology_sets() -> dict[int, tuple[bool, set[int]]]:
    """Pilot id -> (is example, technologies of the pilot and of the demand it answers)."""
    pilots = Proposal.objects.filter(state__in=lifecycle.PILOT_STATES)
    found: dict[int, tuple[bool, set[int]]] = {
        p.pk: (p.is_example or p.demand.is_example, set())
        for p in pilots.select_related("demand").only("is_example", "demand__is_example")
    }
    for pk, tech in Proposal.technologies.through.objects.filter(proposal_id__in=found).values_list(
        "proposal_id", "technology_id"
    ):
        found[pk][1].add(tech)
    demand_of = dict(pilots.values_list("pk", "demand_id"))
    demand_techs: dict[int, set[int]] = defaultdict(set)
    for demand_id, tech in Demand.technologies.through.objects.filter(
        demand_id__in=set(demand_of.values())
    ).values_list("demand_id", "technology_id"):
        demand_techs[demand_id].add(tech)
    for pk, demand_id in demand_of.items():
        found[pk][1].update(demand_techs[demand_id])
    return found


def _pilot_counts(tech_ids: set[int] | None) -> tuple[dict[int, int], dict[int, int]]:
    real: dict[int, int] = defaultdict(int)
    examples: dict[int, int] = defaultdict(int)
    for is_example, techs in pilot_technology_sets().values():
        for tech in techs:
            if tech_ids is None or tech in tech_ids:
                (examples if is_example else real)[tech] += 1
    return real, examples


@transaction.atomic
def refresh_local(tech_ids: Iterable[int] | None = None, today=None) -> int:
    """Recount Seoul's figures for the given technologies (all when None), then every gap score.
    Returns the number of rows recounted."""
    today = today or clock.today()
    ensure_rows()
    wanted = set(tech_ids) if tech_ids is not None else None
    firms, by_district = _firm_counts(wanted)
    programmes, open_programmes = _programme_counts(wanted, today)
    open_demands, open_example_demands = _demand_counts(wanted, today)
    pilots, example_pilots = _pilot_counts(wanted)
    rows = TechnologyLandscape.objects.select_for_update()
    if wanted is not None:
        rows = rows.filter(technology_id__in=wanted)
    rows = list(rows)
    now = timezone.now()
    changed = []
    for row in rows:
        pk = row.technology_id
        figures = {
            "firms": firms.get(pk, 0),
            "firms_by_district": by_district.get(pk, {}),
            "firms_in_seoul_districts": sum(by_district.get(pk, {}).values()),
            "programmes": programmes.get(pk, 0),
            "open_programmes": open_programmes.get(pk, 0),
            "open_demands": open_demands.get(pk, 0),
            "open_example_demands": open_example_demands.get(pk, 0),
            "pilots": pilots.get(pk, 0),
            "example_pilots": example_pilots.get(pk, 0),
        }
        if any(getattr(row, name) != value for name, value in figures.items()):
            changed.append((row, figures))
    _save_changed(changed)
    # The refresh time says when the figures were last checked, changed or not.
    TechnologyLandscape.objects.filter(technology_id__in=[row.technology_id for row in rows]).update(
        local_refreshed_at=now
    )
    recompute_gaps()
    return len(rows)


def capacity_of(row: TechnologyLandscape, reference: float) -> scoring.Capacity:
    # Open demands are the city's need, not its capacity: they stay out of the capacity index.
    return scoring.Capacity(row.firms, row.open_programmes, row.pilots, reference)


def recompute_gaps() -> None:
    """Gap of every technology (the firm reference is the median over all, so all may move)."""
    rows = list(TechnologyLandscape.objects.select_for_update())
    reference = scoring.firm_reference(row.firms for row in rows)
    changed = []
    for row in rows:
        capacity = capacity_of(row, reference)
        figures = {
            "rising": scoring.rising_strength(row.emergence, row.significant),
            "capacity": round(capacity.index, 4),
            "gap": round(scoring.gap_score(row.emergence, row.significant, capacity), 4),
        }
        if any(getattr(row, name) != value for name, value in figures.items()):
            changed.append((row, figures))
    _save_changed(changed)


def _save_changed(changed: list[tuple[TechnologyLandscape, dict]]) -> None:
    """Write only rows whose figures changed: a firm's save usually changes one or two rows, and
    one UPDATE per changed row is far cheaper than a 40-row CASE statement."""
    for row, figures in changed:
        TechnologyLandscape.objects.filter(pk=row.pk).update(**figures)
        for name, value in figures.items():
            setattr(row, name, value)


def store_pairs(context: str, counts: scoring.Cooccurrence) -> int:
    """Replace the stored pairs of one context by `counts` (singles on the diagonal)."""
    rows = {(a, b): together for (a, b), together in counts.pairs.items()}
    rows.update({(t, t): n for t, n in counts.singles.items()})
    existing = {(p.tech_a_id, p.tech_b_id): p for p in TechnologyPair.objects.filter(context=context)}
    create, update = [], []
    for (a, b), together in rows.items():
        score = 1.0 if a == b else counts.npmi(a, b)
        pair = existing.pop((a, b), None)
        if pair is None:
            create.append(TechnologyPair(context=context, tech_a_id=a, tech_b_id=b, together=together, npmi=score))
        elif (pair.together, pair.npmi) != (together, score):
            pair.together, pair.npmi = together, score
            update.append(pair)
    TechnologyPair.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
    TechnologyPair.objects.bulk_create(create)
    TechnologyPair.objects.bulk_update(update, ["together", "npmi"])
    return len(rows)


@transaction.atomic
def refresh_pilot_pairs() -> int:
    """Co-occurrence in the city's work: each real demand and each real pilot is one item.
    (Dozens of rows, so a full recount is cheaper than bookkeeping.)"""
    demands = Demand.objects.filter(is_example=False).exclude(status=Demand.Status.DRAFT)
    by_demand: dict[int, set[int]] = defaultdict(set)
    for demand_id, tech in Demand.technologies.through.objects.filter(demand__in=demands).values_list(
        "demand_id", "technology_id"
    ):
        by_demand[demand_id].add(tech)
    items = list(by_demand.values())
    items += [techs for is_example, techs in pilot_technology_sets().values() if not is_example]
    counts = scoring.Cooccurrence.of(i for i in items if i)
    from .models import CountCursor

    CountCursor.objects.update_or_create(
        context=TechnologyPair.Context.PILOTS, defaults={"items": counts.items, "position": 0}
    )
    return store_pairs(TechnologyPair.Context.PILOTS, counts)
