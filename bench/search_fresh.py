"""CPU cost of a fresh (uncached) search results page, split by stage.

    DATABASE_URL=sqlite:///var/bench/load.sqlite3 seoulhub bench search_fresh --json \
        [--queries 200] [--save FILE] [--compare FILE]

Runs in this process against the configured database (fill one with `seoulhub bench load_data`).
For each of the load test's varied queries (bench/load.py `varied_paths`) it clears every cache
(shared cache, per-process memos, the query-embedding memo) and renders /radar/search?q=...
through Django's test client: full middleware, view and template. Reported per query, in CPU
milliseconds of the whole process (`time.process_time`, so the embedding thread counts too):
the total, the stages the search service goes through and the template; `other` is the rest
(middleware, the view's own work). Pin the process to one CPU (`taskset -c 0`) for steady figures.

--save writes what each query returned (ranked ids, counts, facets, the page's HTML with
whitespace and CSRF tokens normalised); --compare checks the current code against such a file,
so a speed-up can be shown to return the same results.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import re
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (module attribute path, stage name): the service's steps, timed by wrapping them. A name that
# does not exist (code moved) is skipped and its time falls into `other`.
STAGES = [
    ("seoulhub.radar.search.hybrid:HybridSearcher.search", "search"),
    ("seoulhub.radar.search.service:_collapse_clusters", "collapse"),
    ("seoulhub.radar.search.rows:page_rows", "rows"),
    ("seoulhub.radar.search.service:_facet_counts", "facets"),
    ("seoulhub.radar.views_search:render", "template"),
]


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_load_paths", REPO / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class StageClock:
    """Wraps functions so that the CPU time spent inside them is added to a named stage (outermost
    call only: a stage called from another stage counts once, in the outer one)."""

    def __init__(self):
        self.spent: dict[str, float] = {}
        self.hybrid_ms: dict[str, float] = {}
        self._depth = 0

    def wrap(self, target: str, stage: str) -> bool:
        import importlib

        module_name, _, attribute = target.partition(":")
        owner = importlib.import_module(module_name)
        *parents, name = attribute.split(".")
        for parent in parents:
            owner = getattr(owner, parent, None)
        original = getattr(owner, name, None) if owner is not None else None
        if original is None:
            return False
        clock = self

        def timed(*args, **kwargs):
            if clock._depth:
                return original(*args, **kwargs)
            clock._depth += 1
            started = time.process_time()
            try:
                result = original(*args, **kwargs)
            finally:
                clock._depth -= 1
                clock.spent[stage] = clock.spent.get(stage, 0.0) + time.process_time() - started
            timings = getattr(result, "timings_ms", None)
            if isinstance(timings, dict):
                for key, value in timings.items():
                    clock.hybrid_ms[key] = clock.hybrid_ms.get(key, 0.0) + value
            return result

        setattr(owner, name, timed)
        return True

    def reset(self):
        self.spent, self.hybrid_ms = {}, {}


_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*(")')
_SPACE = re.compile(r">\s+<")


def _normalised_html(html: str) -> str:
    html = _CSRF.sub(r"\1\2", html)
    html = _SPACE.sub("><", html)
    return " ".join(html.split())


def _record(response) -> dict:
    context = response.context
    ranking = context["ranking"]
    return {
        "ids": list(ranking.ids),
        "total_matches": ranking.total_matches,
        "facets": json.loads(json.dumps(context["facets"], default=str)),
        "html": _normalised_html(response.content.decode()),
    }


def _clear_caches() -> None:
    from django.core.cache import cache

    from seoulhub.core.localcache import clear_all
    from seoulhub.radar.search import textfns

    cache.clear()
    clear_all()
    forget = getattr(textfns, "forget_query_embeddings", None)
    if forget is not None:
        forget()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench search_fresh")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--save", help="write each query's ids, facets and HTML to this JSON file")
    parser.add_argument("--compare", help="compare each query's ids, facets and HTML with this JSON file")
    args = parser.parse_args(argv)

    from django.test import Client
    from django.test.utils import setup_test_environment

    from seoulhub.radar.search import service

    setup_test_environment()  # so that responses carry their template context
    load_bench = _load_bench()
    paths = load_bench.varied_paths(args.queries)
    started = time.perf_counter()
    vectors = len(service.vector_index())
    index_s = time.perf_counter() - started
    client = Client()
    for path in paths[:3]:  # warm the encoder, tagger, templates and SQLite's page cache
        client.get(path)

    clock = StageClock()
    wrapped = [stage for target, stage in STAGES if clock.wrap(target, stage)]
    totals, per_stage, hybrid, records = [], {s: [] for s in wrapped}, {}, {}
    for path in paths:
        _clear_caches()
        gc.collect()
        clock.reset()
        started = time.process_time()
        response = client.get(path)
        total = (time.process_time() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        totals.append(total)
        for stage in wrapped:
            per_stage[stage].append(clock.spent.get(stage, 0.0) * 1000)
        for key, value in clock.hybrid_ms.items():
            hybrid.setdefault(key, []).append(value)
        records[path] = _record(response)

    stage_means = {stage: round(statistics.fmean(values), 2) for stage, values in per_stage.items()}
    result = {
        "queries": len(paths),
        "queries_digest": load_bench.queries_digest(paths),
        "vectors": vectors,
        "index_build_s": round(index_s, 1),
        "cpu_ms_mean": round(statistics.fmean(totals), 2),
        "cpu_ms_p50": round(statistics.median(totals), 2),
        "cpu_ms_p95": round(_percentile(totals, 0.95), 2),
        "stages_cpu_ms_mean": {**stage_means,
                               "other": round(statistics.fmean(totals) - sum(stage_means.values()), 2)},
        "search_wall_ms_mean": {key: round(statistics.fmean(values), 2) for key, values in hybrid.items()},
    }
    if args.save:
        Path(args.save).write_text(json.dumps(records, ensure_ascii=False))
    if args.compare:
        before = json.loads(Path(args.compare).read_text())
        differing = {field: [] for field in ("ids", "total_matches", "facets", "html")}
        for path, record in records.items():
            if path not in before:
                continue
            for field in differing:
                if record[field] != before[path][field]:
                    differing[field].append(path)
        result["compared"] = len(set(records) & set(before))
        result["differing"] = {field: len(paths) for field, paths in differing.items()}
        result["differing_examples"] = {field: paths[:3] for field, paths in differing.items() if paths}
    return result
