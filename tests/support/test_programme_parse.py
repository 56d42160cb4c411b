"""Parsing real 기업마당 announcements into structured fields and eligibility rules."""

import datetime

import pytest

from seoulhub.support.programme_parse import (
    classify_kind,
    ksic_rule,
    parse_amount,
    parse_period,
    parse_record,
    region_rule,
    summary_rules,
    target_line,
)

SECTIONS = {
    d: s
    for s, (lo, hi) in {"A": (1, 3), "C": (10, 34), "J": (58, 63), "M": (70, 73), "G": (45, 47), "U": (99, 99)}.items()
    for d in range(lo, hi + 1)
}


def test_a_dated_window_is_parsed_and_free_text_is_kept_as_rolling_or_unknown():
    assert parse_period("20211213 ~ 20211230") == (datetime.date(2021, 12, 13), datetime.date(2021, 12, 30), False)
    assert parse_period("예산 소진시까지") == (None, None, True)
    assert parse_period("상시 접수") == (None, None, True)
    assert parse_period("추후 공지") == (None, None, False)
    assert parse_period("20211230 ~ 20211213") == (None, None, False)  # reversed: not trusted
    assert parse_period("20211332 ~ 20211401") == (None, None, False)  # not a date


def test_all_seventeen_regions_mean_nationwide_and_a_list_stays_a_list():
    nationwide = "서울@부산@대구@인천@광주@대전@울산@세종@경기@강원@충북@충남@전북@전남@경북@경남@제주"
    assert region_rule(nationwide).params["nationwide"] is True
    assert region_rule("경기").params == {"regions": ["경기"]}
    assert region_rule("") is None


def test_ksic_sections_come_from_the_division_ranges_and_all_sections_mean_no_rule():
    rule = ksic_rule("제조업(10~34)@정보통신업(58~63)", SECTIONS)
    assert rule.params == {"sections": ["C", "J"]}
    every = "@".join(f"x({lo:02d}~{lo:02d})" for lo in (1, 10, 45, 58, 70, 99))
    assert ksic_rule(every, SECTIONS) is None


def test_clear_age_employee_and_revenue_bounds_become_rules():
    rules = summary_rules("창업 후 7년 이내, 매출 20억원 미만의 중소기업")
    assert [(r.kind, r.params) for r in rules] == [
        ("age_max", {"max": 7, "inclusive": True}),
        ("rev_max", {"max": 2_000_000_000, "inclusive": False}),
    ]
    assert [(r.kind, r.params) for r in summary_rules("상시근로자 5인 이상 기업")] == [
        ("emp_min", {"min": 5, "inclusive": True})
    ]


def test_alternatives_and_unparsed_conditions_stay_for_a_person_to_check():
    either = summary_rules("창업 3년 이내 또는 매출 10억원 이하 기업")
    assert [r.kind for r in either] == ["manual"] and "또는" in either[0].source_text
    leftover = summary_rules("기업부설연구소를 보유한 창업 7년 이내 기업")
    assert [r.kind for r in leftover] == ["age_max", "manual"]


@pytest.mark.parametrize(
    "line",
    [
        "일반 소상공인 및 창업 1년 미만의 소상공인",  # 1 year applies to one group only
        "경기 시흥시 내 근로자수 5인 미만의 소상인 및 10인 미만의 소공인",  # two bounds for two groups
        "창업 7년 이내 스타트업 혹은 벤처기업",  # venture firms of any age
    ],
)
def test_real_target_lines_with_two_groups_are_not_turned_into_one_bound(line):
    assert [r.kind for r in summary_rules(line)] == ["manual"]


def test_revenue_with_thousands_separators_is_read():
    rules = summary_rules("전라북도 소재 전년도 매출액 1,000억원 미만 중소기업")
    assert [(r.kind, r.params) for r in rules] == [("rev_max", {"max": 100_000_000_000, "inclusive": False})]


def test_target_line_is_the_first_arrow_line_of_the_summary():
    assert target_line("설명입니다.\n\n☞ 서울 소재 중소기업\n\n☞ 지원 내용") == "서울 소재 중소기업"
    assert target_line("화살표 없음") == ""


def test_amount_and_kind_are_read_from_clear_words_only():
    assert parse_amount("기업당 최대 3억원 지원") == (300_000_000, "최대 3억원")
    assert parse_amount("최대 2천만원") == (20_000_000, "최대 2천만원")
    assert parse_amount("금액 협의") == (None, "")
    assert classify_kind("2022년 AI 바우처 지원사업 공고", "기술") == "voucher"
    assert classify_kind("수출 물류비 지원", "수출") == "export"
    assert classify_kind("정책자금 융자 공고", "금융 / 융자") == "loan"


def test_every_real_record_parses_and_keeps_its_source(bizinfo_records):
    parsed = [parse_record(r, SECTIONS) for r in bizinfo_records]
    assert len(parsed) == 1113
    assert all(p.rules and p.rules[0].kind == "region" for p in parsed)
    dated = [p for p in parsed if p.closes_on]
    assert len(dated) == 208  # the records whose period is "YYYYMMDD ~ YYYYMMDD"
    assert all(datetime.date(2020, 1, 1) <= p.closes_on <= datetime.date(2022, 12, 31) for p in dated)
    assert all(p.url.startswith("https://www.bizinfo.go.kr/") for p in parsed)
    assert all("&#40;" not in p.summary for p in parsed)  # HTML entities decoded


