"""Rule verdicts in words (Korean and English) and the overall verdict."""

import pytest

from seoulhub.matching.rules import (
    ELIGIBLE,
    FAIL,
    NEEDS_CHECK,
    NOT_ELIGIBLE,
    PASS,
    UNKNOWN,
    FirmProfile,
    Rule,
    check,
    overall,
)

FIRM = FirmProfile(
    id=1,
    region="서울",
    district="마포구",
    age_years=3,
    employees=350,
    revenue_range=(1_000_000_000, 10_000_000_000),
    ksic_section="J",
    certifications=frozenset({"venture"}),
    stage="startup",
)


@pytest.mark.parametrize(
    "rule, status, ko, en",
    [
        (Rule("age_max", {"max": 7}), PASS, "설립 3년 ≤ 7년 ✓", "age 3 years ≤ 7 years ✓"),
        (Rule("emp_max", {"max": 300}), FAIL, "종업원 350명 > 300명 ✗", "employees 350 > 300 ✗"),
        (Rule("emp_max", {"max": 350, "inclusive": False}), FAIL, "종업원 350명 ≥ 350명 ✗", "employees 350 ≥ 350 ✗"),
        (Rule("age_min", {"min": 3}), PASS, "설립 3년 ≥ 3년 ✓", "age 3 years ≥ 3 years ✓"),
        (Rule("age_min", {"min": 3, "inclusive": False}), FAIL, "설립 3년 ≤ 3년 ✗", "age 3 years ≤ 3 years ✗"),
        (
            Rule("region", {"regions": ["서울", "경기"]}),
            PASS,
            "소재지 서울 ∈ 서울·경기 ✓",
            "located in 서울 ∈ 서울·경기 ✓",
        ),
        (Rule("region", {"regions": ["경기"]}), FAIL, "소재지 서울 ∉ 경기 ✗", "located in 서울 ∉ 경기 ✗"),
        (Rule("district", {"districts": ["강남구"]}), FAIL, "소재 구 마포구 ∉ 강남구 ✗", "district 마포구 ∉ 강남구 ✗"),
        (Rule("ksic", {"sections": ["C", "J"]}), PASS, "업종 대분류 J ∈ {C,J} ✓", "KSIC section J ∈ {C,J} ✓"),
        (Rule("stage", {"any": ["sme"]}), FAIL, "기업 단계 창업기 ∉ {중소기업} ✗", "stage startup ∉ {SME} ✗"),
        (Rule("cert", {"any": ["innobiz", "venture"]}), PASS, "인증 보유: 벤처기업 ✓", "holds venture company ✓"),
    ],
)
def test_each_rule_explains_its_verdict_in_korean_and_english(rule, status, ko, en):
    verdict = check(rule, FIRM)
    assert (verdict.status, verdict.text_ko, verdict.text_en) == (status, ko, en)


def test_revenue_band_inside_the_limit_passes_across_it_is_unknown_above_it_fails():
    under_20bn = Rule("rev_max", {"max": 20_000_000_000})
    assert check(under_20bn, FIRM).status == PASS  # band 10-100억 lies under 200억
    straddles = Rule("rev_max", {"max": 2_000_000_000, "inclusive": False})
    assert check(straddles, FIRM).status == UNKNOWN  # 10-100억 may or may not be under 20억
    assert "매출 10억원~100억원 / 조건 20억원 미만 ?" == check(straddles, FIRM).text_ko
    assert check(Rule("rev_max", {"max": 500_000_000}), FIRM).status == FAIL
    assert check(Rule("rev_min", {"min": 500_000_000}), FIRM).status == PASS
    assert check(Rule("rev_min", {"min": 10_000_000_000}), FIRM).status == FAIL


def test_missing_firm_data_is_unknown_never_a_pass_or_fail():
    blank = FirmProfile(id=2)
    for rule in [
        Rule("age_max", {"max": 7}),
        Rule("emp_max", {"max": 300}),
        Rule("region", {"regions": ["서울"]}),
        Rule("district", {"districts": ["마포구"]}),
        Rule("ksic", {"sections": ["J"]}),
        Rule("stage", {"any": ["sme"]}),
        Rule("rev_max", {"max": 10}),
    ]:
        verdict = check(rule, blank)
        assert verdict.status == UNKNOWN and "정보 없음" in verdict.text_ko and "unknown" in verdict.text_en


def test_a_certification_not_on_record_asks_for_a_check_rather_than_failing():
    verdict = check(Rule("cert", {"any": ["innobiz"]}), FIRM)
    assert verdict.status == UNKNOWN and "이노비즈" in verdict.text_ko


def test_nationwide_programmes_pass_even_without_a_known_location():
    assert check(Rule("region", {"nationwide": True}), FirmProfile(id=3)).status == PASS


def test_manual_rules_show_their_source_text_for_a_person_to_check():
    verdict = check(Rule("manual", {}, "대상 유형: 소상공인"), FIRM)
    assert verdict.status == UNKNOWN and verdict.text_ko == "확인 필요: 대상 유형: 소상공인 ?"


def test_overall_verdict_fails_on_any_failure_and_needs_check_on_any_unknown():
    ok, bad, unknown = (
        check(Rule("age_max", {"max": 7}), FIRM),
        check(Rule("emp_max", {"max": 300}), FIRM),
        check(Rule("manual", {}, "x"), FIRM),
    )
    assert overall([ok]) == ELIGIBLE
    assert overall([ok, unknown]) == NEEDS_CHECK
    assert overall([ok, unknown, bad]) == NOT_ELIGIBLE
    assert overall([]) == ELIGIBLE


def test_an_unknown_rule_kind_is_refused():
    with pytest.raises(ValueError, match="unknown rule kind"):
        Rule("shoe_size", {})
