"""Technology-landscape benchmark: pages and API answer from stored aggregates with 1,000,000
articles and 10,000 firms loaded.

    seoulhub bench landscape --json [--articles 1000000] [--firms 10000] [--programmes 2000]
                                    [--requests 5] [--db var/bench/landscape.sqlite3] [--reuse] [--keep]

Runs in a child process on its own SQLite database (never the configured one). It fills the
tables with resampled real rows — arXiv titles with their real first-seen dates (copies of one
title form one story cluster; technologies from the hub's tagger), KRX listed firms (technologies
tagged from their products text; KRX gives no district, so none is invented), 기업마당
programmes (title-tagged) — and fills the radar's trend counters as the radar would (one count
per article and week). Then it times a full refresh, an incremental refresh after 10,000 new
articles, a one-firm signal recount, and every technology page, the landscape API, the gap view
and a firm's opportunity view (Django test client: full middleware and template rendering),
reporting p50/p95 and the queries per page. No demand or pilot rows: there is no real dataset
of them to resample (the pilots demo has only labelled examples)."""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARXIV = REPO / "data" / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"
KRX = REPO / "data" / "krx" / "krx_listed_companies_2026-01_utf8.csv"
BIZINFO = REPO / "data" / "bizinfo" / "bizinfo_jsonArray_2021-12.json"


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench landscape")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--firms", type=int, default=10_000)
    parser.add_argument("--programmes", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=5, help="requests per page and technology")
    parser.add_argument("--db", default=str(REPO / "var" / "bench" / "landscape.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="reuse a database filled by an earlier run")
    parser.add_argument("--keep", action="store_true", help="keep the database file afterwards")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        return _inner(args)
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "seoulhub.settings",
        "SEOULHUB_TASKS": "immediate",
    }
    inner_args = [a for a in argv if a != "--json"] + ["--inner"]
    done = subprocess.run([sys.executable, __file__, *inner_args], env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"landscape bench failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    return result


# --- the child process ---------------------------------------------------------------------------


def _inner(args) -> dict:
    import django

    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=OFF")
    result: dict = {"articles": args.articles, "firms": args.firms, "programmes": args.programmes}
    from seoulhub.radar.models import Article

    started = time.perf_counter()
    if not (args.reuse and Article.objects.exists()):
        _fill(args, result)
    result["fill_s"] = round(time.perf_counter() - started, 1)
    _measure(args, result)
    print(json.dumps(result))
    return result


def _tagged_titles() -> list[tuple[str, str, list[str], str]]:
    from seoulhub.text.techtag import default_tagger

    tagger = default_tagger()
    with gzip.open(ARXIV, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return [
        (r["first_seen"], r["title"], [m.slug for m in tagger.tag(r["title"])], r["categories"][0]) for r in records
    ]


def _fill(args, result: dict) -> None:
    from django.db import connection
    from django.utils import timezone

    from seoulhub.radar.models import Source, StoryCluster
    from seoulhub.taxonomy.models import Technology
    from seoulhub.trends import TrendCounter

    rng = random.Random(20261125)
    tech_ids = dict(Technology.objects.values_list("slug", "pk"))
    titles = _tagged_titles()
    sources = {}
    for _, _, _, category in titles:
        if category not in sources:
            sources[category] = Source.objects.create(
                name=f"arXiv {category} (resampled for the bench)",
                url=f"bench://arxiv/{category}",
                kind=Source.Kind.ARXIV,
            ).pk
    # Copy k of title i is article (i, k): copies of one title are one story cluster.
    picks = [rng.randrange(len(titles)) for _ in range(args.articles)]
    copies = defaultdict(int)
    for i in picks:
        copies[i] += 1
    cluster_of: dict[int, int] = {}
    multi = [i for i, n in copies.items() if n > 1]
    StoryCluster.objects.bulk_create([StoryCluster(title=titles[i][1], size=copies[i]) for i in multi], batch_size=5000)
    for i, pk in zip(multi, StoryCluster.objects.order_by("pk").values_list("pk", flat=True)):
        cluster_of[i] = pk
    counter = TrendCounter(granularities=["week", "month"])
    fetched = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    article_sql = (
        "INSERT INTO radar_article (source_id, url, canonical_url, guid, title, summary_html, text, author, "
        "published_at, fetched_at, language, search_text, keywords, relevance, is_digital, content_hash, "
        "cluster_id) VALUES (?, '', '', ?, ?, '', '', '', ?, ?, 'en', '', '[]', 0.5, 1, ?, ?)"
    )
    link_sql = (
        "INSERT INTO radar_articletechnology (article_id, technology_id, score, evidence) VALUES (?, ?, 0.7, '[]')"
    )
    seen = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM radar_article")
        next_id = cursor.fetchone()[0] + 1
    batch, links = [], []
    for n, i in enumerate(picks):
        day, title, slugs, category = titles[i]
        seen[i] += 1
        published = f"{day} {(n % 86400) // 3600:02d}:{(n % 3600) // 60:02d}:00"
        batch.append(
            (sources[category], f"{i}-{seen[i]}", title, published, fetched, f"bench-{i}-{seen[i]}", cluster_of.get(i))
        )
        links.extend((next_id + n, tech_ids[s]) for s in slugs if s in tech_ids)
        counter.add(datetime.date.fromisoformat(day), {"tech": slugs})
        if len(batch) >= 20_000:
            _flush(article_sql, batch, link_sql, links)
            batch, links = [], []
    _flush(article_sql, batch, link_sql, links)
    _fill_trends(counter)
    result["article_links"] = sum(len(titles[i][2]) for i in picks)
    result["story_clusters"] = len(multi)
    _fill_firms(args, rng, tech_ids)
    _fill_programmes(args, rng, tech_ids)


def _flush(article_sql, batch, link_sql, links) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(article_sql, batch)
        cursor.executemany(link_sql, links)


def _fill_trends(counter) -> None:
    from seoulhub.radar.models.trends import TrendCount, TrendTotal

    TrendTotal.objects.bulk_create(
        [
            TrendTotal(granularity=g, period=p, count=n)
            for g, periods in counter.totals.items()
            for p, n in periods.items()
        ]
    )
    TrendCount.objects.bulk_create(
        [
            TrendCount(kind=kind, term=term, granularity=g, period=p, count=n)
            for (g, kind, term), series in counter.counts.items()
            for p, n in series.items()
        ],
        batch_size=5000,
    )


def _fill_firms(args, rng, tech_ids) -> None:
    from django.db import connection, transaction

    from seoulhub.support.models import Firm
    from seoulhub.text.techtag import default_tagger

    tagger = default_tagger()
    with KRX.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    tags = [[m.slug for m in tagger.tag(f"{r['업종']} {r['주요제품']}")] for r in rows]
    firms = []
    for n in range(args.firms):
        i = rng.randrange(len(rows))
        row = rows[i]
        firms.append(
            (
                Firm(
                    name_ko=f"{row['회사명']} #{n}",
                    province=row["지역"],
                    industry_text=row["업종"][:200],
                    products=row["주요제품"],
                    source=Firm.Source.KRX,
                    provenance="bench: resampled KRX KIND row",
                ),
                tags[i],
            )
        )
    with transaction.atomic():
        Firm.objects.bulk_create([f for f, _ in firms], batch_size=2000)
        ids = list(Firm.objects.order_by("pk").values_list("pk", flat=True))[-len(firms) :]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO support_firm_technologies (firm_id, technology_id) VALUES (?, ?)",
                [(pk, tech_ids[s]) for pk, (_, slugs) in zip(ids, firms) for s in set(slugs) if s in tech_ids],
            )


def _fill_programmes(args, rng, tech_ids) -> None:
    from django.db import connection, transaction

    from seoulhub.support.models import Programme
    from seoulhub.text.techtag import default_tagger

    tagger = default_tagger()
    records = json.loads(BIZINFO.read_text("utf-8"))["jsonArray"]
    tags = [[m.slug for m in tagger.tag(r.get("pblancNm", ""))] for r in records]
    today = datetime.date.today()
    programmes = []
    for n in range(args.programmes):
        i = rng.randrange(len(records))
        # A third of the copies get a window open today so the open-programme lists have rows to
        # show; the titles and tags stay the real ones.
        window = (
            (today - datetime.timedelta(days=5), today + datetime.timedelta(days=20)) if n % 3 == 0 else (None, None)
        )
        programmes.append(
            (
                Programme(
                    title=records[i]["pblancNm"][:300], opens_on=window[0], closes_on=window[1], source_id=f"bench-{n}"
                ),
                tags[i],
            )
        )
    with transaction.atomic():
        Programme.objects.bulk_create([p for p, _ in programmes], batch_size=2000)
        ids = list(Programme.objects.order_by("pk").values_list("pk", flat=True))[-len(programmes) :]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO support_programme_technologies (programme_id, technology_id) VALUES (?, ?)",
                [(pk, tech_ids[s]) for pk, (_, slugs) in zip(ids, programmes) for s in set(slugs) if s in tech_ids],
            )


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "n": len(ordered),
    }


