"""Regional-economics indicators for Seoul's districts (no Django import).

Inputs are plain mappings of counts (establishments or workers); outputs are plain numbers or
None where an indicator is undefined (a zero or missing denominator). Nothing is ever guessed:
a district without a count has no indicator, not a zero.

Definitions used (standard in regional economics; see docs/observatory.md):
- share of Seoul    s_ds = x_ds / sum_d x_ds
- growth            g = (x_t - x_t0) / x_t0, and the compound annual rate over the years between
- location quotient LQ_ds = (x_ds / X_d) / (X_s / X)  where X_d is the district's count over all
                    industries, X_s Seoul's count in the sector and X Seoul's all-industry count
- concentration     Herfindahl-Hirschman index of the sector's district shares (1/25 = evenly
                    spread over the 25 gu, 1 = all in one gu) and the top-3 districts' share (CR3)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass


def share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def growth(current: float | None, earlier: float | None) -> float | None:
    """Relative change from `earlier` to `current`; None when the base is missing or zero."""
    if current is None or earlier is None or earlier == 0:
        return None
    return (current - earlier) / earlier


def annual_growth_rate(current: float | None, earlier: float | None, years: int) -> float | None:
    """Compound annual growth rate over `years` (> 0) years."""
    if current is None or earlier is None or earlier <= 0 or current < 0 or years <= 0:
        return None
    return (current / earlier) ** (1 / years) - 1


def location_quotient(
    local_sector: float | None, local_total: float | None, city_sector: float | None, city_total: float | None
) -> float | None:
    """LQ > 1: the sector is more concentrated in the district than in Seoul as a whole."""
    local_share = share(local_sector, local_total)
    city_share = share(city_sector, city_total)
    if local_share is None or not city_share:
        return None
    return local_share / city_share


def herfindahl(counts: Mapping[str, float | None]) -> float | None:
    """Herfindahl-Hirschman index (0..1) of the shares of the known, non-negative counts."""
    values = [v for v in counts.values() if v is not None]
    total = sum(values)
    if not values or total <= 0:
        return None
    return sum((v / total) ** 2 for v in values)


def top_share(counts: Mapping[str, float | None], top: int = 3) -> float | None:
    """Share of the total held by the `top` largest units (CR3 for top=3)."""
    values = sorted((v for v in counts.values() if v is not None), reverse=True)
    total = sum(values)
    if not values or total <= 0:
        return None
    return sum(values[:top]) / total


@dataclass(frozen=True)
class DistrictIndicator:
    district: str
    count: float | None
    share_of_seoul: float | None
    growth: float | None
    annual_growth: float | None
    location_quotient: float | None
    rank: int | None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SectorSummary:
    total: float
    districts_with_data: int
    herfindahl: float | None
    top3_share: float | None
    top3: list[str]


def district_indicators(
    sector_counts: Mapping[str, float | None],
    totals: Mapping[str, float | None] | None = None,
    earlier_counts: Mapping[str, float | None] | None = None,
    years_between: int = 1,
) -> list[DistrictIndicator]:
    """Indicators for every district in `sector_counts` (district key -> count in the sector).

    `totals` are the districts' all-industry counts for the location quotient (LQ is None
    without them); `earlier_counts` are the sector counts `years_between` years before.
    Seoul's totals are sums over the districts given, so pass all 25 gu.
    """
    known = {d: v for d, v in sector_counts.items() if v is not None}
    city_sector = sum(known.values()) if known else None
    city_total = None
    if totals:
        total_values = [totals.get(d) for d in sector_counts]
        if all(v is not None for v in total_values):
            city_total = sum(total_values)
    ranked = [d for d in known if known[d] > 0]  # ranking districts that have none says nothing
    ranking = {d: i + 1 for i, d in enumerate(sorted(ranked, key=lambda d: (-known[d], d)))}
    results = []
    for district, count in sector_counts.items():
        earlier = (earlier_counts or {}).get(district)
        results.append(
            DistrictIndicator(
                district=district,
                count=count,
                share_of_seoul=share(count, city_sector),
                growth=growth(count, earlier),
                annual_growth=annual_growth_rate(count, earlier, years_between),
                location_quotient=location_quotient(count, (totals or {}).get(district), city_sector, city_total)
                if city_total is not None
                else None,
                rank=ranking.get(district),
            )
        )
    return results


def sector_summary(sector_counts: Mapping[str, float | None]) -> SectorSummary:
    known = {d: v for d, v in sector_counts.items() if v is not None}
    top3 = sorted(known, key=lambda d: (-known[d], d))[:3]
    return SectorSummary(
        total=sum(known.values()),
        districts_with_data=len(known),
        herfindahl=herfindahl(known),
        top3_share=top_share(known, 3),
        top3=top3,
    )
