"""Reading the two statistics layouts (no database; section names as in KSIC)."""

import pytest
from django.utils import translation

from seoulhub.observatory.statsfile import SANUP_LAYOUT, SEOUL_LAYOUT, TOTAL, LayoutError, parse_count, parse_stats_file


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source wording; the stored and shown text is Korean by default
    (test_error_language.py, test_import_language.py, test_support_pages.py)."""
    with translation.override("en"):
        yield


SECTIONS = {
    "10": {"J": "정보통신업(58~63)", "C": "제조업(10~34)"},
    "9": {"J": "출판, 영상, 방송통신 및 정보서비스업 (58 ~ 63)", "C": "제조업 (10 ~ 33)"},
}


def test_counts_accept_commas_dash_and_suppression_and_refuse_the_rest():
    assert parse_count("1,234") == (1234, False, None)
    assert parse_count("-") == (0, False, None)
    assert parse_count("X") == (None, True, None)
    assert parse_count("NULL") == (None, False, None)
    assert parse_count("-7")[2] and parse_count("1.5")[2] and parse_count("abc")[2]


def test_seoul_open_data_two_header_rows_give_gu_rows_per_section(seoul_open_data_file):
    parsed = parse_stats_file(seoul_open_data_file.read_bytes(), SECTIONS)
    assert parsed.layout == SEOUL_LAYOUT
    rows = {(r.year, r.district_name, r.ksic_code): r for r in parsed.rows}
    gangnam = rows[(2019, "강남구", "J")]
    assert (gangnam.establishments, gangnam.workers, gangnam.revision) == (60, 1500, "10")
    assert rows[(2019, "강남구", TOTAL)].workers == 6000
    assert rows[(2019, "마포구", "C")].establishments == 0  # "-" is zero
    assert rows[(2020, "마포구", "C")].workers_suppressed
    assert not any(r.district_name == "합계" for r in parsed.rows)
    assert parsed.skipped["dong rows (gu subtotals 소계 are used)"] == 2
    assert parsed.skipped["Seoul total rows"] == 1


def test_a_single_header_row_with_section_letters_is_read_too():
    text = "GIGAN,JACHIGU,DONG,J 사업체수,J 종사자수,합계 사업체수\n2021,강남구,소계,70,1700,600\n"
    parsed = parse_stats_file(text.encode(), SECTIONS)
    assert {(r.ksic_code, r.establishments, r.revision) for r in parsed.rows} == {("J", 70, "10"), (TOTAL, 600, "10")}


def test_rev9_section_names_set_the_revision_of_the_file():
    text = '기간,자치구,동,"출판, 영상, 방송통신 및 정보서비스업 (58 ~ 63) 사업체수"\n2016,종로구,소계,12\n'
    parsed = parse_stats_file(text.encode("cp949"), SECTIONS)
    assert [(r.revision, r.ksic_code, r.establishments) for r in parsed.rows] == [("9", "J", 12)]


def test_2016_with_only_section_letters_asks_for_the_revision():
    parsed = parse_stats_file("기간,자치구,동,J 사업체수\n2016,종로구,소계,12\n".encode(), SECTIONS)
    assert not parsed.rows
    assert "ksic_rev" in parsed.problems[0].message and parsed.problems[0].line == 2


def test_sanup_rows_of_seoul_gu_are_read_and_the_rest_skipped_or_rejected(sanup_file):
    parsed = parse_stats_file(sanup_file.read_bytes(), SECTIONS)
    assert parsed.layout == SANUP_LAYOUT
    assert parsed.skipped["rows outside Seoul"] == 1
    assert parsed.skipped["rows that are not gu level (sgis_lv != 2)"] == 2
    by_line = {r.line: r for r in parsed.rows}
    assert by_line[3].ksic_code == TOTAL and by_line[3].district_code == "11230" and by_line[3].workers == 6000
    assert by_line[8].workers is None and by_line[8].workers_suppressed
    problems = {(p.line, p.column) for p in parsed.problems}
    assert (13, "num_estbl") in problems  # -7 establishments


def test_bad_year_is_reported_with_line_and_column():
    parsed = parse_stats_file("기간,자치구,동,J 사업체수\n20x1,종로구,소계,1\n1999,종로구,소계,1\n".encode(), SECTIONS)
    assert [(p.line, p.column) for p in parsed.problems] == [(2, "기간"), (3, "기간")]
    assert "rev. 8" in parsed.problems[1].message


@pytest.mark.parametrize("content", [b"", b"name,value\na,1\n", "\ufffe".encode("utf-16")])
def test_files_of_another_layout_are_refused_with_the_expected_columns(content):
    with pytest.raises(LayoutError) as error:
        parse_stats_file(content, SECTIONS)
    assert str(error.value)
