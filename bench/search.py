"""Search benchmark: the hub's search call against tantivy on the same pre-tokenised documents.

    seoulhub bench search --docs 1000000 --queries 200 --json

Documents are real texts (arXiv cs titles 2025-03..2026-07, the October 2025 titles with their
abstracts, KLUE-YNAT Korean headlines) resampled with replacement to reach N. Every unique text
is normalised by the hub's normaliser and embedded once (cached under var/bench-cache/); a
resampled copy reuses its source's tokens and embedding.

Timed per query, on the same queries in the same run:
* hub: `HybridSearcher.search` — query normalisation and alias expansion, SQLite FTS5 BM25 top
  10 plus the capped match count, query embedding, vector search (the usearch index file, opened
  as a read-only view as the web processes do), reciprocal rank fusion. This is the web
  process's search call minus the ORM page fetch. The index file is kept under var/bench-cache/
  (`bench search_vectors` writes the same one) and reused.
* tantivy: the same token groups as a boolean query (must: should-of-terms/phrases), top 10
  by BM25 with the count.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib
import json
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# The full-text index as the radar migrations create it (their SQL is frozen there).
FTS5_SQL = importlib.import_module("seoulhub.radar.migrations.0003_search_index")

DATA = REPO / "data"
SHARED = Path(os.environ.get("SEOULHUB_SHARED_DATA", REPO.parent / "shared" / "data"))
CACHE = Path(os.environ.get("SEOULHUB_BENCH_CACHE", REPO / "var" / "bench-cache"))


# Topical queries in both languages (written for this benchmark), plus queries sampled from titles.
TOPICAL_QUERIES = [
    "인공지능 반도체",
    "smart city",
    "스마트시티",
    "large language model",
    "거대언어모델",
    "자율주행",
    "autonomous driving",
    "robot manipulation",
    "로봇",
    "medical image segmentation",
    "의료 영상",
    "speech recognition",
    "음성 인식",
    "machine translation",
    "기계 번역",
    "diffusion model video generation",
    "3D Gaussian splatting",
    "reinforcement learning",
    "강화학습",
    "드론",
    "quantum computing",
    "양자 컴퓨터",
    "blockchain",
    "블록체인",
    "cybersecurity attack",
    "사이버 보안",
    "federated learning",
    "edge AI accelerator",
    "메타버스",
    "vision language model hallucination",
]


def load_texts() -> list[tuple[str, str]]:
    """(language, text) for every unique real text, in a fixed order."""
    texts: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(lang: str, text: str) -> None:
        text = " ".join(text.split())
        if text and text not in seen:
            seen.add(text)
            texts.append((lang, text))

    with gzip.open(DATA / "arxiv" / "arxiv_cs_full_2025-10.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            add("en", f"{record['title']}. {record.get('summary') or ''}")
    with gzip.open(DATA / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            add("en", json.loads(line)["title"])
    ynat = SHARED / "klue-ynat-dev-half" / "ynat-v1.1_dev_odd_rows.csv"
    if ynat.exists():
        with open(ynat, encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if len(row) >= 4:
                    add("ko", row[3])
    return texts


def _cache_path(kind: str, texts: list[tuple[str, str]], suffix: str) -> Path:
    digest = hashlib.sha256("\n".join(t for _, t in texts).encode()).hexdigest()[:12]
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE / f"search-{kind}-{len(texts)}-{digest}{suffix}"


def token_streams(texts, normalise) -> list[str]:
    path = _cache_path("tokens", texts, ".json.gz")
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    streams = [" ".join(normalise(text)) for _, text in texts]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(streams, fh, ensure_ascii=False)
    return streams


def embeddings(texts, embed_many) -> np.ndarray:
    path = _cache_path("embeddings", texts, ".npy")
    if path.exists():
        return np.load(path)
    chunks = [embed_many([t for _, t in texts[i : i + 256]]) for i in range(0, len(texts), 256)]
    matrix = np.vstack(chunks).astype(np.float32)
    np.save(path, matrix)
    return matrix


def resample(texts, docs: int, rng) -> np.ndarray:
    """The source text of each document: every text once (shuffled) or, for more, with replacement."""
    return rng.integers(0, len(texts), size=docs) if docs > len(texts) else rng.permutation(len(texts))[:docs]


def vector_recall(search, matrix: np.ndarray, sources: np.ndarray, query_vectors) -> float:
    """Recall@10 of search(query) -> ids against exact search. Resampled copies share vectors, so
    the first 10 distinct source texts of exact search are looked for among the distinct sources
    of the index's top 200."""
    present = np.unique(sources)
    recalls = []
    for query in query_vectors:
        truth = set(present[np.argsort(-(matrix[present] @ query))[:10]].tolist())
        recalls.append(len(truth & {int(sources[d - 1]) for d in search(query)[:200]}) / len(truth))
    return round(float(np.mean(recalls)), 3)


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p)) if values else 0.0


