"""seoulhub.trends: periods, Dunning G², emergence scores and the incremental counter."""

import gzip
import json
import math
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seoulhub.trends import TrendCounter, emergence, month_key, period_range, week_key
from seoulhub.trends.emergence import log_likelihood_g2, rank_emerging, window_sums
from seoulhub.trends.periods import next_period, period_start

ARXIV_TITLES = Path(__file__).resolve().parents[2] / "data" / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"


def test_week_and_month_keys_follow_iso_weeks_across_new_year():
    assert week_key(date(2025, 12, 29)) == "2026-W01"  # ISO week 1 of 2026 starts on Monday 29 Dec
    assert month_key(datetime(2025, 12, 29, 23, 0)) == "2025-12"
    assert next_period("2025-12") == "2026-01"
    assert next_period("2025-W52") == "2026-W01"
    assert period_start("2026-W01") == date(2025, 12, 29)


def test_period_range_fills_empty_periods_and_rejects_mixed_granularities():
    assert period_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert len(period_range("2025-W01", "2025-W52")) == 52
    with pytest.raises(ValueError):
        period_range("2025-11", "2025-W50")


def test_g2_matches_a_hand_computed_table():
    # Table [[10, 90], [10, 990]]: expected cells 1.818.., 98.18.., 18.18.., 981.8..
    expected = 2 * sum(
        o * math.log(o / e)
        for o, e in [(10, 100 * 20 / 1100), (90, 100 * 1080 / 1100), (10, 1000 * 20 / 1100), (990, 1000 * 1080 / 1100)]
    )
    assert log_likelihood_g2(10, 100, 10, 1000) == pytest.approx(expected)
    assert log_likelihood_g2(5, 100, 50, 1000) == pytest.approx(0.0, abs=1e-9)  # same share: no evidence


def test_a_tenfold_rise_is_significant_and_a_flat_term_is_not():
    rising = emergence("llm agent", 50, 1000, 10, 2000)
    flat = emergence("segmentation", 100, 1000, 200, 2000)
    assert rising.significant and rising.growth > 9 and rising.score > 2
    assert not flat.significant and flat.growth == pytest.approx(1.0, rel=0.01)


def test_noise_below_the_threshold_is_not_shown():
    # 3 items vs. 1: large growth, but too few items and G² far below 10.83.
    noise = emergence("rare word", 3, 1000, 1, 1000)
    assert noise.growth > 2
    assert not noise.significant


def test_a_falling_term_is_never_emerging_even_when_significant():
    falling = emergence("gan", 10, 1000, 200, 1000)
    assert falling.g2 > 10.83 and falling.growth < 1 and not falling.significant


def test_bad_counts_are_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="0 <= count <= total"):
        emergence("x", 5, 3, 0, 10)


@given(st.integers(0, 500), st.integers(1, 500), st.integers(0, 500), st.integers(1, 500), st.integers(1, 50))
def test_more_recent_items_never_lower_the_score(c_r, extra_n_r, c_h, extra_n_h, bump):
    n_r, n_h = c_r + extra_n_r, c_h + extra_n_h
    before = emergence("t", c_r, n_r + bump, c_h, n_h)
    after = emergence("t", c_r + bump, n_r + bump, c_h, n_h)
    assert after.score >= before.score
    assert after.growth >= before.growth


def test_window_sums_split_recent_from_history():
    periods = ["2025-01", "2025-02", "2025-03", "2025-04"]
    series = {"2025-01": 1, "2025-02": 2, "2025-03": 3, "2025-04": 4}
    totals = {p: 10 for p in periods}
    assert window_sums(series, totals, periods, recent=1, history=2) == (4, 10, 5, 20)
    with pytest.raises(ValueError):
        window_sums(series, totals, periods, recent=0, history=2)


def test_counter_updates_incrementally_and_matches_a_full_recount():
    items = [
        (date(2025, 1, 3), {"tech": ["ai", "ai"], "keyword": ["agent"]}),
        (date(2025, 1, 20), {"tech": ["ai"], "keyword": []}),
        (date(2025, 3, 2), {"tech": ["robotics"], "keyword": ["agent"]}),
    ]
    counter = TrendCounter()
    for when, terms in items:
        counter.add(when, terms)
    assert counter.series("month", "tech", "ai") == {"2025-01": 2}  # "ai" twice in one item counts once
    assert counter.series("month", "keyword", "agent") == {"2025-01": 1, "2025-03": 1}
    assert counter.periods("month") == ["2025-01", "2025-02", "2025-03"]
    assert counter.totals["month"]["2025-02"] == 0
    counter.remove(*items[2])
    assert counter.series("month", "keyword", "agent") == {"2025-01": 1}
    assert counter.series("month", "tech", "robotics") == {}


def test_rank_emerging_orders_significant_risers_by_score():
    periods = ["2025-01", "2025-02"]
    totals = {"2025-01": 1000, "2025-02": 1000}
    series = {
        "big riser": {"2025-01": 20, "2025-02": 200},
        "small riser": {"2025-01": 10, "2025-02": 40},
        "flat": {"2025-01": 100, "2025-02": 100},
    }
    ranked = rank_emerging(series, totals, periods, recent=1, history=1)
    assert [e.term for e in ranked] == ["big riser", "small riser"]
    everything = rank_emerging(series, totals, periods, recent=1, history=1, include_insignificant=True)
    assert everything[-1].term == "flat" and not everything[-1].significant


def test_arxiv_titles_show_significant_rising_words():
    """The real arXiv stream (2025-03..2026-07): counts by title word; some words must rise
    significantly in 2026-04..06 against 2025-10..2026-03, and most words must not."""
    counter = TrendCounter(["month"])
    with gzip.open(ARXIV_TITLES, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            words = {w.strip(":,.()").lower() for w in record["title"].split()}
            counter.add(date.fromisoformat(record["first_seen"]), {"keyword": [w for w in words if len(w) > 3]})
    ranked = counter.rank("month", "keyword", recent=3, history=6, until="2026-06")
    vocabulary = sum(1 for (g, k, _t) in counter.counts if g == "month" and k == "keyword")
    assert 5 <= len(ranked) < vocabulary * 0.05
    assert all(e.significant and e.growth > 1 and e.g2 >= 10.83 for e in ranked)
