"""The matcher: ranking, the reverse (programme -> firms) view, and the vectorised all-pairs checks
agreeing with the rule-by-rule verdicts."""

import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seoulhub.matching.engine import OVERALL_BY_CODE, Matcher, ProgrammeProfile, deadline_score, expand
from seoulhub.matching.rules import ELIGIBLE, NEEDS_CHECK, UNREAD, FirmProfile, Rule, check, overall

TODAY = datetime.date(2026, 11, 25)
PARENTS = {"ai": None, "computer-vision": "ai", "nlp": "ai", "cloud": None}


def test_deadline_score_prefers_windows_closing_soon_and_zeroes_closed_ones():
    soon = deadline_score(TODAY + datetime.timedelta(days=5), TODAY, True)
    later = deadline_score(TODAY + datetime.timedelta(days=60), TODAY, True)
    far = deadline_score(TODAY + datetime.timedelta(days=200), TODAY, True)
    assert soon == 1.0 > later > far == 0.3
    assert deadline_score(None, TODAY, True) == 0.3
    assert deadline_score(TODAY - datetime.timedelta(days=1), TODAY, True) == 0.0
    assert deadline_score(TODAY + datetime.timedelta(days=5), TODAY, False) == 0.0


def test_a_narrower_technology_counts_for_its_parent():
    assert expand(frozenset({"computer-vision"}), PARENTS) == {"computer-vision", "ai"}


def _programmes():
    return [
        ProgrammeProfile(
            1,
            "AI voucher",
            (Rule("region", {"regions": ["서울"]}),),
            frozenset({"ai"}),
            closes_on=TODAY + datetime.timedelta(days=10),
        ),
        ProgrammeProfile(
            2,
            "Cloud credits",
            (Rule("region", {"regions": ["서울"]}),),
            frozenset({"cloud"}),
            closes_on=TODAY + datetime.timedelta(days=10),
        ),
        ProgrammeProfile(3, "Young firms only", (Rule("age_max", {"max": 3}),), frozenset({"ai"})),
        ProgrammeProfile(4, "Manual", (Rule("manual", {}, "대상 유형: 소상공인"),), frozenset({"ai"})),
        ProgrammeProfile(
            5, "Closed AI call", (), frozenset({"ai"}), closes_on=TODAY - datetime.timedelta(days=1), is_open=False
        ),
    ]


def test_for_firm_ranks_eligible_by_fit_then_those_to_check_and_hides_ineligible_and_closed():
    firm = FirmProfile(1, region="서울", age_years=5, technologies=frozenset({"computer-vision"}))
    matcher = Matcher([firm], _programmes(), tech_parents=PARENTS, today=TODAY)
    ranked = matcher.for_firm(1)
    assert [(m.programme_id, m.status) for m in ranked] == [(1, ELIGIBLE), (2, ELIGIBLE), (4, NEEDS_CHECK)]
    assert ranked[0].tech_fit == 1.0 and ranked[0].shared_technologies == ["ai"]
    assert ranked[1].tech_fit == 0.0
    with_all = matcher.for_firm(1, include_closed=True, include_ineligible=True)
    assert {m.programme_id for m in with_all} == {1, 2, 3, 4, 5}
    assert next(m for m in with_all if m.programme_id == 3).verdicts[0].text_ko == "설립 5년 > 3년 ✗"


def test_text_similarity_reorders_programmes_with_equal_technology_fit():
    firm = FirmProfile(1, region="서울")
    programmes = _programmes()[:2]
    firm_vectors = np.array([[1.0, 0.0]])
    programme_vectors = np.array([[0.0, 1.0], [1.0, 0.0]])  # the second is the firm's own direction
    ranked = Matcher([firm], programmes, firm_vectors, programme_vectors, PARENTS, TODAY).for_firm(1)
    assert [m.programme_id for m in ranked] == [2, 1]
    assert ranked[0].text_similarity == 1.0


def test_for_programme_lists_qualifying_firms_eligible_first():
    firms = [
        FirmProfile(1, region="서울", technologies=frozenset({"ai"})),
        FirmProfile(2, region="경기"),
        FirmProfile(3),
        FirmProfile(4, region="서울"),
    ]
    matcher = Matcher(firms, _programmes(), tech_parents=PARENTS, today=TODAY)
    result = matcher.for_programme(1)
    assert [(m.firm_id, m.status) for m in result] == [(1, ELIGIBLE), (4, ELIGIBLE), (3, NEEDS_CHECK)]
    assert [m.firm_id for m in matcher.for_programme(1, include_needs_check=False)] == [1, 4]


