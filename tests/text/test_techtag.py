"""TechnologyTagger: Korean aliases inside eojeol, English whole words, acronyms case-sensitive."""

import pytest

from seoulhub.text.techtag import TechMatch, TechnologyTagger, default_tagger


def slugs(text):
    return [m.slug for m in default_tagger().tag(text)]


@pytest.mark.parametrize(
    "text,slug",
    [
        ("인공지능을 활용한 행정", "ai"),
        ("드론으로 택배를 배송한다", "drones"),
        ("협동로봇을 공장에 도입", "robotics"),
        ("시스템반도체 투자 확대", "semiconductors"),
        ("컴퓨터 비전을 이용한 검사", "computer-vision"),
        ("컴퓨터비전 스타트업", "computer-vision"),
        ("생성형AI 열풍", "generative-ai"),
        ("Large language models for code", "generative-ai"),
        ("We train a neural network", "machine-learning"),
        ("Digital twins of cities", "metaverse"),
        ("chatbots answer questions", "nlp"),
        ("AI를 도입한 기업", "ai"),
        ("Apple Vision Pro and AR glasses", "xr"),
    ],
)
def test_tagger_finds_technology(text, slug):
    assert slug in slugs(text)


@pytest.mark.parametrize(
    "text,slug",
    [
        ("양자간 정상회담이 열렸다", "quantum"),  # 兩者, bilateral
        ("보안관이 마을에 왔다", "cybersecurity"),  # sheriff
        ("the ar and ml are lowercase words here", "xr"),
        ("the ar and ml are lowercase words here", "machine-learning"),
        ("Mr. Smith met the mayor", "xr"),
        ("a trail of breadcrumbs", "ai"),
    ],
)
def test_tagger_ignores_lookalikes(text, slug):
    assert slug not in slugs(text)


def test_tag_returns_scores_sorted_with_evidence():
    matches = default_tagger().tag("딥러닝과 머신러닝, 그리고 드론 규제")
    assert all(isinstance(m, TechMatch) for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    ml = next(m for m in matches if m.slug == "machine-learning")
    assert set(ml.evidence) == {"딥러닝", "머신러닝"}
    assert 0 < ml.score <= 1
    drone = next(m for m in matches if m.slug == "drones")
    assert ml.score > drone.score  # two strong aliases beat one short one


def test_weak_generic_word_scores_below_specific_term():
    weak = default_tagger().tag("The security of the building")[0]
    strong = default_tagger().tag("ransomware hit the hospital")[0]
    assert weak.slug == strong.slug == "cybersecurity"
    assert weak.score < 0.5 < strong.score


def test_custom_entries_and_multilabel():
    tagger = TechnologyTagger(
        [
            {"slug": "x", "name_ko": "엑스", "name_en": "Ex", "aliases_ko": ["가나다"], "aliases_en": ["foo bar"]},
            {"slug": "y", "name_ko": "와이", "name_en": "Why", "aliases_ko": [], "aliases_en": ["foo bar", "QZ"]},
        ]
    )
    assert {m.slug for m in tagger.tag("Foo-bar test")} == {"x", "y"}
    assert [m.slug for m in tagger.tag("가나다를 보라")] == ["x"]
    assert tagger.tag("qz") == [] and [m.slug for m in tagger.tag("QZ")] == ["y"]
    assert tagger.tag("") == []


def test_korean_terms_for_user_dictionary_have_no_spaces():
    terms = default_tagger().korean_terms()
    assert "인공지능" in terms and "컴퓨터비전" in terms
    assert all(" " not in t for t in terms)