def build_sqlite(path: Path, streams: list[str], sources: np.ndarray, engine) -> float:
    started = time.perf_counter()
    if path.exists():
        path.unlink()
    connection = sqlite3.connect(path, isolation_level=None)
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("CREATE TABLE radar_article (id INTEGER PRIMARY KEY, search_text TEXT)")
    cursor.execute("BEGIN")
    batch = 50_000
    for start in range(0, len(sources), batch):
        rows = ((start + i + 1, streams[s]) for i, s in enumerate(sources[start : start + batch]))
        cursor.executemany("INSERT INTO radar_article (id, search_text) VALUES (?, ?)", rows)
    for statement in FTS5_SQL.SQLITE_CREATE:  # the index as the migrations create it, rebuilt from the rows
        cursor.execute(statement)
    cursor.execute("INSERT INTO radar_article_fts(radar_article_fts) VALUES ('optimize')")
    cursor.execute("COMMIT")
    connection.close()
    return time.perf_counter() - started


def build_tantivy(path: Path, streams: list[str], sources: np.ndarray):
    import tantivy

    started = time.perf_counter()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=False)
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="position")
    schema = builder.build()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=512_000_000, num_threads=2)
    for i, s in enumerate(sources):
        writer.add_document(tantivy.Document(id=i + 1, body=streams[s]))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, schema, time.perf_counter() - started


