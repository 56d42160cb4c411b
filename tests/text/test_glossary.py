"""The concept lexicon of Korean queries: the glossary file, loanword back-transliteration,
compound parts, and how parse_query turns concepts into groups (concept AND)."""

import pytest

from seoulhub.radar.search import textfns
from seoulhub.radar.search.query import parse_query
from seoulhub.text import compounds
from seoulhub.text.glossary import ConceptLexicon, glossary_rows
from seoulhub.text.transliterate import Transliterator, english_skeleton, hangul_skeleton


@pytest.fixture(scope="module")
def lexicon():
    return textfns.lexicon()


def parse(text, lexicon):
    return parse_query(text, textfns.normalise, textfns.tagger(), lexicon=lexicon)


def test_glossary_file_rows_are_well_formed():
    rows = glossary_rows()
    assert len(rows) >= 3000
    by_korean = {k: e for k, e, _ in rows}
    assert by_korean["연합학습"] == ("federated learning",)
    assert "super-resolution" in by_korean["초해상도"]
    assert all(english for _, english, _ in rows)


def test_a_malformed_glossary_line_is_an_error(tmp_path):
    bad = tmp_path / "g.tsv"
    bad.write_text("# header\n연합학습 federated learning\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        glossary_rows(bad)


@pytest.mark.parametrize(
    "korean, english",
    [
        ("강화학습", ("reinforcement", "learning")),
        ("초해상도", ("super", "resolution")),
        ("사고의 사슬", ("chain", "thought")),
        ("검색 증강 생성", ("retrieval", "augmented", "generation")),
    ],
)
def test_glossary_lookup_gives_the_english_phrase(lexicon, korean, english):
    concepts = lexicon.concepts(textfns.normalise(korean))
    assert len(concepts) == 1
    assert english in concepts[0].english


def test_federated_learning_needs_both_of_its_concepts(lexicon):
    federated, learning = parse("연합학습", lexicon).groups
    assert ("federated",) in federated and ("learning",) in learning


def test_skeletons_of_a_loanword_and_its_original_agree():
    assert hangul_skeleton("페로브스카이트") == english_skeleton("perovskite") == "prpskt"
    assert hangul_skeleton("트랜스포머") == english_skeleton("transformer")
    assert hangul_skeleton("온디바이스") == english_skeleton("on-device")


def test_transliteration_finds_the_english_word_of_the_vocabulary():
    vocabulary = [("perovskite", 5), ("transformer", 50), ("transform", 60), ("on-device", 9), ("parasite", 3)]
    translit = Transliterator(vocabulary)
    assert translit.english("페로브스카이트") == "perovskite"
    assert translit.english("트랜스포머") == "transformer"  # not "transform", though more frequent
    assert translit.english("온디바이스") == "on-device"
    assert translit.english("연합학습") is None  # Sino-Korean: no English skeleton to meet


def test_the_shipped_vocabulary_back_transliterates_corpus_loanwords(lexicon):
    concepts = lexicon.concepts(["캘리브레이션"])  # not in the glossary
    assert concepts[0].source == "transliteration"
    assert concepts[0].english == [("calibration",)]


@pytest.mark.parametrize(
    "token, parts",
    [
        ("자율주행차", ("자율주행", "차")),
        ("ai반도체", ("ai", "반도체")),
        ("협동로봇", ("협동", "로봇")),
        ("양자컴퓨터", ("양자", "컴퓨터")),
    ],
)
def test_compound_parts(token, parts):
    assert compounds.parts(token) == parts


def test_words_that_are_not_compounds_stay_whole():
    assert compounds.parts("반도체") == ()
    assert compounds.parts("초해상도") == ()  # a lone prefix is no word of its own
    assert compounds.parts("robot") == ()


def test_documents_index_compounds_whole_and_in_parts_once():
    tokens = ["서울", "자율주행차", "시범", "ai반도체"]
    indexed = compounds.with_parts(tokens)
    assert indexed == ["서울", "자율주행차", "자율주행", "차", "시범", "ai반도체", "ai", "반도체"]
    assert compounds.with_parts(indexed) == indexed  # re-indexing changes nothing


def test_a_document_token_stream_has_the_parts(lexicon):
    from seoulhub.radar.ingest.items import ParsedItem
    from seoulhub.radar.ingest.process import process_item

    processed = process_item(ParsedItem(title="서울시 자율주행차 시범운행 확대", language="ko"))
    assert "자율주행차" in processed.search_text.split()
    assert "자율주행" in processed.search_text.split()


def test_on_device_ai_needs_both_concepts(lexicon):
    parsed = parse("온디바이스 AI", lexicon)
    assert len(parsed.groups) == 2
    device, ai = parsed.groups
    assert ("device",) in device and ("ai",) not in device
    assert ("ai",) in ai and ("device",) not in ai


def test_a_compound_query_accepts_its_parts_as_a_phrase(lexicon):
    (group,) = parse("자율주행차", lexicon).groups
    assert ("자율주행차",) in group and ("자율주행", "차") in group
    assert ("autonomous", "vehicle") in group


def test_a_head_noun_is_not_required_beside_other_concepts(lexicon):
    parsed = parse("수중 영상", lexicon)
    assert len(parsed.groups) == 1 and ("underwater",) in parsed.groups[0]
    assert parse("영상", lexicon).groups  # alone it is the query


def test_untranslated_words_are_relaxed_and_english_queries_unchanged(lexicon):
    parsed = parse("페로브스카이트 뭉게구름", lexicon)
    assert parsed.translated == [True, False]
    assert parsed.relaxed_groups() == [parsed.groups[0]]
    english = parse("smart city", lexicon)
    assert english.groups == parse_query("smart city", textfns.normalise, textfns.tagger()).groups


def test_the_taxonomy_fills_terms_the_glossary_lacks():
    def normalise(text):
        return text.split()

    lexicon = ConceptLexicon(
        normalise,
        [("연합학습", ("federated learning",), False)],
        [{"name_ko": "스마트시티", "name_en": "Smart city", "aliases_ko": [], "aliases_en": ["smart cities"]}],
    )
    assert lexicon.lookup(("스마트시티",)).source == "taxonomy"
    assert lexicon.lookup(("연합학습",)).english == [("federated", "learning")]


def test_a_compositional_term_is_read_as_its_concepts(lexicon):
    # traffic forecasting is traffic + forecasting: each is required, not the adjacent phrase.
    traffic, forecast = parse("교통 예측", lexicon).groups
    assert ("traffic",) in traffic and ("forecasting",) in forecast and ("prediction",) in forecast
    assert parse("연합학습", lexicon).finer_groups is None  # one token: its parts are no concepts


def test_only_a_term_its_words_spell_is_split():
    def normalise(text):
        return text.split()

    entries = [
        ("시계열 예측", ("time series forecasting",)),
        ("광학 문자 인식", ("optical character recognition", "OCR")),
        ("사고 사슬", ("chain of thought",)),
        ("시계열", ("time series",)),
        ("예측", ("prediction", "forecasting")),
        ("광학", ("optical",)),
        ("문자", ("character",)),
        ("인식", ("recognition",)),
        ("사고", ("accident",)),
        ("사슬", ("chain",)),
        ("학습", ("learning",), True),
        ("연합 학습", ("federated learning",)),
        ("연합", ("federated",)),
    ]
    lexicon = ConceptLexicon(normalise, entries)
    assert [c.tokens for c in lexicon.concepts(["시계열", "예측"])] == [("시계열",), ("예측",)]
    assert [c.tokens for c in lexicon.concepts(["광학", "문자", "인식"])] == [("광학", "문자", "인식")]  # OCR
    assert [c.tokens for c in lexicon.concepts(["사고", "사슬"])] == [("사고", "사슬")]  # an idiom
    federated, learning = lexicon.concepts(["연합", "학습"])
    assert not learning.optional  # the head noun of a split term is required with it
    lexicon.split_compositional = False
    assert [c.tokens for c in lexicon.concepts(["시계열", "예측"])] == [("시계열", "예측")]


def test_a_compound_the_glossary_lacks_is_composed_from_its_parts():
    def normalise(text):
        return text.split()

    lexicon = ConceptLexicon(normalise, [("양자", ("quantum",)), ("컴퓨터", ("computer",))])
    (concept,) = lexicon.concepts(["양자컴퓨터"])
    assert concept.source == "compound" and concept.english == [("quantum", "computer")]
    assert lexicon.concepts(["양자뭉게"])[0].english == []  # a part without English: nothing composed


def test_a_word_the_normaliser_drops_does_not_redefine_the_rest(lexicon):
    # 긴 문맥 normalises to 문맥: 문맥 alone must stay "context", not "long context".
    (concept,) = lexicon.concepts(textfns.normalise("문맥"))
    assert ("context",) in concept.english and ("long", "context") not in concept.english


def test_an_english_query_gets_no_rendering_to_embed_or_weigh(lexicon):
    assert parse("smart city", lexicon).english_text == ""
    assert parse("스마트시티", lexicon).english_text


def test_a_term_the_normaliser_shortens_does_not_take_over_a_shorter_term(lexicon):
    # 양자화 normalises to 양자; the glossary's own 양자 (quantum) must win.
    (concept,) = lexicon.concepts(textfns.normalise("양자"))
    assert ("quantum",) in concept.english and ("quantization",) not in concept.english


def test_the_written_query_tells_the_shortened_term(lexicon):
    (concept,) = [c for c in parse("모델 양자화", lexicon).groups]
    assert ("quantization",) in concept and ("quantum",) not in concept
    (quantum,) = parse("양자", lexicon).groups
    assert ("quantum",) in quantum and ("quantization",) not in quantum
    # 깊이 추정 normalises to 추정 alone: written so, it is depth estimation; 추정 alone is not.
    assert ("depth", "estimation") in parse("깊이 추정", lexicon).groups[0]
    assert ("depth", "estimation") not in parse("추정", lexicon).groups[0]


def test_a_loanword_the_normaliser_breaks_is_transliterated_as_written(lexicon):
    text = "스펙트로그램 분석"
    tokens = textfns.normalise(text)
    assert "스펙트로그램" not in tokens  # Kiwi does not know the word
    concepts = lexicon.concepts(tokens, text=text)
    assert concepts[0].source == "transliteration" and concepts[0].english == [("spectrogram",)]


def test_a_fragment_the_normaliser_leaves_of_a_term_does_not_mean_the_term():
    def normalise(text):  # drops a leading 홀로, as Kiwi does
        return [w.removeprefix("홀로") for w in text.split() if w.removeprefix("홀로")]

    lexicon = ConceptLexicon(normalise, [("홀로그램", ("hologram",))])
    assert lexicon.lookup(("그램",)) is None
    assert lexicon.concepts(["그램"], text="홀로그램")[0].english == [("hologram",)]


def test_english_neighbours_keep_only_close_words():
    import numpy as np

    from seoulhub.text.neighbours import EnglishNeighbours

    words = ["crowd", "crowds", "union"]
    matrix = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0]], dtype=np.float32)
    vectors = {"군중": [1.0, 0.0], "연합": [0.5, 0.6]}
    neighbours = EnglishNeighbours(words, matrix, lambda texts: np.array([vectors[t] for t in texts]))
    assert neighbours.nearest("군중") == ("crowd", "crowds")  # the runner-up is within the margin
    assert neighbours.nearest("연합") == ()  # 0.6 at best: not close enough
    assert neighbours.nearest("체") == ()  # a lone syllable is a fragment, not a word


def test_the_encoder_renders_a_word_nothing_else_does():
    def normalise(text):
        return text.split()

    from seoulhub.text.neighbours import default_neighbours

    lexicon = ConceptLexicon(normalise, [], neighbours=default_neighbours())
    (concept,) = lexicon.concepts(["군중"])
    assert concept.source == "encoder" and ("crowd",) in concept.english


def test_a_term_matches_with_any_spacing():
    def normalise(text):
        return text.split()

    lexicon = ConceptLexicon(normalise, [("대규모 언어 모델", ("large language model",))])
    for spaced in (("대규모", "언어모델"), ("대규모언어", "모델"), ("대규모언어모델",)):
        assert lexicon.lookup(spaced).english == [("large", "language", "model")]
