"""The indicator maths, by hand-computed examples and properties (no database)."""

import math

from hypothesis import given
from hypothesis import strategies as st

from seoulhub.observatory import indicators as ind


def test_location_quotient_compares_the_local_share_with_seoul():
    # Gangnam: 60 of its 500 establishments in the sector (12%); Seoul: 100 of 1000 (10%).
    assert ind.location_quotient(60, 500, 100, 1000) == 1.2


def test_indicators_are_undefined_not_zero_without_a_base():
    assert ind.location_quotient(5, 0, 100, 1000) is None
    assert ind.location_quotient(None, 500, 100, 1000) is None
    assert ind.growth(10, 0) is None
    assert ind.growth(None, 5) is None
    assert ind.share(3, 0) is None
    assert ind.herfindahl({}) is None
    assert ind.top_share({"a": 0, "b": 0}) is None


def test_growth_and_compound_annual_rate():
    assert ind.growth(110, 100) == 0.1
    assert math.isclose(ind.annual_growth_rate(121, 100, 2), 0.1)
    assert ind.annual_growth_rate(121, 100, 0) is None


def test_herfindahl_is_one_for_a_single_district_and_one_over_n_when_even():
    assert ind.herfindahl({"a": 7, "b": 0}) == 1
    assert math.isclose(ind.herfindahl({str(i): 4 for i in range(25)}), 1 / 25)
    assert ind.top_share({"a": 5, "b": 3, "c": 1, "d": 1}, 3) == 0.9


def test_district_indicators_rank_share_and_lq_by_hand():
    rows = {
        r.district: r
        for r in ind.district_indicators(
            {"강남구": 60, "마포구": 30, "구로구": 10, "도봉구": None},
            {"강남구": 500, "마포구": 300, "구로구": 200, "도봉구": 100},
            {"강남구": 50, "마포구": 30, "구로구": None, "도봉구": None},
        )
    }
    assert rows["강남구"].share_of_seoul == 0.6 and rows["강남구"].rank == 1
    assert rows["구로구"].rank == 3
    assert rows["강남구"].growth == 0.2 and rows["마포구"].growth == 0 and rows["구로구"].growth is None
    # Seoul: 100 of 1100 establishments. Gangnam: 60/500 = 0.12 -> LQ = 0.12 / (100/1100) = 1.32.
    assert math.isclose(rows["강남구"].location_quotient, 1.32)
    assert rows["도봉구"].count is None and rows["도봉구"].share_of_seoul is None and rows["도봉구"].rank is None


def test_districts_without_a_total_leave_the_location_quotient_undefined_everywhere():
    rows = ind.district_indicators({"a": 1, "b": 2}, {"a": 10, "b": None})
    assert all(r.location_quotient is None for r in rows)


def test_districts_with_nothing_are_not_ranked():
    rows = {r.district: r for r in ind.district_indicators({"a": 0, "b": 2})}
    assert rows["a"].rank is None and rows["b"].rank == 1


counts = st.dictionaries(
    st.text(min_size=1, max_size=3), st.integers(min_value=1, max_value=10**6), min_size=1, max_size=25
)


@given(counts)
def test_shares_of_seoul_add_up_to_one(sector_counts):
    rows = ind.district_indicators(sector_counts)
    assert math.isclose(sum(r.share_of_seoul for r in rows), 1)


@given(counts, st.integers(min_value=1, max_value=50))
def test_location_quotients_weighted_by_district_size_average_to_one(sector_counts, factor):
    totals = {d: v * factor + 7 for d, v in sector_counts.items()}
    rows = ind.district_indicators(sector_counts, totals)
    city_total = sum(totals.values())
    assert math.isclose(sum(r.location_quotient * totals[r.district] / city_total for r in rows), 1)


@given(counts)
def test_herfindahl_lies_between_one_over_n_and_one(sector_counts):
    value = ind.herfindahl(sector_counts)
    assert 1 / len(sector_counts) - 1e-12 <= value <= 1 + 1e-12
