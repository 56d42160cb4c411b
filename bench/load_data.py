"""Fill a database for the load test: the real demo data plus N resampled real articles.

    seoulhub bench load_data --json [--articles 1000000] [--db var/bench/load.sqlite3]
    seoulhub bench load_data --json --database-url postgres://USER@127.0.0.1:5432/seoulhub_load

Runs in a child process on its own SQLite file (never the configured database), or on the
PostgreSQL database --database-url names, which must exist and hold no articles yet
(`createdb seoulhub_load`). It loads the
bundled demo data (`load-demo`: taxonomy, districts, KRX firms, 기업마당 programmes, policies,
statistics), then inserts N articles resampled with replacement from the 84,008 unique real texts
of bench/search.py (arXiv cs titles and abstracts, KLUE-YNAT headlines). Each copy carries its
text's real search tokens, keywords, technologies (the hub's tagger) and multilingual embedding
(both cached under var/bench-cache/ by bench/search.py), and copies of one text form one story
cluster. Publication dates are spread evenly over 2025-03-18 .. 2026-07-01, so they are not real
dates. The FTS5 index is filled by its triggers as rows go in; the trend counters are filled as
the radar fills them (one count per article, term and period); the landscape is refreshed last.

Then run the load test against it:

    DATABASE_URL=sqlite:///var/bench/load.sqlite3 seoulhub bench load --json
    DATABASE_URL=postgres://USER@127.0.0.1:5432/seoulhub_load seoulhub bench load --json

On PostgreSQL the articles' full-text GIN index is dropped while they go in and built once after
(maintaining it row by row is most of the time otherwise), then the tables are vacuumed and
analysed.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
FIRST_DAY = datetime.date(2025, 3, 18)
LAST_DAY = datetime.date(2026, 7, 1)


def _search_bench():
    spec = importlib.util.spec_from_file_location("bench_search_texts", REPO / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench load_data")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db", default=str(REPO / "var" / "bench" / "load.sqlite3"))
    parser.add_argument(
        "--database-url", default="", help="an existing, empty PostgreSQL database to fill instead of the SQLite file"
    )
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        return _inner(args)
    if args.database_url:
        if not args.database_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database-url must name a PostgreSQL database (SQLite files go in --db)")
        database_url = target = args.database_url
    else:
        db = Path(args.db).resolve()
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        database_url, target = f"sqlite:///{db}", str(db)
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="0",
        SEOULHUB_TASKS="immediate",
        DJANGO_SETTINGS_MODULE="seoulhub.settings",
    )
    inner = [a for a in argv if a != "--json"] + ["--inner"]
    done = subprocess.run(
        [sys.executable, "-m", "seoulhub.cli", "bench", "load_data", *inner],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load_data failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["database"] = target
    return result


def _inner(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from seoulhub.radar.models import Article
    from seoulhub.radar.search.postgres_fts import PostgresFtsEngine

    postgres = connection.vendor == "postgresql"
    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Article.objects.exists():
        raise SystemExit("the database already holds articles: give load_data an empty one")
    call_command("load_demo", stdout=open(os.devnull, "w"))
    timings["demo_s"] = round(time.perf_counter() - started, 1)
    engine = PostgresFtsEngine()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"DROP INDEX IF EXISTS {engine.index}_gin")  # built once after the rows
        else:
            cursor.execute("PRAGMA synchronous=OFF")  # a throw-away bench file: no fsync per batch

    started = time.perf_counter()
    texts, streams, matrix = _real_texts()
    timings["texts_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    figures = _fill_articles(args, texts, streams, matrix)
    timings["articles_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    call_command("refresh_landscape", settle=0, stdout=open(os.devnull, "w"))
    timings["landscape_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {engine.index}_gin ON {engine.index} USING gin (tsv)")
            cursor.execute("SELECT setval(pg_get_serial_sequence('radar_article', 'id'), MAX(id)) FROM radar_article")
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
    timings["index_and_analyse_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    call_command("radar_vector_index", rebuild=True, stdout=open(os.devnull, "w"))  # the search's index file
    timings["vector_index_s"] = round(time.perf_counter() - started, 1)
    result = {"articles": args.articles, "unique_texts": len(texts), **figures, **timings}
    print(json.dumps(result))
    return result


def _real_texts():
    search_bench = _search_bench()
    from seoulhub.radar.search import textfns
    from seoulhub.text.embed import embed as embed_texts

    texts = search_bench.load_texts()
    streams = search_bench.token_streams(texts, textfns.normalise)
    matrix = search_bench.embeddings(texts, embed_texts)
    return texts, streams, matrix


def _describe(texts, streams):
    """Per unique text: title, body, technologies and keywords, as the radar would store them."""
    from seoulhub.text import keywords
    from seoulhub.text.techtag import default_tagger

    tagger = default_tagger()
    described = []
    for (language, text), stream in zip(texts, streams):
        title, _, body = text.partition(". ") if language == "en" and len(text) > 300 else (text, "", "")
        tokens = stream.split()
        slugs = [m.slug for m in tagger.tag(text)]
        described.append((language, title[:1000], body, slugs, keywords.extract(tokens[:20], tokens[20:])))
    return described


def _fill_articles(args, texts, streams, matrix) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from seoulhub.radar.models import Source, StoryCluster
    from seoulhub.radar.models.trends import Granularity, TrendCount, TrendKind, TrendTotal
    from seoulhub.taxonomy.models import Technology
    from seoulhub.trends.periods import period_key

    rng = np.random.default_rng(args.seed)
    described = _describe(texts, streams)
    tech_ids = dict(Technology.objects.values_list("slug", "pk"))
    sources = {
        lang: Source.objects.create(
            name=f"Resampled {lang} texts (load test)", url=f"bench://load/{lang}", kind=Source.Kind.FILE
        ).pk
        for lang in ("en", "ko")
    }
    picks = rng.integers(0, len(texts), size=args.articles)
    copies = np.bincount(picks, minlength=len(texts))
    multi = np.flatnonzero(copies > 1)
    StoryCluster.objects.bulk_create(
        [StoryCluster(title=described[i][1][:500], size=int(copies[i])) for i in multi], batch_size=5000
    )
    cluster_of = dict(zip(multi.tolist(), StoryCluster.objects.order_by("pk").values_list("pk", flat=True)))
    span = (LAST_DAY - FIRST_DAY).days
    fetched = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    # Through Django's cursor, which turns %s into SQLite's ? (PostgreSQL takes %s as it is).
    article_sql = (
        "INSERT INTO radar_article (id, source_id, url, canonical_url, guid, title, summary_html, text, author, "
        "published_at, fetched_at, language, search_text, keywords, relevance, is_digital, content_hash, "
        "cluster_id, embedding) VALUES (%s, %s, '', '', %s, %s, '', %s, '', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    link_sql = (
        "INSERT INTO radar_articletechnology (article_id, technology_id, score, evidence) VALUES (%s, %s, 0.7, '[]')"
    )
    embedding_of = matrix.astype("<f2")
    totals: dict = defaultdict(int)
    counts: dict = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM radar_article")
        next_id = cursor.fetchone()[0] + 1
    batch, links, seen = [], [], defaultdict(int)
    for n, i in enumerate(picks.tolist()):
        language, title, body, slugs, kws = described[i]
        seen[i] += 1
        day = FIRST_DAY + datetime.timedelta(days=n * span // args.articles)
        article_id = next_id + n
        batch.append(
            (
                article_id,
                sources[language],
                f"{i}-{seen[i]}",
                title,
                body,
                f"{day.isoformat()} {(n % 86400) // 3600:02d}:{(n % 3600) // 60:02d}:00",
                fetched,
                language,
                streams[i],
                json.dumps(kws, ensure_ascii=False),
                0.7 if slugs else 0.1,
                bool(slugs),
                f"load-{n}",
                cluster_of.get(i),
                embedding_of[i].tobytes(),
            )
        )
        links.extend((article_id, tech_ids[s]) for s in slugs if s in tech_ids)
        for granularity in Granularity.values:
            period = period_key(day, granularity)
            totals[(granularity, period)] += 1
            for slug in slugs:
                counts[(str(TrendKind.TECHNOLOGY), slug, granularity, period)] += 1
            for keyword in kws:
                counts[(str(TrendKind.KEYWORD), keyword[:100], granularity, period)] += 1
        if len(batch) >= 20_000:
            _flush(article_sql, batch, link_sql, links)
            batch, links = [], []
    _flush(article_sql, batch, link_sql, links)
    with transaction.atomic():
        TrendTotal.objects.bulk_create([TrendTotal(granularity=g, period=p, count=c) for (g, p), c in totals.items()])
        TrendCount.objects.bulk_create(
            [TrendCount(kind=k, term=t, granularity=g, period=p, count=c) for (k, t, g, p), c in counts.items()],
            batch_size=5000,
        )
    return {"story_clusters": len(multi), "trend_counts": len(counts)}


def _flush(article_sql, batch, link_sql, links) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(article_sql, batch)
        cursor.executemany(link_sql, links)