def test_a_record_without_id_is_refused_with_the_missing_field():
    with pytest.raises(ValueError, match="pblancId"):
        parse_record({"pblancNm": "x"}, SECTIONS)


def test_reloading_keeps_a_programme_an_operator_edited(programmes, bizinfo_file):
    from seoulhub.support.loaders import load_bizinfo
    from seoulhub.support.models import Programme

    assert load_bizinfo(bizinfo_file)["programmes updated"] == 0  # idempotent
    edited = Programme.objects.filter(closes_on__isnull=True).order_by("pk").first()
    edited.imported_at -= datetime.timedelta(minutes=5)  # the import happened a while before the edit
    edited.closes_on = datetime.date(2030, 1, 31)
    edited.save()
    counts = load_bizinfo(bizinfo_file)
    assert counts["programmes kept as edited on the hub"] == 1 and counts["programmes updated"] == 0
    edited.refresh_from_db()
    assert edited.closes_on == datetime.date(2030, 1, 31)


def test_the_region_in_a_bizinfo_title_becomes_a_region_rule():
    from seoulhub.support.programme_parse import title_region_rule

    assert title_region_rule("[경기] 포천시 2025년 지식재산 긴급지원").params == {"regions": ["경기"]}
    assert title_region_rule("[서울ㆍ경기ㆍ인천ㆍ강원] 2026년 중소기업 AI 훈련").params == {
        "regions": ["서울", "경기", "인천", "강원"]
    }
    assert title_region_rule("[신규설립] 2026년 DNA 융합 제품") is None
    assert title_region_rule("2026년 예비창업패키지") is None


def test_2026_layout_periods_html_summaries_and_hashtag_regions():
    record = {
        "pblancId": "PBLN_1",
        "pblancNm": "2026년 공고",
        "reqstBeginEndDe": "2026-04-27 ~ 2026-05-15",
        "bsnsSumryCn": "<p>개요</p><p>☞&nbsp;창업 7년 이내 중소기업</p><p>☞ 지원 내용</p>",
        "hashtags": "기술,서울,경기,2026",
        "creatPnttm": "2026-04-20 10:05:12",
        "_derived_by_collector": True,
    }
    parsed = parse_record(record, SECTIONS)
    assert (parsed.opens_on, parsed.closes_on) == (datetime.date(2026, 4, 27), datetime.date(2026, 5, 15))
    assert parsed.summary.startswith("개요\n") and "<p>" not in parsed.summary
    kinds = {r.kind: r.params for r in parsed.rules}
    assert kinds["region"] == {"regions": ["서울", "경기"]} and kinds["age_max"] == {"max": 7, "inclusive": True}
    assert parsed.derived_by_collector and parsed.created_at == datetime.datetime(2026, 4, 20, 10, 5, 12)


def test_kstartup_fields_map_to_rules():
    from seoulhub.support.programme_parse import parse_kstartup_record

    parsed = parse_kstartup_record(
        {
            "pbanc_sn": 177101,
            "biz_pbanc_nm": "2026 인천콘텐츠코리아랩 스타트업 부스터",
            "supt_regin": "인천",
            "biz_enyy": "1년미만,2년미만,3년미만",
            "aply_trgt": "대학생,일반인",
            "supt_biz_clsfc": "사업화",
            "biz_trgt_age": "만 20세 이상 ~ 만 39세 이하",
            "pbanc_rcpt_bgng_dt": "20260413",
            "pbanc_rcpt_end_dt": "20260429",
        }
    )
    rules = [(r.kind, r.params) for r in parsed.rules]
    assert ("region", {"regions": ["인천"]}) in rules and ("age_max", {"max": 3, "inclusive": False}) in rules
    assert ("manual", {"applicants": ["대학생", "일반인"]}) in rules
    assert ("manual", {"founder_age_min": 20, "founder_age_max": 39}) in rules
    assert (parsed.kind, parsed.opens_on, parsed.closes_on) == (
        "funding",
        datetime.date(2026, 4, 13),
        datetime.date(2026, 4, 29),
    )
    everyone = parse_kstartup_record(
        {
            "pbanc_sn": 1,
            "biz_pbanc_nm": "x",
            "supt_regin": "전국",
            "biz_enyy": "예비창업자",
            "aply_trgt": "일반기업",
            "biz_trgt_age": "만 20세 미만,만 20세 이상 ~ 만 39세 이하,만 40세 이상",
        }
    )
    assert [(r.kind, r.params.get("nationwide"), r.params.get("any")) for r in everyone.rules] == [
        ("region", True, None),
        ("stage", None, ["pre_startup"]),
    ]
    with pytest.raises(ValueError, match="not YYYYMMDD"):
        parse_kstartup_record({"pbanc_sn": 2, "biz_pbanc_nm": "x", "pbanc_rcpt_end_dt": "2026-13-45"})
    with pytest.raises(ValueError, match="pbanc_sn"):
        parse_kstartup_record({"biz_pbanc_nm": "x"})