def test_vector_count_must_match_items():
    import pytest

    with pytest.raises(ValueError, match="2 vectors for 1 items"):
        Matcher([FirmProfile(1)], [], firm_vectors=np.zeros((2, 4)))


# ---- the vectorised all-pairs path must agree with rules.check, pair by pair -------------------
maybe = lambda strategy: st.one_of(st.none(), strategy)  # noqa: E731
firms_strategy = st.lists(
    st.builds(
        FirmProfile,
        id=st.integers(1, 10**6),
        region=maybe(st.sampled_from(["서울", "경기", "부산"])),
        district=maybe(st.sampled_from(["마포구", "강남구"])),
        age_years=maybe(st.integers(0, 40)),
        employees=maybe(st.integers(0, 2000)),
        revenue_range=maybe(st.sampled_from([(0, 10**9), (10**9, 10**10), (10**10, 5 * 10**10), (10**12, None)])),
        ksic_section=maybe(st.sampled_from(list("CJMG"))),
        certifications=st.frozensets(st.sampled_from(["venture", "innobiz", "social"]), max_size=2),
        stage=maybe(st.sampled_from(["startup", "sme", "listed"])),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda f: f.id,
)
limits = st.integers(0, 60)
rule_strategy = st.one_of(
    st.builds(
        lambda k, n, inc: Rule(k, {"max": n, "inclusive": inc}),
        st.sampled_from(["age_max", "emp_max"]),
        limits,
        st.booleans(),
    ),
    st.builds(
        lambda k, n, inc: Rule(k, {"min": n, "inclusive": inc}),
        st.sampled_from(["age_min", "emp_min"]),
        limits,
        st.booleans(),
    ),
    st.builds(
        lambda n, inc: Rule("rev_max", {"max": n, "inclusive": inc}),
        st.sampled_from([10**9, 2 * 10**9, 10**10, 10**11]),
        st.booleans(),
    ),
    st.builds(
        lambda n, inc: Rule("rev_min", {"min": n, "inclusive": inc}),
        st.sampled_from([10**9, 2 * 10**9, 10**10, 10**11]),
        st.booleans(),
    ),
    st.builds(
        lambda r, nw: Rule("region", {"regions": r, "nationwide": nw}),
        st.lists(st.sampled_from(["서울", "경기"]), max_size=2),
        st.booleans(),
    ),
    st.builds(
        lambda d: Rule("district", {"districts": d}), st.lists(st.sampled_from(["마포구", "강남구"]), max_size=2)
    ),
    st.builds(lambda s: Rule("ksic", {"sections": s}), st.lists(st.sampled_from(list("CJM")), max_size=3)),
    st.builds(lambda s: Rule("stage", {"any": s}), st.lists(st.sampled_from(["startup", "sme"]), max_size=2)),
    st.builds(
        lambda c: Rule("cert", {"any": c}), st.lists(st.sampled_from(["venture", "innobiz", "women"]), max_size=2)
    ),
    st.just(Rule("manual", {}, "확인")),
)
programmes_strategy = st.lists(
    st.builds(
        lambda i, rules: ProgrammeProfile(i, rules=tuple(rules)),
        st.integers(1, 10**6),
        st.lists(rule_strategy, max_size=4),
    ),
    min_size=1,
    max_size=10,
    unique_by=lambda p: p.id,
)


@settings(max_examples=150, deadline=None)
@given(firms_strategy, programmes_strategy)
def test_all_pairs_matrix_agrees_with_rule_by_rule_verdicts(firms, programmes):
    matrix = Matcher(firms, programmes, today=TODAY).eligibility_matrix()
    code = {status: number for number, status in OVERALL_BY_CODE.items()}
    for j, programme in enumerate(programmes):
        for i, firm in enumerate(firms):
            # A programme without rules has unknown conditions, not none.
            expected = overall([check(rule, firm) for rule in programme.rules or (UNREAD,)])
            assert matrix[j, i] == code[expected], (programme.rules, firm)


def test_a_programme_whose_announcement_gave_no_rule_needs_a_check_not_a_pass():
    firm = FirmProfile(1, region="서울", employees=10)
    matcher = Matcher([firm], [ProgrammeProfile(7, "conditions not read", rules=())], today=TODAY)
    match = matcher.explain(1, 7)
    assert match.status == NEEDS_CHECK
    assert [v.text_ko for v in match.verdicts] == [
        "확인 필요: 공고에서 신청 조건을 읽지 못했습니다. 공고 원문을 확인하세요 ?"
    ]
    assert "no condition could be read" in match.verdicts[0].text_en
    assert matcher.eligibility_matrix().tolist() == [[1]]
    assert [m.status for m in matcher.for_firm(1)] == [NEEDS_CHECK]