def _measure(args, result: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from seoulhub.landscape import local, worldwide
    from seoulhub.landscape.refresh import refresh_landscape
    from seoulhub.radar.models import Article
    from seoulhub.support.models import Firm
    from seoulhub.taxonomy.models import Technology

    result["articles_in_db"] = Article.objects.count()
    result["firms_in_db"] = Firm.objects.count()
    full = refresh_landscape(full=True)
    result["refresh_full_s"] = full["seconds"]
    # 10,000 new articles: copies of existing rows with fresh ids (as the radar would add them).
    tag = f"-new{int(time.time())}"  # unique per run, so --reuse can add another batch
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO radar_article (source_id, url, canonical_url, guid, title, summary_html, text, author, "
            "published_at, fetched_at, language, search_text, keywords, relevance, is_digital, content_hash, cluster_id) "
            "SELECT source_id, url, canonical_url, guid || %s, title, summary_html, text, author, published_at, "
            "%s, language, search_text, keywords, relevance, is_digital, content_hash || %s, cluster_id "
            "FROM radar_article WHERE content_hash NOT LIKE %s ORDER BY id LIMIT 10000",
            [tag, (timezone.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"), tag, "%-new%"],
        )
        # The copies were inserted in id order, so the n-th new id copies the n-th source id.
        cursor.execute(
            "SELECT id FROM radar_article WHERE content_hash NOT LIKE %s ORDER BY id LIMIT 10000", ["%-new%"]
        )
        originals = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM radar_article WHERE content_hash LIKE %s ORDER BY id", ["%" + tag])
        copy_of = dict(zip(originals, (row[0] for row in cursor.fetchall())))
        cursor.execute(
            "SELECT article_id, technology_id FROM radar_articletechnology WHERE article_id <= %s", [originals[-1]]
        )
        links = [(copy_of[a], t) for a, t in cursor.fetchall() if a in copy_of]
        cursor.executemany(
            "INSERT INTO radar_articletechnology (article_id, technology_id, score, evidence) "
            "VALUES (%s, %s, 0.7, '[]')",
            links,
        )
    incremental = refresh_landscape()
    result["refresh_incremental_10k_s"] = incremental["seconds"]
    result["refresh_incremental_10k_counted"] = incremental["article_pairs"]["articles_counted"]
    ai = Technology.objects.get(slug="ai")
    result["signal_recount_one_technology_ms"] = round(_timed(lambda: local.refresh_local([ai.pk])) * 1000, 1)
    result["cooccurrence_pass_nothing_new_ms"] = round(_timed(worldwide.count_new_articles) * 1000, 1)

    client = Client()
    slugs = list(Technology.objects.filter(active=True).values_list("slug", flat=True))
    pages: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = {}

    def hit(name: str, url: str) -> None:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            pages[name].append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries[name] = max(queries.get(name, 0), len(captured.captured_queries))
        reset_queries()

    for slug in slugs:  # warm-up: templates, district map, connection
        hit("warmup", f"/tech/{slug}/")
    for _ in range(args.requests):
        for slug in slugs:
            hit("technology_page", f"/tech/{slug}/")
            hit("landscape_api", f"/api/v1/technologies/{slug}/landscape")
    official = get_user_model().objects.create_user("bench-official", password="bench-pw-1")
    official.groups.add(Group.objects.get_or_create(name="official")[0])
    client.force_login(official)
    firm_ids = list(
        Firm.objects.filter(technologies__isnull=False).distinct().order_by("pk").values_list("pk", flat=True)[:40]
    )
    for _ in range(args.requests * 8):  # one page each, so more rounds for a meaningful p95
        hit("gap_view", "/landscape/")
        hit("gap_api", "/api/v1/landscape/gaps?limit=50")
    for _ in range(args.requests):
        for pk in firm_ids[:10]:
            hit("firm_opportunities", f"/landscape/firms/{pk}/")
    pages.pop("warmup")
    result["pages"] = {name: {**_percentiles(samples), "queries": queries[name]} for name, samples in pages.items()}
    result["target_ms"] = 200


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main(sys.argv[1:])
