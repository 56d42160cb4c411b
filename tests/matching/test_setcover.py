"""Weighted set cover: exact branch and bound against brute force, greedy against its bound."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seoulhub.matching.setcover import (
    SetCoverError,
    exact_covers,
    greedy_cover,
    harmonic,
    solve,
)


def brute_force_optimum(universe, sets, costs):
    keys = list(sets)
    best = math.inf
    for size in range(1, len(keys) + 1):
        for combo in itertools.combinations(keys, size):
            if set(universe) <= set().union(*(sets[k] for k in combo)):
                best = min(best, sum(costs[k] for k in combo))
    return best


def brute_force_irredundant_covers(universe, sets):
    keys = [k for k in sets if set(sets[k]) & set(universe)]
    found = set()
    for size in range(1, len(keys) + 1):
        for combo in itertools.combinations(keys, size):
            union = set().union(*(set(sets[k]) & set(universe) for k in combo))
            if set(universe) <= union and all(
                not set(universe) <= set().union(*(set(sets[o]) for o in combo if o != k), set()) for k in combo
            ):
                found.add(frozenset(combo))
    return found


def test_exact_prefers_one_firm_covering_everything_over_two_cheaper_halves():
    sets = {"all": {"ai", "iot", "cloud"}, "a": {"ai", "iot"}, "b": {"cloud"}}
    result = exact_covers({"ai", "iot", "cloud"}, sets, {"all": 1.5, "a": 1.0, "b": 1.0})
    assert result.best.members == ("all",)
    assert result.best.cost == 1.5
    assert result.method == "exact" and result.complete


def test_exact_returns_k_cheapest_irredundant_covers_in_cost_order():
    sets = {"a": {1, 2}, "b": {3}, "c": {1, 2, 3}, "d": {2, 3}, "e": {1}}
    result = exact_covers({1, 2, 3}, sets, k=10)
    as_sets = [frozenset(c.members) for c in result.covers]
    assert as_sets[0] == frozenset({"c"})
    assert set(as_sets) == brute_force_irredundant_covers({1, 2, 3}, sets)
    costs = [c.cost for c in result.covers]
    assert costs == sorted(costs)


def test_redundant_covers_are_never_returned():
    # {a, c} covers everything but a is redundant once c is chosen.
    result = exact_covers({1, 2}, {"a": {1}, "c": {1, 2}}, k=5)
    assert [c.members for c in result.covers] == [("c",)]


def test_elements_nobody_covers_are_reported_and_the_rest_is_covered():
    result = solve({"ai", "quantum"}, {"x": {"ai"}, "y": {"ai", "iot"}})
    assert result.uncoverable == frozenset({"quantum"})
    assert len(result.best.members) == 1


def test_empty_universe_needs_no_members():
    assert exact_covers(set(), {"x": {1}}).best.members == ()
    assert greedy_cover(set(), {"x": {1}}).best.members == ()


def test_max_members_limits_the_size_of_covers():
    sets = {"a": {1}, "b": {2}, "c": {3}}
    assert exact_covers({1, 2, 3}, sets, max_members=2).covers == []
    assert len(exact_covers({1, 2, 3}, sets, max_members=3).best.members) == 3


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "1"])
def test_non_positive_or_non_numeric_costs_are_refused_with_the_candidate_named(bad):
    with pytest.raises(SetCoverError, match="'x'"):
        exact_covers({1}, {"x": {1}}, {"x": bad})


def test_missing_cost_is_refused():
    with pytest.raises(SetCoverError, match="no cost"):
        greedy_cover({1}, {"x": {1}, "y": {1}}, {"x": 1.0})


def test_greedy_states_the_harmonic_bound_of_its_largest_set():
    result = greedy_cover({1, 2, 3, 4}, {"a": {1, 2, 3}, "b": {4}, "c": {1, 4}})
    assert result.method == "greedy"
    assert result.ratio_bound == pytest.approx(1 + 1 / 2 + 1 / 3)
    assert result.ratio_bound <= math.log(3) + 1


def test_greedy_can_be_suboptimal_on_the_classic_example_but_stays_within_its_bound():
    # Greedy takes the big middle set first, then needs both halves: 3 sets against an optimum of 2.
    universe = set(range(6))
    sets = {"top": {0, 1, 2}, "bottom": {3, 4, 5}, "middle": {0, 1, 3, 4}}
    greedy = greedy_cover(universe, sets)
    optimum = brute_force_optimum(universe, sets, {k: 1.0 for k in sets})
    assert greedy.best.cost == 3 and optimum == 2
    assert greedy.best.cost <= greedy.ratio_bound * optimum


def test_solve_switches_to_greedy_above_the_candidate_threshold():
    sets = {f"f{i}": {i % 5} for i in range(50)}
    assert solve(set(range(5)), sets, exact_max_candidates=10).method == "greedy"
    assert solve(set(range(5)), sets, exact_max_candidates=100).method == "exact"


def test_node_limit_stops_the_search_and_says_so():
    sets = {f"f{i}": {i % 12, (i * 7) % 12} for i in range(40)}
    result = exact_covers(set(range(12)), sets, k=50, node_limit=50)
    assert not result.complete
    assert "stopped" in result.notes[0]


instances = st.integers(min_value=1, max_value=7).flatmap(
    lambda n: st.tuples(
        st.just(set(range(n))),
        st.dictionaries(
            st.sampled_from([f"c{i}" for i in range(9)]),
            st.tuples(
                st.frozensets(st.integers(0, n - 1), min_size=1, max_size=n), st.floats(min_value=0.5, max_value=3.0)
            ),
            min_size=1,
            max_size=9,
        ),
    )
)


@settings(max_examples=150, deadline=None)
@given(instances)
def test_exact_matches_brute_force_and_greedy_stays_within_its_bound(instance):
    universe, raw = instance
    sets = {k: v[0] for k, v in raw.items()}
    costs = {k: v[1] for k, v in raw.items()}
    reachable = set().union(*sets.values()) & universe
    exact = exact_covers(universe, sets, costs)
    optimum = brute_force_optimum(reachable, sets, costs) if reachable else 0.0
    assert exact.uncoverable == frozenset(universe - reachable)
    assert exact.best.cost == pytest.approx(optimum)
    assert reachable <= set().union(set(), *(sets[m] for m in exact.best.members))
    greedy = greedy_cover(universe, sets, costs)
    assert reachable <= set().union(set(), *(sets[m] for m in greedy.best.members))
    assert greedy.best.cost <= greedy.ratio_bound * optimum + 1e-9
    largest = max(len(s & universe) for s in sets.values())
    assert greedy.ratio_bound == pytest.approx(harmonic(largest))
