"""The framework-free landscape maths: gap score, co-occurrence (NPMI), adjacency, partners."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seoulhub.landscape.scoring import (
    Capacity,
    Cooccurrence,
    adjacent_technologies,
    complementary_partners,
    firm_reference,
    gap_score,
    npmi,
    rank_gaps,
    related,
    rising_opportunities,
)

counts = st.integers(min_value=0, max_value=10_000)


def test_a_rising_technology_with_no_local_capacity_keeps_its_full_rise_as_gap():
    assert gap_score(1.5, True, Capacity(0, 0, 0, firm_reference([4, 10]))) == 1.5


def test_a_technology_that_is_not_significantly_rising_has_no_gap_however_weak_seoul_is():
    assert gap_score(2.0, False, Capacity(0, 0, 0, 1)) == 0
    assert gap_score(-0.7, True, Capacity(0, 0, 0, 1)) == 0


def test_median_firm_count_gives_half_of_the_firm_term():
    assert Capacity(10, 0, 0, firm_reference([2, 10, 50])).index == pytest.approx(0.25)


def test_firm_reference_is_at_least_one_even_without_firms():
    assert firm_reference([]) == 1.0
    assert firm_reference([0, 0, 0]) == 1.0


@given(score=st.floats(0.01, 10), firms=counts, programmes=counts, pilots=counts, extra=st.integers(1, 100))
def test_gap_never_grows_when_seoul_gains_firms_programmes_or_pilots(score, firms, programmes, pilots, extra):
    base = gap_score(score, True, Capacity(firms, programmes, pilots, 5))
    assert gap_score(score, True, Capacity(firms + extra, programmes, pilots, 5)) <= base
    assert gap_score(score, True, Capacity(firms, programmes + extra, pilots, 5)) <= base
    assert gap_score(score, True, Capacity(firms, programmes, pilots + extra, 5)) <= base
    assert 0 <= base <= score


@given(firms=counts, programmes=counts, pilots=counts, a=st.floats(0, 5), b=st.floats(0, 5))
def test_gap_grows_with_the_global_rise(firms, programmes, pilots, a, b):
    capacity = Capacity(firms, programmes, pilots, 3)
    low, high = sorted([a, b])
    assert gap_score(low, True, capacity) <= gap_score(high, True, capacity)


def test_negative_counts_are_refused_with_words():
    with pytest.raises(ValueError, match="negative"):
        Capacity(-1, 0, 0, 1)


def test_gap_ranking_puts_the_rising_technology_without_firms_first():
    rows = rank_gaps(
        [
            ("ai", 1.2, True, Capacity(300, 4, 3, 20)),
            ("quantum", 1.0, True, Capacity(1, 0, 0, 20)),
            ("erp", 0.0, False, Capacity(2, 0, 0, 20)),
        ]
    )
    assert [r.key for r in rows] == ["quantum", "ai", "erp"]
    assert rows[0].gap > rows[1].gap > rows[2].gap == 0


def test_npmi_is_one_for_technologies_always_together_and_minus_one_for_never():
    assert npmi(5, 5, 5, 20) == pytest.approx(1.0)
    assert npmi(0, 5, 5, 20) == -1.0


def test_npmi_is_zero_for_independent_technologies():
    # a in half the items, b in half, together in a quarter: exactly independent.
    assert npmi(25, 50, 50, 100) == pytest.approx(0.0, abs=1e-12)


def test_inconsistent_counts_are_refused():
    with pytest.raises(ValueError, match="Inconsistent"):
        npmi(6, 5, 9, 20)


def test_cooccurrence_counts_each_pair_once_per_item():
    counts = Cooccurrence.of([["ai", "robotics", "ai"], ["ai"], ["robotics", "ai"]])
    assert counts.items == 3
    assert counts.singles == {"ai": 3, "robotics": 2}
    assert counts.pairs == {("ai", "robotics"): 2}


@given(
    st.lists(st.sets(st.sampled_from(["ai", "cloud", "iot", "xr", "robotics"])), max_size=30),
    st.sets(st.sampled_from(["ai", "cloud", "iot", "xr", "robotics"])),
)
def test_removing_an_item_restores_the_counts_before_it_was_added(items, extra):
    counts = Cooccurrence.of(items)
    before = (counts.items, dict(counts.singles), dict(counts.pairs))
    counts.add(extra)
    counts.add(extra, weight=-1)
    assert (counts.items, dict(counts.singles), dict(counts.pairs)) == before


@given(st.lists(st.sets(st.sampled_from(["ai", "cloud", "iot", "xr"]), min_size=1), min_size=1, max_size=40))
def test_npmi_stays_within_minus_one_and_one(items):
    counts = Cooccurrence.of(items)
    for a in counts.singles:
        for b in counts.singles:
            if a < b:
                assert -1.0 <= counts.npmi(a, b) <= 1.0


def test_related_keeps_only_pairs_seen_often_enough_and_above_chance():
    items = [["ai", "semis"]] * 6 + [["ai"]] * 4 + [["semis"]] * 1 + [["cloud"]] * 8 + [["ai", "cloud"]] * 1
    counts = Cooccurrence.of(items)
    found = related("ai", counts.pairs, counts.singles, counts.items, min_count=3)
    assert [r.key for r in found] == ["semis"]
    assert found[0].together == 6 and found[0].npmi > 0


def test_adjacency_prefers_evidence_from_articles_and_falls_back_to_the_taxonomy():
    parents = {"ai": None, "nlp": "ai", "vision": "ai", "cloud": None, "quantum": None}
    adjacent = adjacent_technologies(["nlp"], {("cloud", "nlp"): (0.4, "articles")}, parents)
    assert adjacent["cloud"].reason == "articles" and adjacent["cloud"].adjacency == 0.4
    assert adjacent["vision"].reason == "taxonomy" and adjacent["vision"].via == "nlp"
    assert adjacent["ai"].reason == "taxonomy"
    assert "quantum" not in adjacent and "nlp" not in adjacent


def test_negative_associations_are_not_adjacency():
    adjacent = adjacent_technologies(["nlp"], {("cloud", "nlp"): (-0.2, "articles")}, {"nlp": None, "cloud": None})
    assert adjacent == {}


def test_opportunities_need_a_rise_and_rank_by_adjacency_times_rise():
    parents = {"nlp": None, "cloud": None, "xr": None, "quantum": None}
    adjacent = adjacent_technologies(
        ["nlp"],
        {("cloud", "nlp"): (0.5, "articles"), ("nlp", "xr"): (0.9, "pilots"), ("nlp", "quantum"): (0.3, "articles")},
        parents,
    )
    found = rising_opportunities(adjacent, {"cloud": 2.0, "xr": 0.0, "quantum": 1.0})
    assert [o.key for o in found] == ["cloud", "quantum"]
    assert math.isclose(found[0].score, 1.0)


def test_partners_bring_what_the_firm_lacks_and_rivals_rank_after_complements():
    wanted = {"cloud": 1.0, "xr": 0.5, "nlp": 3.0}
    candidates = [(1, ["nlp", "cloud"]), (2, ["cloud"]), (3, ["xr", "cloud"]), (4, ["erp"])]
    found = complementary_partners(["nlp"], wanted, candidates)
    assert [p.key for p in found] == [3, 2, 1]
    assert found[0].covers == ("cloud", "xr") and found[0].coverage == 1.5
    assert found[2].overlap == 1
