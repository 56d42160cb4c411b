"""Emerging keywords are technical terms: genre words never trend, spellings of one concept count
as one, and the judged development check holds (data/trends/devcheck.json)."""

import json

import pytest

from seoulhub.trends import terms
from seoulhub.trends.emergence import rank_emerging

DEVCHECK = json.loads((terms.DATA_DIR / "trends" / "devcheck.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("word", DEVCHECK["never"])
def test_genre_words_of_the_development_check_are_never_candidates(word):
    assert terms.is_genre(word)


@pytest.mark.parametrize(
    "term",
    [
        "world model",
        "agentic",
        "llm agent",
        "gaussian splatting",
        "인공지능",
        "거대언어모델",
        "self evolving",
        "long horizon",
        "diffusion",
        "5g",
        "양자컴퓨터",
    ],
)
def test_technical_terms_and_noun_phrases_are_kept(term):
    assert not terms.is_genre(term)


def test_korean_background_corpus_discounts_everyday_news_words():
    # Frequent in general news headlines and not a technical concept: genre (even if not listed).
    assert terms.background_share("종합") > terms.BACKGROUND_MAX_DF > terms.background_share("인공지능")
    assert terms.is_genre("코로나") and not terms.is_genre("인공지능")


def test_phrases_of_function_or_genre_words_are_dropped():
    assert terms.is_genre("towards robust") and terms.is_genre("novel framework") and terms.is_genre("model via")
    assert not terms.is_genre("agent skill")


def test_spellings_and_languages_of_one_concept_are_one():
    labels = {terms.concept_of(t) for t in ["LLM", "LLMs", "large language model", "대형 언어 모델", "거대언어모델"]}
    assert labels == {"LLM"}
    assert terms.concept_of("Reinforcement-Learning") == terms.concept_of("강화학습")
    assert {"llm", "large language", "거대언어모델"} <= terms.spellings_of("LLM")


def test_grouped_series_merge_spellings_and_rank_as_one_concept():
    periods = ["2026-01", "2026-02", "2026-03", "2026-04"]
    totals = dict.fromkeys(periods, 100)
    series = {
        "llm": {"2026-01": 2, "2026-02": 2, "2026-03": 9, "2026-04": 9},
        "거대언어모델": {"2026-03": 6, "2026-04": 6},
        "종합": {"2026-01": 1, "2026-02": 1, "2026-03": 40, "2026-04": 40},  # a genre spike
        "using": {"2026-03": 30, "2026-04": 30},
    }
    grouped = terms.group_series(series, totals)
    assert set(grouped) == {"LLM"} and grouped["LLM"]["2026-03"] == 15
    ranked = rank_emerging(grouped, totals, periods, 2, 2, min_recent=terms.MIN_RECENT_KEYWORD)
    assert [e.term for e in ranked] == ["LLM"] and ranked[0].recent == 30


def test_merged_counts_never_exceed_the_items_of_a_period():
    grouped = terms.group_series({"llm": {"2026-01": 3}, "large language model": {"2026-01": 3}}, {"2026-01": 4})
    assert grouped["LLM"]["2026-01"] == 4
