"""Consortium proposer and firm ranking (framework-free)."""

import itertools
import random

import pytest

from seoulhub.matching.consortium import (
    FirmProfile,
    demands_for_firm,
    firm_cost,
    propose_consortia,
    rank_firms,
    reference_relevance,
)


def firm(fid, techs, refs=(), trl=None):
    return FirmProfile(
        id=fid, name=f"firm {fid}", technologies=frozenset(techs), references=tuple(frozenset(r) for r in refs), trl=trl
    )


def test_one_firm_covering_all_beats_a_pair_even_when_the_pair_has_references():
    need = {"ai", "iot", "cloud"}
    firms = [firm(1, need), firm(2, {"ai", "iot"}, refs=[{"ai", "iot"}]), firm(3, {"cloud"}, refs=[{"cloud"}])]
    plan = propose_consortia(need, firms, k=2)
    assert [f.id for f in plan.consortia[0].members] == [1]
    assert sorted(f.id for f in plan.consortia[1].members) == [2, 3]


def test_among_covers_of_equal_size_firms_with_relevant_references_are_preferred():
    need = {"ai", "drones"}
    firms = [firm("plain-ai", {"ai"}), firm("ref-ai", {"ai"}, refs=[{"ai"}]), firm("drone", {"drones"})]
    plan = propose_consortia(need, firms, k=2)
    assert {f.id for f in plan.consortia[0].members} == {"ref-ai", "drone"}
    assert {f.id for f in plan.consortia[1].members} == {"plain-ai", "drone"}
    assert any(r.code == "references" for r in plan.consortia[0].reasons)


def test_a_reference_in_an_unrelated_technology_does_not_count():
    f = firm(1, {"ai", "fintech"}, refs=[{"fintech"}])
    assert reference_relevance(f, {"ai"}) == 0.0
    assert reference_relevance(f, {"ai", "fintech"}) == 0.5


def test_reference_penalties_never_outweigh_one_extra_firm():
    need = {f"t{i}" for i in range(6)}
    worst = sum(firm_cost(firm(i, {t}), frozenset(need)) for i, t in enumerate(sorted(need)))
    assert worst < len(need) + 1


def test_assignment_names_which_member_brings_each_technology():
    plan = propose_consortia({"ai", "iot"}, [firm(1, {"ai"}), firm(2, {"iot"})])
    assert plan.consortia[0].assignment == {"ai": [1], "iot": [2]}


def test_required_technology_nobody_offers_is_reported():
    plan = propose_consortia({"ai", "quantum"}, [firm(1, {"ai"})])
    assert plan.uncoverable == {"quantum"}
    assert [f.id for f in plan.consortia[0].members] == [1]


def test_no_required_technologies_means_no_consortium_needed():
    plan = propose_consortia(set(), [firm(1, {"ai"})])
    assert plan.consortia == [] and not plan.uncoverable


def test_many_candidates_with_the_same_coverage_are_reduced_without_losing_the_optimum():
    rng = random.Random(7)
    techs = [f"t{i}" for i in range(5)]
    firms = [
        firm(i, rng.sample(techs, rng.randint(1, 3)), refs=[set(rng.sample(techs, 1))] if i % 3 == 0 else [])
        for i in range(400)
    ]
    plan = propose_consortia(techs, firms, k=3)
    assert plan.method == "exact" and plan.candidates <= 31 * 3
    need = frozenset(techs)
    best = min(
        sum(firm_cost(f, need) for f in combo)
        for size in (1, 2)
        for combo in itertools.combinations([f for f in firms if f.technologies & need], size)
        if need <= frozenset().union(*(f.technologies for f in combo))
    )
    assert plan.consortia[0].cost == pytest.approx(best)


def test_greedy_is_used_above_the_exact_threshold_and_still_covers_everything():
    techs = [f"t{i}" for i in range(8)]
    firms = [firm(i, {techs[i % 8], techs[(i * 3) % 8]}) for i in range(64)]
    plan = propose_consortia(techs, firms, k=1, exact_max_candidates=2)
    assert plan.method == "greedy" and plan.ratio_bound > 1
    covered = frozenset().union(*(f.technologies for f in plan.consortia[0].members))
    assert set(techs) <= covered


def test_ranking_puts_full_coverage_first_and_explains_it():
    need = {"ai", "iot"}
    ranked = rank_firms(need, [firm(1, {"ai"}), firm(2, {"ai", "iot"}, trl=7), firm(3, {"fintech"})])
    assert [r.firm.id for r in ranked] == [2, 1]
    top = ranked[0]
    assert top.missing == frozenset()
    codes = {r.code: r for r in top.reasons}
    assert codes["covers"].items == ("ai", "iot") and codes["trl"].number == 7
    assert ranked[1].missing == {"iot"}


def test_firm_finds_demands_it_answers_alone_and_those_needing_partners():
    me = firm("me", {"ai", "iot"})
    partner = firm("p", {"drones"})
    demands = [
        ("alone", {"ai"}),
        ("with-partner", {"ai", "drones"}),
        ("unrelated", {"fintech"}),
        ("open-call", set()),
        ("gap", {"iot", "quantum"}),
    ]
    fits = {fit.demand_id: fit for fit in demands_for_firm(me, demands, [me, partner])}
    assert set(fits) == {"alone", "with-partner", "open-call", "gap"}
    assert fits["alone"].alone and fits["open-call"].alone
    assert not fits["with-partner"].alone
    assert [f.id for f in fits["with-partner"].partners.members] == ["p"]
    assert fits["gap"].uncoverable == {"quantum"} and fits["gap"].partners is None
    ordered = [fit.demand_id for fit in demands_for_firm(me, demands, [me, partner])]
    assert ordered.index("alone") < ordered.index("with-partner") < ordered.index("gap")


def test_a_search_stopped_at_the_node_cap_is_completed_by_greedy_with_its_bound():
    rng = random.Random(3)
    techs = [f"t{i}" for i in range(12)]
    firms = [firm(i, rng.sample(techs, rng.randint(1, 3))) for i in range(150)]
    capped = propose_consortia(techs, firms, k=3, node_limit=20)
    full = propose_consortia(techs, firms, k=3, node_limit=10**6)
    assert capped.method == "exact-stopped" and not capped.complete and capped.ratio_bound > 1
    assert full.method == "exact" and full.complete
    for consortium in capped.consortia:
        assert set(techs) <= frozenset().union(*(f.technologies for f in consortium.members))
    assert capped.consortia[0].cost <= capped.ratio_bound * full.consortia[0].cost + 1e-9
