"""Full-text engines (SQLite FTS5, PostgreSQL tsvector) on plain (id, token stream) rows of real
arXiv titles, plus rank fusion and snippets. No Django: the engines work on a DB-API cursor."""

import gzip
import importlib
import itertools
import json
import os
import re
import sqlite3
import uuid
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seoulhub.radar.search.base import Restriction
from seoulhub.radar.search.fusion import reciprocal_rank_fusion
from seoulhub.radar.search.postgres_fts import PostgresFtsEngine, engine_for
from seoulhub.radar.search.snippets import highlight
from seoulhub.radar.search.sqlite_fts import Fts5Engine, match_expression
from seoulhub.radar.search.vectors import VectorIndex, write_index

ARXIV_TITLES = Path(__file__).resolve().parents[2] / "data" / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"


def real_titles(n=3000):
    with gzip.open(ARXIV_TITLES, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["title"] for line in itertools.islice(fh, n)]


def tokens(title: str) -> str:
    # Engines take an already-normalised stream; the hub's normaliser is tested elsewhere.
    return " ".join(re.findall(r"\w+", title.lower()))


# The index as the radar migrations create it (their SQL is frozen there), over a radar_article
# table of (id, search_text, lang).
FTS5_SQL = importlib.import_module("seoulhub.radar.migrations.0003_search_index")
TSV_SQL = importlib.import_module("seoulhub.radar.migrations.0007_postgres_narrow_tsvector")

TITLES = real_titles()
DOCS = [(i + 1, tokens(t)) for i, t in enumerate(TITLES)]


def stream_matches(search_text: str, groups) -> bool:
    """The engines' reading of a query, in Python: every group has an alternative whose tokens
    occur consecutively."""
    words = search_text.split()
    return all(
        any(phrase and any(words[i : i + len(phrase)] == list(phrase) for i in range(len(words))) for phrase in group)
        for group in groups
        if group
    )


def with_word(word):
    return {i for i, text in DOCS if word in text.split()}


class SqliteDocs:
    vendor = "sqlite"
    mark = "?"

    def __init__(self):
        self.connection = sqlite3.connect(":memory:", isolation_level=None)
        self.cursor = self.connection.cursor()
        self.cursor.execute("CREATE TABLE radar_article (id INTEGER PRIMARY KEY, search_text TEXT, lang TEXT)")
        self.engine = Fts5Engine()
        self.create_index, self.drop_index = FTS5_SQL.SQLITE_CREATE, FTS5_SQL.SQLITE_DROP

    def close(self):
        self.connection.close()


class PostgresDocs:
    vendor = "postgresql"
    mark = "%s"

    def __init__(self):
        psycopg = pytest.importorskip("psycopg")
        url = os.environ.get("SEARCH_TEST_PG", "postgresql://root@127.0.0.1:5432/test")
        try:
            self.connection = psycopg.connect(url, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as exc:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"PostgreSQL not reachable: {exc}")
        self.schema = "search_test_" + uuid.uuid4().hex[:8]
        self.cursor = self.connection.cursor()
        self.cursor.execute(f"CREATE SCHEMA {self.schema}")
        self.cursor.execute(f"SET search_path TO {self.schema}")
        self.cursor.execute("CREATE TABLE radar_article (id bigint PRIMARY KEY, search_text text, lang text)")
        self.engine = PostgresFtsEngine()
        self.create_index, self.drop_index = TSV_SQL.NARROW_CREATE, TSV_SQL.NARROW_DROP

    def close(self):
        self.cursor.execute(f"DROP SCHEMA {self.schema} CASCADE")
        self.connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def docs(request):
    store = SqliteDocs() if request.param == "sqlite" else PostgresDocs()
    for statement in store.create_index:
        store.cursor.execute(statement)
    store.cursor.executemany(
        f"INSERT INTO radar_article (id, search_text, lang) VALUES ({store.mark}, {store.mark}, {store.mark})",
        [(i, text, "en" if i % 3 else "ko") for i, text in DOCS],
    )
    yield store
    store.close()


def test_single_word_finds_exactly_the_titles_with_that_word(docs):
    hits = docs.engine.search(docs.cursor, [[("segmentation",)]], limit=10_000)
    assert {i for i, _ in hits} == with_word("segmentation")
    assert docs.engine.count(docs.cursor, [[("segmentation",)]]) == len(with_word("segmentation"))
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)