def tantivy_query(schema, groups):
    import tantivy

    musts = []
    for group in groups:
        shoulds = []
        for phrase in group:
            if len(phrase) == 1:
                shoulds.append((tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", phrase[0])))
            elif phrase:
                shoulds.append((tantivy.Occur.Should, tantivy.Query.phrase_query(schema, "body", list(phrase))))
        if shoulds:
            musts.append((tantivy.Occur.Must, tantivy.Query.boolean_query(shoulds)))
    return tantivy.Query.boolean_query(musts)


def sample_queries(texts, count: int, rng) -> list[str]:
    queries = list(TOPICAL_QUERIES)
    while len(queries) < count:
        lang, text = texts[int(rng.integers(len(texts)))]
        words = [w.strip(".,:;()?!\"'") for w in text.split()]
        words = [w for w in words if len(w) > 3 or (lang == "ko" and len(w) >= 2)]
        if len(words) >= 2:
            picked = rng.choice(len(words), size=2, replace=False)
            queries.append(" ".join(words[i] for i in sorted(picked)))
    return queries[:count]


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench search")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20251101)
    parser.add_argument("--json", action="store_true", help="print JSON (always on; kept for symmetry)")
    parser.add_argument("--keep", action="store_true", help="keep the full-text indexes under var/bench-cache/")
    parser.add_argument("--no-vectors", action="store_true", help="the full-text half alone (no vector index built)")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")

    from seoulhub.radar.search import textfns
    from seoulhub.text.embed import embed as embed_texts
    from seoulhub.radar.search.base import COUNT_CAP
    from seoulhub.radar.search.hybrid import HybridSearcher
    from seoulhub.radar.search.sqlite_fts import Fts5Engine
    from seoulhub.radar.search.vectors import VectorIndex, write_index

    rng = np.random.default_rng(args.seed)
    texts = load_texts()
    started = time.perf_counter()
    streams = token_streams(texts, textfns.normalise)
    matrix = embeddings(texts, embed_texts)
    prepare_s = time.perf_counter() - started
    sources = resample(texts, args.docs, rng)

    engine = Fts5Engine()
    db_path = CACHE / f"search-bench-{args.docs}.sqlite3"
    # --keep leaves the file for the next run with the same N, which reuses it.
    sqlite_build_s = 0.0 if args.keep and db_path.exists() else build_sqlite(db_path, streams, sources, engine)

    started = time.perf_counter()
    vector_path = CACHE / f"search-vectors-{args.docs}-{args.seed}.usearch"
    if args.no_vectors:
        vectors = None
    elif not vector_path.exists():
        write_index(
            vector_path,
            (
                (np.arange(start + 1, start + 1 + len(chunk)), matrix[chunk])
                for start in range(0, args.docs, 50_000)
                for chunk in [sources[start : start + 50_000]]
            ),
        )
    if not args.no_vectors:
        vectors = VectorIndex(vector_path).snapshot()
    vector_build_s = time.perf_counter() - started

    index, schema, tantivy_build_s = build_tantivy(CACHE / f"search-bench-{args.docs}.tantivy", streams, sources)
    searcher_tantivy = index.searcher()

    searcher = HybridSearcher(engine, vectors, textfns.normalise, textfns.embed, textfns.tagger())
    queries = sample_queries(texts, args.queries, rng)
    connection = sqlite3.connect(db_path)
    cursor = connection.cursor()
    for text in queries[:20]:  # warm caches (SQLite pages, embedder weights) before timing
        searcher.search(cursor, text, depth=10)
    hub_ms, tantivy_ms, parts = [], [], {}
    overlaps, count_mismatches = [], []
    for text in queries:
        t0 = time.perf_counter()
        result = searcher.search(cursor, text, depth=10)
        hub_ms.append((time.perf_counter() - t0) * 1000)
        for name, ms in result.timings_ms.items():
            parts.setdefault(name, []).append(ms)
        t0 = time.perf_counter()
        found = searcher_tantivy.search(tantivy_query(schema, result.query.groups), 10, count=True)
        tantivy_ms.append((time.perf_counter() - t0) * 1000)
        if min(found.count, COUNT_CAP + 1) != result.lexical_count:
            count_mismatches.append({"query": text, "tantivy": found.count, "fts5": result.lexical_count})
        if result.lexical_ids:
            top_tantivy = {searcher_tantivy.doc(address)["id"][0] for _, address in found.hits}
            overlaps.append(len(top_tantivy & set(result.lexical_ids[:10])) / min(10, len(result.lexical_ids)))
    connection.close()

    # At a results page's depth (the web ranking asks for 1,000 neighbours).
    recall = (
        None
        if vectors is None
        else vector_recall(
            lambda q: [d for d, _ in vectors.search(q, 1000)], matrix, sources, embed_texts(queries[:50])
        )
    )

    if not args.keep:
        db_path.unlink(missing_ok=True)
        for extra in ("-wal", "-shm"):
            Path(str(db_path) + extra).unlink(missing_ok=True)
        shutil.rmtree(CACHE / f"search-bench-{args.docs}.tantivy", ignore_errors=True)

    p95, tantivy_p95 = percentile(hub_ms, 95), percentile(tantivy_ms, 95)
    return {
        "docs": args.docs,
        "queries": len(queries),
        "p50_ms": round(percentile(hub_ms, 50), 2),
        "p95_ms": round(p95, 2),
        "tantivy_p50_ms": round(percentile(tantivy_ms, 50), 3),
        "tantivy_p95_ms": round(tantivy_p95, 3),
        "ratio_p95_to_tantivy": round(p95 / tantivy_p95, 1) if tantivy_p95 else None,
        "hub_parts_p95_ms": {name: round(percentile(v, 95), 2) for name, v in parts.items()},
        "count_mismatches": count_mismatches[:10],
        "top10_overlap_with_tantivy": round(statistics.mean(overlaps), 3) if overlaps else None,
        "vector_index": f"usearch HNSW f16, {len(vectors)} vectors" if vectors is not None else None,
        "vector_recall_at_10": recall,
        "unique_texts": len(texts),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),  # other processes on the 2 cores
        "build_s": {
            "prepare": round(prepare_s, 1),
            "sqlite_fts5": round(sqlite_build_s, 1),
            "vectors": round(vector_build_s, 1),
            "tantivy": round(tantivy_build_s, 1),
        },
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False))
