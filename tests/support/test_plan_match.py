"""Linking the national plan to announcements: normalised titles, same year, the place of a local
government's entry, and no link for titles too generic to tell apart."""

from seoulhub.support.plan_match import announcement_year, match_plan, normalise_title, owner_name, place_name


def test_titles_are_normalised_across_spacing_brackets_and_years():
    assert normalise_title("예비창업 패키지") in normalise_title(
        "[부산ㆍ울산ㆍ경남] 2025년 예비창업패키지 사전 인큐베이팅"
    )
    assert normalise_title("‘25년 IP디딤돌 프로그램") == normalise_title("IP 디딤돌프로그램")


def test_owner_and_place_names():
    assert owner_name("중소벤처 기업부 (신산업 기술창업과)") == "중소벤처기업부"
    assert place_name("서울특별시") == "서울" and place_name("부산광역시부산진구") == "부산진"
    assert place_name("충청북도") == "충북" and place_name("관악구청") == "관악" and place_name("중소벤처기업부") == ""
    assert place_name("강원특별") == "강원"  # cut short by the PDF extraction


def test_match_needs_the_same_year_the_place_and_a_specific_title():
    announcements = [
        (1, 2025, "2025년 예비창업패키지 예비창업자 모집 공고"),
        (2, 2026, "2026년 예비창업패키지 예비창업자 모집 공고"),
        (3, 2025, "[대전] 소상공인 경영컨설팅 지원사업 업체 모집 공고"),
        (4, 2025, "[서울] 2025년 2차 IP디딤돌프로그램 창업자 후속지원 모집 공고"),
        (5, 2025, "[부산] 2025년 3차 IP 디딤돌 프로그램 창업자 후속 지원 공고"),
    ]
    entries = [
        (10, 2025, "예비창업 패키지"),
        (11, 2025, "경영컨설팅 지원사업"),
        (12, 2025, "IP디딤돌 프로그램", "서울"),
        (13, 2024, "예비창업 패키지"),
    ]
    assert match_plan(entries, announcements) == {10: [1], 12: [4]}


def test_the_year_of_an_announcement_is_in_its_title_or_its_date():
    assert announcement_year("2025년 하반기 기술창업 자금지원 공고", 2024) == 2025
    assert announcement_year("청년창업 특례보증 지원 신청 공고", 2026) == 2026