def test_groups_are_anded_and_alternatives_ored(docs):
    groups = [[("video",), ("image",)], [("generation",)]]
    expected = (with_word("video") | with_word("image")) & with_word("generation")
    assert expected
    assert {i for i, _ in docs.engine.search(docs.cursor, groups, limit=10_000)} == expected


def test_phrase_alternative_needs_adjacent_tokens(docs):
    phrase_hits = {i for i, _ in docs.engine.search(docs.cursor, [[("language", "models")]], limit=10_000)}
    both = with_word("language") & with_word("models")
    adjacent = {i for i, text in DOCS if " language models" in " " + text}
    assert phrase_hits == adjacent and phrase_hits < both


def test_bm25_prefers_a_short_title_over_a_long_one_with_the_same_word(docs):
    hits = docs.engine.search(docs.cursor, [[("segmentation",)]], limit=10_000)
    lengths = {i: len(text.split()) for i, text in DOCS}
    top, bottom = hits[0][0], hits[-1][0]
    assert lengths[top] <= lengths[bottom]


def _by_score_then_id(hits):
    return sorted(((round(score, 9), i) for i, score in hits), key=lambda hit: (-hit[0], hit[1]))


def test_sqlite_ranking_is_fts5s_own_rank_order():
    """The engine orders by bm25() rather than FTS5's `rank` column, which is slower; the two
    must agree, scores and order (ties compared by id)."""
    store = SqliteDocs()
    for statement in store.create_index:
        store.cursor.execute(statement)
    store.cursor.executemany("INSERT INTO radar_article (id, search_text, lang) VALUES (?, ?, 'en')", DOCS)
    for groups in ([[("learning",)]], [[("video",), ("image",)], [("generation",)]], [[("language", "models")]]):
        ours = store.engine.search(store.cursor, groups, limit=10_000, window=0)
        store.cursor.execute(
            "SELECT rowid, -rank FROM radar_article_fts WHERE radar_article_fts MATCH ? ORDER BY rank",
            [match_expression(groups)],
        )
        fts5 = store.cursor.fetchall()
        assert len(ours) == len(fts5) > 10
        assert _by_score_then_id(ours) == _by_score_then_id(fts5)
        assert [round(score, 9) for _, score in ours] == [round(score, 9) for _, score in fts5]
    store.close()


def test_restriction_and_deep_offsets(docs):
    only_ko = Restriction("SELECT id FROM radar_article WHERE lang = 'ko'")
    hits = docs.engine.search(docs.cursor, [[("learning",)]], limit=10_000, restrict=only_ko)
    assert {i for i, _ in hits} == {i for i in with_word("learning") if i % 3 == 0}
    full = docs.engine.search(docs.cursor, [[("learning",)]], limit=10_000)
    page = docs.engine.search(docs.cursor, [[("learning",)]], limit=5, offset=20)
    assert [i for i, _ in page] == [i for i, _ in full[20:25]]


def test_index_follows_inserts_updates_and_deletes(docs):
    mark = docs.mark
    docs.cursor.execute(
        f"INSERT INTO radar_article (id, search_text, lang) VALUES ({mark}, {mark}, 'ko')",
        (99_999, "스마트 시티 서울 플랫폼"),
    )
    assert [i for i, _ in docs.engine.search(docs.cursor, [[("스마트", "시티")]], limit=10)] == [99_999]
    docs.cursor.execute(f"UPDATE radar_article SET search_text = {mark} WHERE id = {mark}", ("자율 주행 서울", 99_999))
    assert docs.engine.search(docs.cursor, [[("스마트",)]], limit=10) == []
    assert [i for i, _ in docs.engine.search(docs.cursor, [[("자율",)]], limit=10)] == [99_999]
    docs.cursor.execute(f"DELETE FROM radar_article WHERE id = {mark}", (99_999,))
    assert docs.engine.search(docs.cursor, [[("자율",)]], limit=10) == []


