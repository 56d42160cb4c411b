"""The fast paths of the per-item text processing give what the plain versions gave.

Expected values were produced by the implementations before they were optimised (token cache,
ASCII shortcuts, counted keyword scores, n-gram sizes per first word in the tagger).
"""

from seoulhub.radar.ingest import process as pipeline
from seoulhub.text import keywords, language, normalise
from seoulhub.text.techtag import default_tagger


def test_latin_tokens_ascii_and_unicode_paths_agree():
    assert normalise.latin_tokens("Don't use e.g. 3.14 Networks, the U.S.A. and O'Reilly's ﬁnance") == [
        "dont",
        "e.g",
        "3.14",
        "network",
        "u.s.a",
        "oreilly",
        "finance",
    ]
    # Full-width letters take the NFKC path and must give what their ASCII forms give.
    assert normalise.latin_tokens("Ｎｅｔｗｏｒｋｓ ｏｆ Ｃｉｔｉｅｓ 한국어 models") == ["network", "city", "model"]
    assert normalise.latin_tokens("The Networks of Cities", keep_stopwords=True) == ["the", "network", "of", "city"]


def test_latin_tokens_cache_does_not_leak_between_stopword_modes(monkeypatch):
    monkeypatch.setattr(normalise, "_TOKEN_CACHE_SIZE", 2)  # forces the cache to empty itself
    for _ in range(3):
        assert normalise.latin_tokens("the networks of the cities") == ["network", "city"]
        assert normalise.latin_tokens("the networks of the cities", keep_stopwords=True) == [
            "the",
            "network",
            "of",
            "the",
            "city",
        ]


def test_detect_stop_word_scores():
    assert language.detect("Le modèle est entraîné sur les données") == "fr"
    assert language.detect("der die das und ist") == "de"
    assert language.detect("Graph Transformers", hint="ko") == "ko"
    assert language.detect("Graph Transformers") == "en"
    assert language.detect("la la el el") == "es"  # a tie goes to the first language listed


def test_tagger_plurals_case_and_ngrams():
    tag = default_tagger().tag
    assert [(m.slug, m.score, m.evidence) for m in tag("Digital twins and chatbots for LLMs")] == [
        ("metaverse", 0.6321, ["digital twins"]),
        ("nlp", 0.6321, ["chatbot"]),
        ("generative-ai", 0.5034, ["LLMs"]),
    ]
    assert tag("llms and ml in ar") == []
    assert [m.slug for m in tag("Machine-learning with digital-twins")] == ["machine-learning", "metaverse"]
    assert [(m.slug, m.evidence) for m in tag("양자간 회담, 양자컴퓨터와 협동로봇을")] == [
        ("quantum", ["양자컴퓨터"]),
        ("robotics", ["협동로봇"]),
    ]


def test_keywords_ties_bigrams_and_k():
    assert keywords.extract(
        ["graph", "neural", "network"],
        ["graph", "neural", "network", "graph", "neural", "network", "training", "data", "data", "12", "x"],
    ) == ["graph neural", "neural network", "training", "data"]
    assert keywords.extract([], ["aa", "bb", "aa", "bb", "cc", "dd"], k=3) == ["aa bb", "cc", "dd"]
    assert keywords.extract(["인공지능", "반도체"], ["인공지능", "삼성", "전자", "ai", "chip", "ai", "chip"]) == [
        "인공지능",
        "ai chip",
        "반도체",
        "삼성",
        "전자",
    ]


def test_context_hits_case_and_cap():
    assert pipeline._context_hits("IT kt 데이터 스마트폰 Google", "ko") == ["google", "스마트폰", "데이터", "IT"]
    assert pipeline._context_hits("DATA and Models with digital Data", "en") == ["digital", "data", "models"]
    assert pipeline._context_hits("data model network video image token neural", "en") == [
        "data",
        "model",
        "network",
        "video",
        "image",
    ]


def test_whitespace_collapse_matches_unicode_whitespace():
    assert pipeline.html_to_text("\u3000a\x1cb\u2028c  <p>d</p>e&amp;f") == "a b c d e&f"
    assert pipeline.html_to_text(" a\u00a0\n b ") == "a b"
    assert (
        pipeline.content_hash("Title", " Body\u3000text ")
        == pipeline.content_hash("title", "body text")
        == ("8cb84771f16cd1b8c7c13740a5c65d205a40ee442736f2bd638c9f5a5bef4981")
    )


def test_canonical_url_with_and_without_query():
    assert pipeline.canonical_url("HTTPS://Ex.com:443/a?utm_source=x&b=2&a=1#f") == "https://ex.com/a?a=1&b=2"
    assert pipeline.canonical_url("http://ex.com") == "http://ex.com/"
