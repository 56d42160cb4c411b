"""The firm-registry view never turns a handful of firms into "100 % of Seoul"."""

import pytest

from seoulhub.observatory import analysis
from seoulhub.observatory.sectors import load_definition

pytestmark = pytest.mark.django_db


def _firms(per_district: dict[str, int], without_district: int = 0):
    from seoulhub.support.models import Firm
    from seoulhub.taxonomy.models import District, KsicCode

    software = KsicCode.objects.get(revision="10", code="58222")
    firms = []
    for name, count in per_district.items():
        district = District.objects.get(name_ko=name)
        firms += [Firm(name_ko=f"{name} 소프트 {i}", district=district, ksic=software) for i in range(count)]
    firms += [Firm(name_ko=f"상장사 {i}", industry_text="기타 식품 제조업") for i in range(without_district)]
    Firm.objects.bulk_create(firms)


def test_one_firm_with_a_district_gives_counts_only(client):
    load_definition()
    _firms({"강남구": 1}, without_district=1099)
    table = analysis.indicator_table(sector="digital")
    assert table.source == "registry" and table.too_few["with_district"] == 1 and table.too_few["firms"] == 1100
    assert table.summary is None
    gangnam = table.by_code()["11680"]
    assert gangnam["count"] == 1 and gangnam["share_of_seoul"] is None and gangnam["rank"] is None
    html = client.get("/observatory/").content.decode()
    assert (
        "1,100개 기업 중 1개만 자치구 정보가 있습니다" in html or "1100개 기업 중 1개만 자치구 정보가 있습니다" in html
    )
    assert 'id="district-map"' not in html and "HHI" not in html and "25 / 25" not in html
    home = client.get("/").content.decode()
    assert "디지털 기업이 가장 많은 곳" not in home


def test_enough_firms_in_enough_districts_give_shares():
    load_definition()
    spread = {"강남구": 10, "서초구": 8, "마포구": 6, "성동구": 4, "금천구": 2}
    _firms(spread)
    assert sum(spread.values()) == analysis.MIN_REGISTRY_FIRMS and len(spread) == analysis.MIN_REGISTRY_DISTRICTS
    table = analysis.indicator_table(sector="digital")
    assert table.too_few is None and table.summary.districts_with_data == 25
    assert table.by_code()["11680"]["share_of_seoul"] == pytest.approx(10 / 30)
    assert table.summary.herfindahl == pytest.approx(sum((n / 30) ** 2 for n in spread.values()))


def test_four_districts_are_not_enough_even_with_many_firms():
    load_definition()
    _firms({"강남구": 20, "서초구": 10, "마포구": 5, "성동구": 5})
    table = analysis.indicator_table(sector="digital")
    assert table.too_few["districts"] == 4 and all(r["share_of_seoul"] is None for r in table.rows)
