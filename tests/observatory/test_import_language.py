"""Statistics file problems are shown on Korean pages and printed by the import command: Korean
unless another language is active."""

from django.utils import translation

from seoulhub.observatory.statsfile import parse_stats_file

SECTIONS = {"10": {"J": "정보통신업(58~63)"}}


def test_a_row_problem_names_line_column_and_reason_in_korean():
    data = "기간,자치구,동,J 사업체수\n20x1,종로구,소계,1\n".encode()
    parsed = parse_stats_file(data, SECTIONS)
    assert str(parsed.problems[0]) == "2행, 기간 열: '20x1'은(는) 연도가 아닙니다(예: 2019)"
    with translation.override("en"):
        parsed = parse_stats_file(data, SECTIONS)
        assert str(parsed.problems[0]) == "line 2, column 기간: '20x1' is not a year (expected e.g. 2019)"