def test_postgres_index_covers_rows_written_before_it_and_follows_truncate_and_id_changes():
    store = PostgresDocs()
    try:
        store.cursor.executemany("INSERT INTO radar_article (id, search_text, lang) VALUES (%s, %s, 'en')", DOCS[:50])
        for statement in store.create_index:
            store.cursor.execute(statement)
        expected = {i for i, text in DOCS[:50] if "learning" in text.split()}
        assert expected
        assert {i for i, _ in store.engine.search(store.cursor, [[("learning",)]], limit=100)} == expected
        # Creating it again (a re-run migration) neither fails nor duplicates entries.
        for statement in store.create_index:
            store.cursor.execute(statement)
        store.cursor.execute("SELECT count(*), count(DISTINCT id) FROM radar_article_tsv")
        assert store.cursor.fetchone() == (50, 50)
        moved = min(expected)
        store.cursor.execute("UPDATE radar_article SET id = 77777 WHERE id = %s", [moved])
        found = {i for i, _ in store.engine.search(store.cursor, [[("learning",)]], limit=100)}
        assert found == expected - {moved} | {77777}
        store.cursor.execute("TRUNCATE radar_article")
        store.cursor.execute("SELECT count(*) FROM radar_article_tsv")
        assert store.cursor.fetchone() == (0,)
        for statement in store.drop_index:
            store.cursor.execute(statement)
        store.cursor.execute("SELECT to_regclass('radar_article_tsv')")
        assert store.cursor.fetchone() == (None,)
        store.cursor.execute("INSERT INTO radar_article (id, search_text, lang) VALUES (1, 'still writable', 'en')")
    finally:
        store.close()


def test_a_rolled_back_write_leaves_no_index_entry(docs):
    mark = docs.mark
    docs.cursor.execute("BEGIN")
    docs.cursor.execute(
        f"INSERT INTO radar_article (id, search_text, lang) VALUES ({mark}, {mark}, 'ko')", (88_888, "양자 컴퓨팅")
    )
    docs.cursor.execute("ROLLBACK")
    assert docs.engine.search(docs.cursor, [[("양자",)]], limit=10) == []


@pytest.mark.parametrize(
    "hostile", ['"', 'a" OR "b', "NEAR(a b)", "title:x", "*", "-", "a AND", "'); DROP TABLE radar_article; --", "&|!:*"]
)
def test_query_syntax_in_user_text_is_matched_literally_not_executed(docs, hostile):
    hits = docs.engine.search(docs.cursor, [[(hostile,)], [("learning",)]], limit=5)
    assert isinstance(hits, list)
    docs.cursor.execute("SELECT count(*) FROM radar_article")
    assert docs.cursor.fetchone()[0] == len(DOCS)


def test_both_engines_return_the_same_ids_for_the_same_query():
    sqlite_docs, pg_docs = SqliteDocs(), PostgresDocs()
    try:
        for store in (sqlite_docs, pg_docs):
            for statement in store.create_index:
                store.cursor.execute(statement)
            store.cursor.executemany(
                f"INSERT INTO radar_article (id, search_text, lang) VALUES ({store.mark}, {store.mark}, 'en')", DOCS
            )
        for groups in ([[("diffusion",)]], [[("vision",)], [("language",), ("text",)]], [[("3d",)], [("gaussian",)]]):
            a = {i for i, _ in sqlite_docs.engine.search(sqlite_docs.cursor, groups, limit=10_000)}
            b = {i for i, _ in pg_docs.engine.search(pg_docs.cursor, groups, limit=10_000)}
            assert a == b and a, groups
    finally:
        sqlite_docs.close()
        pg_docs.close()


def test_match_expression_quotes_every_token():
    assert (
        match_expression([[("인공지능",), ("ai",)], [("smart", "city")]]) == '("인공지능" OR "ai") AND ("smart city")'
    )
    assert match_expression([[('say "hi"',)]]) == '("say ""hi""")'


def test_engine_for_refuses_an_unknown_database():
    assert isinstance(engine_for("sqlite"), Fts5Engine)
    with pytest.raises(ValueError, match="SQLite and PostgreSQL"):
        engine_for("mysql")


def test_rrf_rewards_agreement_between_lists():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 4, 1]])
    assert [doc for doc, _ in fused][:2] == [1, 3]  # in both lists
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 63)
    assert {doc for doc, _ in fused} == {1, 2, 3, 4}


