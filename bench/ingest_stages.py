"""Where ingestion's CPU time goes: the ingest benchmark's corpus, with each pipeline step timed.

    seoulhub bench ingest_stages --json [--arxiv-titles 10000] [--cpu 0]

Wraps the pipeline's steps (tokenising, tagging, keywords, MinHash, storing, trend counts, ...)
with CPU-time timers (the process's, so other load on a shared machine counts less) and ingests
the same corpus as `seoulhub bench ingest` into a fresh SQLite file, in a child process pinned to
one CPU. Steps nest (storing includes the trend counts and the inserts), so the figures do not
add up to the total. The timers cost about a microsecond per call.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _timed(owner, name: str, label: str, totals: dict) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.process_time() - started

    setattr(owner, name, wrapper)


def child(args) -> dict:
    os.sched_setaffinity(0, {args.cpu})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    from seoulhub.radar import tasks
    from seoulhub.radar.ingest import process as pipeline
    from seoulhub.radar.ingest import store as ingest
    from seoulhub.radar.models import Article, Source
    from seoulhub.radar.models import trends as trend_models
    from seoulhub.text import korean, minhash, techtag

    spec = importlib.util.spec_from_file_location("bench_ingest_corpus", REPO / "bench" / "ingest.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    files = corpus.build_corpus(Path(args.child) / "corpus", args.arxiv_titles)
    corpus.warm_up_kiwi()  # as the ingest benchmark does, so Kiwi's first-use cost is not counted

    totals: dict[str, float] = {}
    steps = [
        (tasks, "parse_feed", "parse feed"),
        (korean, "tokens", "kiwi"),
        (korean, "tokens_of_parts", "kiwi"),
        (pipeline.normalise, "latin_tokens", "latin tokens"),
        (pipeline.keywords_mod, "extract", "keywords"),
        (pipeline.minhash, "signature", "minhash signature"),
        (pipeline.language, "detect", "language"),
        (pipeline, "feature_hits", "cue features"),
        (pipeline, "_context_hits", "context words"),
        (pipeline, "merge_category_evidence", "arXiv categories"),
        (pipeline, "sanitise_html", "sanitise html"),
        (pipeline, "html_to_text", "html to text"),
        (pipeline, "content_hash", "content hash"),
        (pipeline, "canonical_url", "canonical url"),
        (techtag.TechnologyTagger, "tag", "technology tagger"),
        (ingest.Ingestor, "store_batch", "store (all)"),
        (ingest, "record_new_articles", "store: trend counts"),
        (trend_models, "_upsert_weighted", "store: trend upserts"),
        (minhash.NearDuplicateIndex, "add", "store: LSH add"),
        (minhash.NearDuplicateIndex, "best_match", "store: LSH match"),
    ]
    for owner, name, label in steps:
        _timed(owner, name, label, totals)
    from django.db.models.query import QuerySet

    bulk_create = QuerySet.bulk_create

    def timed_bulk_create(queryset, *a, **kw):
        started = time.process_time()
        try:
            return bulk_create(queryset, *a, **kw)
        finally:
            label = f"store: insert {queryset.model.__name__}"
            totals[label] = totals.get(label, 0.0) + time.process_time() - started

    # Articles (with their search index entries, by trigger), technology links and trend marks.
    QuerySet.bulk_create = timed_bulk_create
    _timed(type(connections["default"]), "_commit", "store: commit", totals)

    started = time.process_time()
    ingestor = ingest.Ingestor()
    for name, path in files.items():
        tasks.run_source(Source.objects.create(name=name, url=str(path), kind=Source.Kind.FILE), ingestor=ingestor)
    cpu = time.process_time() - started
    articles = Article.objects.count()
    return {
        "articles": articles,
        "cpu_seconds": round(cpu, 2),
        "steps_seconds": {k: round(v, 2) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])},
        "steps_us_per_article": {
            k: round(v * 1e6 / articles, 1) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])
        },
    }


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench ingest_stages")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--arxiv-titles", type=int, default=10_000)
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    with tempfile.TemporaryDirectory(prefix="seoulhub-bench-stages-") as workdir:
        env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{workdir}/stages.sqlite3",
            DEBUG="0",
            DJANGO_SETTINGS_MODULE="seoulhub.settings",
        )
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "seoulhub.cli",
                "bench",
                "ingest_stages",
                "--child",
                workdir,
                "--arxiv-titles",
                str(args.arxiv_titles),
                "--cpu",
                str(args.cpu),
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise SystemExit(f"bench child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
