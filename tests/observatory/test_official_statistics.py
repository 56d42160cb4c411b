"""Official district statistics (KOSIS 전국사업체조사 by gu, shipped in data/seoul-establishments):
the kosis-gu layout, the demo import through the import-industry-stats path, and what the pages
say about source, section J and the 2019->2020 survey break."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from seoulhub.observatory import analysis, demo
from seoulhub.observatory.importer import import_stats
from seoulhub.observatory.models import IndustryStat, StatImport
from seoulhub.observatory.sectors import load_definition
from seoulhub.observatory.statsfile import KOSIS_GU_LAYOUT, TOTAL, parse_stats_file

pytestmark = pytest.mark.django_db

# Made-up figures (NOT real) in the two layouts of data/seoul-establishments.
TOTALS = """gu_code,gu_name,gu_name_en,year,establishments,workers,dongs_in_gu,dongs_with_data,dongs_without_data
11680,강남구,Gangnam-gu,2016,100,1000,22,22,
11680,강남구,Gangnam-gu,2017,110,1100,22,21,개포3동
11110,종로구,Jongno-gu,2017,,,17,0,
99999,없는구,Nowhere,2017,5,50,1,1,
11110,중구,Jung-gu,2017,5,50,1,1,
"""
SECTIONS = """gu_code,gu_name,gu_name_en,year,ksic_section,ksic_section_name,establishments,dongs_included
11680,강남구,Gangnam-gu,2017,J,정보통신업,12,22
11680,강남구,Gangnam-gu,2017,Z,없는 대분류,1,22
11680,강남구,Gangnam-gu,2017,C,제조업,-,22
"""


def test_the_kosis_gu_layout_reads_totals_and_sections():
    totals = parse_stats_file(TOTALS, {})
    assert totals.layout == KOSIS_GU_LAYOUT
    first, second = totals.rows[:2]
    # 2016 was published under both revisions; an all-industry total is filed under rev. 10.
    assert (
        first.year,
        first.revision,
        first.ksic_code,
        first.establishments,
        first.workers,
        first.district_adm_code,
    ) == (2016, "10", TOTAL, 100, 1000, "11680")
    assert second.revision == "10"
    assert totals.skipped["rows without a value in the source"] == 1
    sections = parse_stats_file(SECTIONS, {})
    assert [(r.ksic_code, r.establishments, r.workers) for r in sections.rows] == [("J", 12, None), ("C", 0, None)]
    assert [(p.line, p.column) for p in sections.problems] == [(3, "ksic_section")]


def test_administrative_codes_must_agree_with_the_name():
    with translation.override("en"):  # the English source wording (Korean by default: test_import_language.py)
        report = import_stats(TOTALS.encode(), "totals.csv")
    messages = [p.message for p in report.problems]
    assert any("'99999' is not the administrative code of a Seoul gu" in m for m in messages)
    assert any("code 11110 is 종로구 but the name says 중구" in m for m in messages)
    assert report.created == 2 and IndustryStat.objects.filter(district__name_ko="강남구").count() == 2


def test_the_command_keeps_the_caveats_with_the_import(tmp_path):
    path = tmp_path / "sections.csv"
    path.write_text(SECTIONS, encoding="utf-8")
    out = io.StringIO()
    call_command("import_industry_stats", str(path), "--source", "시험 출처", "--notes", "동 두 곳 누락", stdout=out)
    run = StatImport.objects.get()
    assert run.source == "시험 출처" and run.notes == "동 두 곳 누락" and run.created == 2
    call_command("import_industry_stats", str(path), stdout=out)
    assert "0 were created, 0 updated, 2 unchanged" in out.getvalue()


@pytest.fixture
def official_statistics(db):
    load_definition()
    return demo.load_establishments(lambda line: None)


def test_demo_imports_the_shipped_kosis_tables_once(official_statistics):
    assert official_statistics == {"statistics created": 250 + 950, "statistics updated": 0}
    assert StatImport.objects.count() == 2
    assert all("전국사업체조사" in run.source and "당산1동" in run.notes for run in StatImport.objects.all())
    # Seoul's sum for 2024 as in data/seoul-establishments/SOURCE.txt
    table = analysis.indicator_table(sector=analysis.ALL_INDUSTRIES, year=2024)
    assert table.summary.total == 1_160_368 and table.summary.districts_with_data == 25
    again = demo.load_establishments(lambda line: None)
    assert again == {"statistics created": 0, "statistics updated": 0} and StatImport.objects.count() == 2


def test_section_j_stands_in_for_the_digital_industry_on_all_25_gu(official_statistics):
    table = analysis.indicator_table()
    assert table.source == "stats" and table.year == 2024 and table.proxy == "J"
    assert table.years == [2017, 2024] and table.previous_year == 2017 and table.series_break
    counts = [row["count"] for row in table.rows]
    assert len(counts) == 25 and all(c and c > 0 for c in counts)
    assert all(row["location_quotient"] is not None for row in table.rows)
    assert 0.04 < table.summary.herfindahl < 0.2  # spread over Seoul, not one gu
    gangnam = table.by_code()["11680"]
    assert gangnam["rank"] == 1 and gangnam["share_of_seoul"] < 0.5


def test_growth_within_one_survey_design_has_no_break_note(official_statistics):
    later = analysis.indicator_table(sector=analysis.ALL_INDUSTRIES, year=2024)
    assert later.previous_year == 2023 and not later.series_break
    across = analysis.indicator_table(sector=analysis.ALL_INDUSTRIES, year=2020)
    assert across.previous_year == 2019 and across.series_break
    assert all(row["location_quotient"] is None for row in across.rows)  # 1 everywhere by definition


def test_the_map_page_shows_official_figures_with_source_and_caveats(client, official_statistics):
    html = client.get("/observatory/").content.decode()
    assert 'data-source="stats"' in html and 'id="district-map"' in html
    assert (
        "출처: 서울특별시 「사업체현황」(통계청 전국사업체조사), KOSIS 국가통계포털" in html and "2024년 기준" in html
    )
    assert 'id="proxy-note"' in html and "정보통신업" in html
    assert 'id="series-break-note"' in html and "2019년과 2020년의 수준을 비교하지 마십시오" in html
    assert "당산1동" in html  # the missing-dong caveat
    steady = client.get("/observatory/?sector=all&year=2023").content.decode()
    assert 'id="series-break-note"' not in steady and "증감은 2022년 대비입니다" in steady and "2023년 기준" in steady
    # A measure the section table lacks gives a sentence, not an empty map.
    workers = client.get("/observatory/?measure=workers").content.decode()
    assert 'id="district-map"' not in workers and 'id="no-values"' in workers


def test_the_district_page_charts_the_series_and_marks_the_break(client, official_statistics):
    html = client.get("/observatory/districts/11680/").content.decode()
    assert 'id="district-history"' in html and "2019년에서 2020년으로의 급증은 성장이 아니라 조사 변경" in html
    profile = client.get("/api/v1/districts/강남구/profile").json()
    first = profile["sectors"][0]
    assert first["sector"] == "digital" and first["year"] == 2024 and first["previous_year"] == 2017
    rows = client.get("/api/v1/indicators?limit=25").json()["items"]
    assert "정보통신업" in rows[0]["note"] and "2019->2020" in rows[0]["note"]


def test_exports_carry_the_source_and_its_caveats(client, official_statistics):
    text = client.get("/observatory/export.csv").content.decode("utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any(
        "전국사업체조사" in line and "당산1동" in line and "section J" in line and "2019->2020" in line
        for line in comments
    )
    assert text.splitlines()[len(comments)].startswith("adm_code,")
