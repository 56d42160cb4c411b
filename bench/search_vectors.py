"""Vector index candidates at N documents: usearch HNSW (f16, what the hub uses) and faiss
"PCA128,IVF1024,Flat,Refine(SQfp16)", on the documents of `bench search`.

    seoulhub bench search_vectors --docs 1000000 [--libraries usearch,faiss]

Documents are bench/search.py's: real texts resampled with replacement to N, each copy with its
source's embedding. Queries are 200 of bench/search.py's queries, embedded. Recall@10 as there:
the first 10 distinct source texts of exact search against the distinct sources among the
index's top 200 (copies share a vector). Each search is one call with one thread, timed alone;
the index is written to a file and searched through a read-only view / IO_FLAG_MMAP, as the web
processes do, and the memory the process gained by opening it is reported. Needs faiss-cpu for
the faiss candidate (a dev dependency). One candidate is built at a time; the usearch file is
kept under var/bench-cache/ for `bench search`.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _resident_mb() -> float:
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _timed(search, queries, truth, sources) -> dict:
    times, recalls = [], []
    for query, expected in zip(queries, truth):
        started = time.perf_counter()
        keys = search(query)
        times.append((time.perf_counter() - started) * 1000)
        recalls.append(len(expected & {int(sources[k - 1]) for k in keys[:200] if k > 0}) / len(expected))
    return {
        "recall_at_10": round(float(np.mean(recalls)), 3),
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
    }


def batches(matrix, sources, step: int = 50_000):
    for start in range(0, len(sources), step):
        chunk = sources[start : start + step]
        yield np.arange(start + 1, start + 1 + len(chunk), dtype=np.int64), matrix[chunk]


def _search_bench():
    spec = importlib.util.spec_from_file_location("bench_search_texts", REPO / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vector_file(cache: Path, docs: int, seed: int) -> Path:
    return cache / f"search-vectors-{docs}-{seed}.usearch"


def build_usearch(matrix, sources, path: Path) -> float:
    """The hub's own writer (radar.search.vectors.write_index); reused when the file exists."""
    from seoulhub.radar.search.vectors import write_index

    if path.exists():
        return 0.0
    started = time.perf_counter()
    write_index(path, batches(matrix, sources))
    return time.perf_counter() - started


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench search_vectors")
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20251101)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--libraries", default="usearch,faiss")
    args = parser.parse_args(argv)

    from seoulhub.radar.search.vectors import EXPANSION_SEARCH, VectorIndex
    from seoulhub.text.embed import embed

    search_bench = _search_bench()
    texts = search_bench.load_texts()
    matrix = search_bench.embeddings(texts, embed)
    sources = search_bench.resample(texts, args.docs, np.random.default_rng(args.seed))  # as `bench search`
    present = np.unique(sources)
    queries = embed(search_bench.sample_queries(texts, args.queries, np.random.default_rng(args.seed)))
    truth = [set(present[np.argsort(-(matrix[present] @ q))[:10]].tolist()) for q in queries]
    result: dict = {
        "docs": args.docs,
        "queries": len(queries),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }

    if "usearch" in args.libraries:
        path = vector_file(search_bench.CACHE, args.docs, args.seed)
        built = build_usearch(matrix, sources, path)
        before = _resident_mb()
        index = VectorIndex(path)
        snapshot = index.snapshot()
        figures = {
            "build_s": round(built, 1) or "cached",
            "file_mb": round(path.stat().st_size / 2**20),
            "resident_after_open_mb": round(_resident_mb() - before),
            "expansion_search": EXPANSION_SEARCH,
        }
        for k in (200, 1000):
            figures[f"k{k}"] = _timed(lambda q, k=k: [i for i, _ in snapshot.search(q, k)], queries, truth, sources)
        figures["resident_after_searches_mb"] = round(_resident_mb() - before)
        result["usearch"] = figures
        del snapshot, index
        gc.collect()

    if "faiss" in args.libraries:
        import faiss

        path = search_bench.CACHE / f"search-vectors-{args.docs}-{args.seed}.faiss"
        started = time.perf_counter()
        index = faiss.IndexIDMap(
            faiss.index_factory(512, "PCA128,IVF1024,Flat,Refine(SQfp16)", faiss.METRIC_INNER_PRODUCT)
        )
        index.train(matrix[present[np.random.default_rng(0).permutation(len(present))[:60_000]]])
        for ids, vectors in batches(matrix, sources):
            index.add_with_ids(vectors, ids)
        faiss.write_index(index, str(path))
        built = time.perf_counter() - started
        del index
        gc.collect()
        faiss.omp_set_num_threads(1)
        before = _resident_mb()
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
        figures = {
            "build_s": round(built, 1),
            "file_mb": round(path.stat().st_size / 2**20),
            "resident_after_open_mb": round(_resident_mb() - before),
        }
        for nprobe in (32, 64):
            faiss.extract_index_ivf(index).nprobe = nprobe
            faiss.downcast_index(index.index).k_factor = 2
            for k in (200, 1000):
                figures[f"nprobe{nprobe}_k{k}"] = _timed(
                    lambda q, k=k: index.search(q[None], k)[1][0].tolist(), queries, truth, sources
                )
        result["faiss"] = figures
        del index
        path.unlink()
    result["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