def _rrf_by_definition(rankings, k=60, weights=None):
    scores = {}
    for index, ranking in enumerate(rankings):
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + (1.0 if weights is None else weights[index]) / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), max_size=30), max_size=3), st.integers(1, 100))
def test_rrf_gives_the_definitions_scores_to_the_last_bit_and_breaks_ties_by_id(rankings, k):
    assert reciprocal_rank_fusion(rankings, k=k) == _rrf_by_definition(rankings, k=k)
    weights = [0.5 + i for i in range(len(rankings))]
    assert reciprocal_rank_fusion(rankings, k=k, weights=weights) == _rrf_by_definition(rankings, k, weights)


def unit_vectors(count, seed=7):
    vectors = np.random.default_rng(seed).normal(size=(count, 512)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_vector_index_searches_its_file_and_the_exact_tail_and_follows_a_replaced_file(tmp_path):
    vectors = unit_vectors(500)
    path = tmp_path / "vectors.usearch"
    asked = []

    def tail(after):  # articles embedded after the file was written, as the service reads them
        asked.append(after)
        ids = np.arange(after + 1, 501)
        return ids, vectors[ids - 1]

    index = VectorIndex(path, tail=tail)
    exact = list(np.argsort(-(vectors @ vectors[42]))[:10] + 1)
    assert [i for i, _ in index.search(vectors[42], 10)] == exact and asked == [0]  # no file: all exact
    assert write_index(path, [(np.arange(1, 401), vectors[:400])]) == 400
    assert index.largest() == 400
    assert [i for i, _ in index.search(vectors[42], 10)] == exact and asked[-1] == 400
    assert index.search(vectors[449], 1)[0][0] == 450  # from the tail
    assert write_index(path, [(np.arange(401, 501), vectors[400:])], start_from=path) == 500
    assert index.largest() == 500 and len(index.snapshot()) == 500  # the replaced file, reopened
    assert index.search(vectors[449], 1)[0][0] == 450
    hits = index.search(vectors[42], 20, min_similarity=0.1)
    assert hits[0] == (43, pytest.approx(1.0, abs=1e-3)) and all(score >= 0.1 for _, score in hits)


def test_snippet_marks_korean_inside_eojeol_and_escapes_html():
    text = "서울시는 <b>인공지능</b> 반도체 산업을 키운다. 인공지능을 활용한 스마트시티 사업도 시작했다."
    snippet = highlight(text, ["인공지능", "반도체"])
    assert snippet.count("<mark>인공지능</mark>") == 2 and "<mark>반도체</mark>" in snippet
    assert "&lt;b&gt;" in snippet and "<b>" not in snippet


def test_snippet_window_moves_to_the_matches_in_a_long_text():
    text = (
        "Filler words about nothing in particular. " * 20 + "A new AI chip for edge inference." + " More filler." * 20
    )
    snippet = highlight(text, ["chip", "inference"], width=120)
    assert "<mark>chip</mark>" in snippet and "<mark>inference</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>" not in highlight("microchips everywhere", ["chip"])


def test_a_very_broad_query_ranks_the_newest_window_and_caps_the_count(docs):
    everything = with_word("learning")
    assert len(everything) > 60
    hits = docs.engine.search(docs.cursor, [[("learning",)]], limit=20, window=50)
    newest_50 = set(sorted(everything)[-50:])
    assert len(hits) == 20 and {i for i, _ in hits} <= newest_50
    ranked_window = docs.engine.search(docs.cursor, [[("learning",)]], limit=50, window=50)
    assert {i for i, _ in ranked_window} == newest_50
    assert docs.engine.count(docs.cursor, [[("learning",)]], cap=40) == 41
    assert docs.engine.count(docs.cursor, [[("learning",)]], cap=None) == len(everything)
    # A page beyond the window widens it rather than returning nothing.
    page = docs.engine.search(docs.cursor, [[("learning",)]], limit=10, offset=55, window=50)
    assert len(page) == 10


def test_stream_matches_agrees_with_both_engines(docs):
    for groups in (
        [[("video",), ("image",)], [("generation",)]],
        [[("language", "models")]],
        [[("3d",)], [("gaussian",)]],
    ):
        engine_ids = {i for i, _ in docs.engine.search(docs.cursor, groups, limit=10_000, window=None)}
        python_ids = {i for i, text in DOCS if stream_matches(text, groups)}
        assert engine_ids == python_ids, groups


class FixedVectors:
    """A vector index that returns the same hits for any query (the hybrid count is under test)."""

    def __init__(self, hits):
        self.hits = hits

    def __len__(self):
        return len(self.hits)

    def search(self, query, k, min_similarity=-1.0):
        return self.hits[:k]


class SmallCap:
    """The docs engine with a small count cap and window."""

    def __init__(self, engine, cap=20, window=10):
        self.engine, self.cap, self.window, self.vendor = engine, cap, window, engine.vendor

    def search(self, cursor, groups, limit, offset=0, restrict=None):
        return self.engine.search(cursor, groups, limit, offset, restrict, window=self.window)

    def count(self, cursor, groups, restrict=None):
        return self.engine.count(cursor, groups, restrict, cap=self.cap)


def test_hybrid_count_adds_vector_only_hits_when_every_match_was_fetched(docs):
    """When more matches exist than were fetched, a vector hit outside the page may be one of them:
    the total is the capped match count. When all were fetched, vector-only hits add to it."""
    from seoulhub.radar.search.hybrid import HybridSearcher

    learning = sorted(i for i, text in DOCS if stream_matches(text, [[("learning",)]]))
    others = sorted(i for i, text in DOCS if not stream_matches(text, [[("learning",)]]))
    assert len(learning) > 100
    old_matches, old_others = learning[:3], others[:4]  # far below the newest 21 matches

    def searcher(cap):
        return HybridSearcher(
            SmallCap(docs.engine, cap=cap, window=10),
            FixedVectors([(i, 0.9) for i in old_matches + old_others]),
            lambda text: text.lower().split(),
            lambda text: np.ones(4, np.float32),
        )

    result = searcher(cap=20).search(docs.cursor, "learning", depth=5)
    assert result.lexical_count == 21 and result.count == 21  # "more than 20"
    every = searcher(cap=None).search(docs.cursor, "learning", depth=1000)
    assert every.lexical_count == len(learning) == len(every.lexical_ids)
    assert every.count == len(learning) + len(old_others)


def test_the_index_file_finds_what_exact_search_finds_on_real_embeddings(tmp_path):
    """Recall of the usearch file against exact search on real USE vectors of arXiv titles; the
    scores are the cosines of the stored (float16) vectors, so a similarity floor means what it says."""
    from seoulhub.text.embed import embed as embed_many

    vectors = embed_many(TITLES[:1500])
    ids = np.arange(1, len(vectors) + 1)
    write_index(tmp_path / "vectors.usearch", [(ids[:700], vectors[:700]), (ids[700:], vectors[700:])])
    index = VectorIndex(tmp_path / "vectors.usearch")
    recalls = []
    for probe in embed_many(
        [
            "video diffusion model",
            "speech recognition for Korean",
            "3D scene reconstruction",
            "인공지능 반도체",
            "robot manipulation policy",
        ]
    ):
        exact = vectors @ probe
        hits = index.search(probe, 10)
        recalls.append(len({int(d) for d in np.argsort(-exact)[:10] + 1} & {d for d, _ in hits}) / 10)
        assert np.allclose([s for _, s in hits], [exact[d - 1] for d, _ in hits], atol=2e-3)
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert sum(recalls) / len(recalls) >= 0.9
    assert len(index.snapshot()) == len(vectors)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["ai", "chip", "인공지능", "x", "data set", "the"]), min_size=1, max_size=4),
    st.lists(
        st.sampled_from(["ai", "chips", "인공지능을", "x", "data  set", "the", "microchip", "lorem", "ipsum", "."]),
        max_size=120,
    ),
    st.integers(min_value=5, max_value=80),
)
def test_snippet_window_is_the_one_covering_most_matches(terms, words, width):
    """The one-pass window choice agrees with counting, for every match, the matches its window covers."""
    from seoulhub.radar.search.snippets import _densest_window_start, _pattern_of

    text = " ".join(words)
    pattern = _pattern_of(tuple(terms))
    matches = list(pattern.finditer(text)) if pattern else []
    if not matches:
        return
    best_start, best_hits = matches[0].start(), 0
    for first in matches:
        hits = sum(1 for m in matches if first.start() <= m.start() and m.end() <= first.start() + width)
        if hits > best_hits:
            best_start, best_hits = first.start(), hits
    assert _densest_window_start(matches, width) == best_start
