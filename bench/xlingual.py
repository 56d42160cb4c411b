"""Korean->English search benchmark: P@10 and nDCG@10 of English results for Korean queries.

    seoulhub bench xlingual [--configs before,after] [--depth 100] [--per-query]

Corpus: the demo feeds (data/feeds: 3,737 arXiv cs titles, 1,183 arXiv titles with abstracts,
961 KLUE-YNAT Korean headlines), tokenised by the pipeline's own functions and embedded by the
hub's encoder as ingestion does (embeddings cached under var/bench-cache/). Queries and their
judgements: bench/data/ko_en_queries.json (an English item is relevant when its title matches
every pattern of the query).

Each query runs through `HybridSearcher.search` over an in-memory SQLite FTS5 index and an exact
vector index; the ranking's English items are cut at 10. Configurations:

* before: the search as it was (no concept lexicon, documents without compound parts);
* lexical: concepts and English renderings for the full-text half, query embedded as typed;
* after: as lexical, and the English renderings also embedded with the query (the hub's default);
* english-only: as lexical, the embedding of the English renderings alone;
* leave-out: as after, with every glossary entry that a dev query uses removed (how the rest of
  the machinery - taxonomy, transliteration, compound parts, fallback - does on unseen terms);
* leave-out-words: as leave-out, and also the entries of the words a compositional term is read
  as (모델 병합 -> 모델, 병합): the machinery without any of the query's own vocabulary.

Also timed: parse_query per query with and without the lexicon (the expansion's added cost).
`--cost-docs N` instead times what the expansion adds to a search at a larger scale: the
full-text half (HybridSearcher without vectors, SQLite FTS5, N documents resampled from the
shipped arXiv titles, abstracts and the Korean headlines) with and without the lexicon, and the
query embedding of the query alone and with its English rendering.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib
import json
import math
import re
import sqlite3
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# The full-text index as the radar migrations create it (their SQL is frozen there).
FTS5_SQL = importlib.import_module("seoulhub.radar.migrations.0003_search_index")

FEEDS = REPO / "data" / "feeds"
QUERY_SETS = {
    "first": REPO / "bench" / "data" / "ko_en_queries.json",
    "second": REPO / "bench" / "data" / "ko_en_queries_2.json",
}
QUERIES = QUERY_SETS["first"]
CACHE = REPO / "var" / "bench-cache"
CONFIGS = ("before", "lexical", "after", "english-only", "leave-out", "leave-out-words")


def load_corpus(titles: str = "every20th") -> list[dict]:
    """[{lang, title, text}] of the demo feeds, in a fixed order. `titles` picks the titles feed:
    every20th (3,737, the bench's default) or every2nd (37,364, what `seoulhub ingest --demo` loads)."""
    docs = []
    with gzip.open(FEEDS / "arxiv_cs_full_2025-10_every4th.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            docs.append(
                {
                    "lang": "en",
                    "title": " ".join(record["title"].split()),
                    "text": " ".join((record.get("summary") or "").split()),
                }
            )
    with gzip.open(FEEDS / f"arxiv_cs_titles_{titles}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            docs.append({"lang": "en", "title": " ".join(json.loads(line)["title"].split()), "text": ""})
    for item in ET.parse(FEEDS / "klue-ynat-it-economy.xml").getroot().iter("item"):
        docs.append({"lang": "ko", "title": (item.findtext("title") or "").strip(), "text": ""})
    return docs


def embeddings(docs: list[dict]) -> np.ndarray:
    from seoulhub.text.embed import embed as embed_texts

    texts = [f"{d['title']}. {d['text'][:300]}" for d in docs]  # as tasks.embed_pending embeds
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"xlingual-{key}.npy"
    if path.exists():
        return np.load(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    matrix = np.concatenate([embed_texts(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    np.save(path, matrix)
    return matrix


def build_index(docs: list[dict], with_parts: bool):
    from seoulhub.radar.ingest import process as pipeline
    from seoulhub.radar.search.sqlite_fts import Fts5Engine
    from seoulhub.text import compounds

    engine = Fts5Engine()
    connection = sqlite3.connect(":memory:")
    cursor = connection.cursor()
    cursor.execute("CREATE TABLE radar_article (id INTEGER PRIMARY KEY, search_text TEXT)")
    for statement in FTS5_SQL.SQLITE_CREATE:
        cursor.execute(statement)
    rows = []
    for doc_id, doc in enumerate(docs, 1):
        title_tokens, body_tokens = pipeline._title_and_body_tokens(doc["title"], doc["text"])
        tokens = title_tokens + body_tokens
        rows.append((doc_id, " ".join(compounds.with_parts(tokens) if with_parts else tokens)))
    cursor.executemany("INSERT INTO radar_article (id, search_text) VALUES (?, ?)", rows)
    connection.commit()
    return engine, connection


def judge(queries: list[dict], docs: list[dict]) -> list[set[int]]:
    relevant = []
    for query in queries:
        patterns = [re.compile(p, re.I) for p in query["relevant_title"]]
        relevant.append(
            {i for i, d in enumerate(docs, 1) if d["lang"] == "en" and all(p.search(d["title"]) for p in patterns)}
        )
    return relevant


def scores(top: list[int], relevant: set[int]) -> tuple[float, float]:
    gains = [1.0 if d in relevant else 0.0 for d in top[:10]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return sum(gains) / 10, (dcg / ideal if ideal else 0.0)


def leave_out_lexicon(normalise, queries, words: bool = False):
    """The hub's lexicon without the glossary entries any dev query is read through: its whole
    terms, and with `words` also the words a compositional term is read as (모델 병합 -> 모델, 병합)."""
    from seoulhub.text.glossary import ConceptLexicon, glossary_rows
    from seoulhub.text.techtag import load_entries
    from seoulhub.text.neighbours import default_neighbours
    from seoulhub.text.transliterate import default_transliterator

    full = ConceptLexicon(normalise, glossary_rows(), (), None)
    used = set()
    for split in (False, True) if words else (False,):
        full.split_compositional = split
        for query in queries:
            for concept in full.concepts(list(dict.fromkeys(normalise(query["query"]))), text=query["query"]):
                if concept.source == "glossary":
                    used.add(concept.tokens)
    rows = [
        r
        for r in glossary_rows()
        if tuple(normalise(r[0])) not in used and tuple(normalise(r[0].replace(" ", ""))) not in used
    ]
    return (
        ConceptLexicon(normalise, rows, load_entries(), default_transliterator(), default_neighbours()),
        len(glossary_rows()) - len(rows),
    )


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="bench xlingual")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--depth", type=int, default=100)
    parser.add_argument(
        "--queries",
        default="first",
        choices=sorted(QUERY_SETS),
        help="dev set: first (ko_en_queries.json) or second (ko_en_queries_2.json)",
    )
    parser.add_argument(
        "--corpus",
        default="bench",
        choices=("bench", "demo"),
        help="bench: the feeds with every 20th title; demo: with every 2nd title, as the demo loads",
    )
    parser.add_argument("--per-query", action="store_true", help="P@10 of every query in every configuration")
    parser.add_argument("--cost-docs", type=int, default=0, help="time the expansion's cost on N documents instead")
    args = parser.parse_args(argv)
    if args.cost_docs:
        return expansion_cost(args.cost_docs)

    from seoulhub.radar.search import textfns
    from seoulhub.radar.search.hybrid import HybridSearcher
    from seoulhub.radar.search.query import parse_query
    from seoulhub.radar.search.vectors import Snapshot

    queries = json.loads(QUERY_SETS[args.queries].read_text(encoding="utf-8"))["queries"]
    docs = load_corpus("every2nd" if args.corpus == "demo" else "every20th")
    relevant = judge(queries, docs)
    english = {i for i, d in enumerate(docs, 1) if d["lang"] == "en"}
    matrix = embeddings(docs)
    vectors = Snapshot(None, 0, np.arange(1, len(docs) + 1), matrix)  # exact search
    tagger, lexicon = textfns.tagger(), textfns.lexicon()
    indexes = {}

    figures: dict = {
        "documents": len(docs),
        "english_documents": len(english),
        "queries": len(queries),
        "relevant_per_query_median": sorted(len(r) for r in relevant)[len(relevant) // 2],
    }
    per_query: dict[str, list[float]] = {}
    for config in args.configs.split(","):
        with_parts = config != "before"
        if with_parts not in indexes:
            indexes[with_parts] = build_index(docs, with_parts)
        engine, connection = indexes[with_parts]
        config_lexicon = None if config == "before" else lexicon
        if config.startswith("leave-out"):
            config_lexicon, figures[f"{config}_entries"] = leave_out_lexicon(
                textfns.normalise, queries, words=config == "leave-out-words"
            )
        embed = textfns.embed
        if config == "english-only":

            def embed(text, _lexicon=config_lexicon):
                parsed = parse_query(text, textfns.normalise, tagger, lexicon=_lexicon)
                return textfns.embed(parsed.english_text or text)

        searcher = HybridSearcher(
            engine,
            vectors,
            textfns.normalise,
            embed,
            tagger,
            lexicon=config_lexicon,
            embed_english=config in ("after", "leave-out", "leave-out-words"),
        )
        cursor = connection.cursor()
        p10, ndcg, search_ms = [], [], []
        for query, rel in zip(queries, relevant):
            started = time.perf_counter()
            result = searcher.search(cursor, query["query"], depth=args.depth)
            search_ms.append((time.perf_counter() - started) * 1000)
            top = [d for d, _ in result.ranked if d in english][:10]
            p, n = scores(top, rel)
            p10.append(p)
            ndcg.append(n)
        figures[config] = {
            "P@10": round(float(np.mean(p10)), 3),
            "nDCG@10": round(float(np.mean(ndcg)), 3),
            "queries_at_0": sum(1 for p in p10 if p == 0),
            "search_ms_median": round(float(np.median(search_ms)), 2),
        }
        per_query[config] = p10

    # The expansion's own cost: parsing each query with and without the lexicon (warm).
    for lx in (None, lexicon):
        for query in queries:
            parse_query(query["query"], textfns.normalise, tagger, lexicon=lx)
    timings = {}
    for name, lx in (("parse_ms_without_lexicon", None), ("parse_ms_with_lexicon", lexicon)):
        samples = []
        for _round in range(5):
            for query in queries:
                started = time.perf_counter()
                parse_query(query["query"] + " ", textfns.normalise, tagger, lexicon=lx)
                samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        timings[name] = {
            "median": round(samples[len(samples) // 2], 3),
            "p95": round(samples[int(len(samples) * 0.95)], 3),
        }
    figures["parse"] = timings
    if args.per_query:
        figures["per_query"] = {
            q["query"]: {c: per_query[c][i] for c in per_query} | {"relevant": len(relevant[i])}
            for i, q in enumerate(queries)
        }
    return figures


def _percentiles(samples: list[float]) -> dict:
    return {
        "p50": round(float(np.percentile(samples, 50)), 3),
        "p95": round(float(np.percentile(samples, 95)), 3),
        "mean": round(float(np.mean(samples)), 3),
    }


def expansion_cost(n_docs: int, rounds: int = 3, depths=(10, 1000)) -> dict:
    from seoulhub.radar.ingest import process as pipeline
    from seoulhub.radar.search import textfns
    from seoulhub.radar.search.hybrid import HybridSearcher
    from seoulhub.radar.search.query import parse_query
    from seoulhub.radar.search.sqlite_fts import Fts5Engine
    from seoulhub.text import compounds

    texts = [d["title"] + (". " + d["text"] if d["text"] else "") for d in load_corpus()]
    with gzip.open(
        REPO / "data" / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz", "rt", encoding="utf-8"
    ) as fh:
        texts += [json.loads(line)["title"] for line in fh]
    streams = [" ".join(compounds.with_parts(pipeline.search_tokens(t))) for t in texts]
    rng = np.random.default_rng(20261204)
    sources = rng.integers(0, len(streams), size=n_docs)
    engine = Fts5Engine()
    connection = sqlite3.connect(":memory:")
    cursor = connection.cursor()
    cursor.execute("CREATE TABLE radar_article (id INTEGER PRIMARY KEY, search_text TEXT)")
    cursor.executemany(
        "INSERT INTO radar_article (id, search_text) VALUES (?, ?)",
        ((i + 1, streams[s]) for i, s in enumerate(sources)),
    )
    for statement in FTS5_SQL.SQLITE_CREATE:
        cursor.execute(statement)
    cursor.execute("INSERT INTO radar_article_fts(radar_article_fts) VALUES ('optimize')")
    queries = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    tagger, lexicon = textfns.tagger(), textfns.lexicon()
    figures: dict = {"documents": n_docs, "queries": len(queries), "rounds": rounds}
    # What an English user typing the same concepts pays today: the baseline of the expansion.
    english = [parse_query(q, textfns.normalise, tagger, lexicon=lexicon).english_text or q for q in queries]
    for depth in depths:
        for name, lx, texts in (
            ("korean_without_lexicon", None, queries),
            ("korean_with_lexicon", lexicon, queries),
            ("english_equivalent_without_lexicon", None, english),
        ):
            searcher = HybridSearcher(engine, None, textfns.normalise, None, tagger, lexicon=lx)
            for query in texts:  # warm
                searcher.search(cursor, query, depth=depth)
            samples = []
            for _round in range(rounds):
                for query in texts:
                    started = time.perf_counter()
                    searcher.search(cursor, query, depth=depth)
                    samples.append((time.perf_counter() - started) * 1000)
            figures[f"lexical_depth{depth}_{name}"] = _percentiles(samples)
    for name, lx in (("parse_without_lexicon", None), ("parse_with_lexicon", lexicon)):
        samples = []
        for _round in range(rounds):
            for query in queries:
                started = time.perf_counter()
                parse_query(query, textfns.normalise, tagger, lexicon=lx)
                samples.append((time.perf_counter() - started) * 1000)
        figures[name] = _percentiles(samples)
    samples_plain, samples_english = [], []
    for _round in range(rounds):
        for query in queries:
            parsed = parse_query(query, textfns.normalise, tagger, lexicon=lexicon)
            started = time.perf_counter()
            textfns.embed(query)
            samples_plain.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            textfns.embed(f"{query} ({parsed.english_text})")
            samples_english.append((time.perf_counter() - started) * 1000)
    figures["embed_query"] = _percentiles(samples_plain)
    figures["embed_query_with_english"] = _percentiles(samples_english)
    return figures
