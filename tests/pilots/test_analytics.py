"""Pilot analytics maths alone."""

import pytest

from seoulhub.pilots.analytics import cooccurrence, success_rates


def test_pairs_are_counted_once_per_pilot_and_ordered_by_frequency():
    pilots = [{"ai", "iot"}, {"ai", "iot", "drones"}, {"ai"}, {"drones", "iot"}]
    pairs = cooccurrence(pilots)
    assert [(p.a, p.b, p.together) for p in pairs] == [("drones", "iot", 2), ("ai", "iot", 2), ("ai", "drones", 1)]
    assert pairs[0].lift > pairs[1].lift  # equal counts: the more surprising pair first
    assert {(p.a, p.b) for p in pairs} == {("ai", "iot"), ("drones", "iot"), ("ai", "drones")}


def test_lift_is_one_for_independent_and_above_one_for_attracted_technologies():
    independent = [{"a", "b"}, {"a"}, {"b"}, set()]
    assert cooccurrence(independent)[0].lift == pytest.approx(1.0)
    attracted = [{"a", "b"}, {"a", "b"}, {"c"}, {"c"}]
    assert cooccurrence(attracted)[0].lift == pytest.approx(2.0)


def test_min_together_filters_rare_pairs():
    assert cooccurrence([{"a", "b"}, {"a", "c"}, {"a", "c"}], min_together=2)[0].b == "c"
    assert len(cooccurrence([{"a", "b"}, {"a", "c"}, {"a", "c"}], min_together=2)) == 1


def test_success_rates_overall_and_per_technology():
    overall, per_tech = success_rates([({"ai", "iot"}, True), ({"ai"}, False), ({"iot"}, True)])
    assert (overall.successes, overall.total) == (2, 3)
    rates = {r.key: r.rate for r in per_tech}
    assert rates == {"ai": 0.5, "iot": 1.0}


def test_no_evaluated_pilots_gives_no_rate_rather_than_zero():
    overall, per_tech = success_rates([])
    assert overall.rate is None and per_tech == []
