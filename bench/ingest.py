"""Ingestion benchmark: a real corpus through the whole pipeline into a fresh database.

    seoulhub bench ingest --json [--arxiv-titles 10000] [--embed-sample 300] [--cpu 0]
                                 [--database-url URL] [--keep]

Corpus (real, from ../shared/data or $SEOULHUB_SHARED_DATA, and data/): the 4,732 arXiv records of 2025-10 (title +
abstract), N further arXiv titles, the 4,554 KLUE-YNAT headlines and the 5,000 KLUE-NER
sentences (Korean news and reviews). They are written as feed files (arXiv JSON lines, RSS 2.0)
and ingested by `radar.tasks.run_source`: parse -> sanitise -> language -> tokens (kiwipiepy
for Korean) -> technologies + relevance -> keywords -> MinHash + story clusters -> stored in
batches of settings.RADAR_STORE_BATCH, one transaction each with the technology links, the
search index (triggers) and the trend counters. In the same run, on the same texts, kiwipiepy
tokenisation alone is timed; Kiwi is warmed up on other Korean text before both timings:
ratio_to_tokenizer = articles_per_s / tokenizer_only_articles_per_s. The process is pinned to one
CPU. Embeddings are a separate batched job (radar.tasks.embed_batch); their rate is
measured on --embed-sample articles and reported beside, not inside, articles_per_s.

Runs in a child process on a new SQLite file (or --database-url) so the figures do not depend
on what the development database holds.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SEOULHUB_SHARED_DATA", REPO.parent / "shared" / "data"))


def _args(argv):
    p = argparse.ArgumentParser(prog="seoulhub bench ingest")
    p.add_argument("--json", action="store_true")
    p.add_argument("--arxiv-titles", type=int, default=10_000)
    p.add_argument("--embed-sample", type=int, default=300)
    p.add_argument("--cpu", type=int, default=0)
    p.add_argument("--database-url", default="")
    p.add_argument("--keep", action="store_true", help="keep the database file")
    p.add_argument("--child", default="", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def build_corpus(out: Path, arxiv_titles: int) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    full = REPO / "data" / "arxiv" / "arxiv_cs_full_2025-10.jsonl.gz"
    files["arxiv_full"] = full
    full_ids = {json.loads(line)["id"] for line in gzip.open(full, "rt", encoding="utf-8")}
    titles_path = out / "arxiv_titles.jsonl"
    kept = 0
    with (
        gzip.open(
            REPO / "data" / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz", "rt", encoding="utf-8"
        ) as src,
        open(titles_path, "w", encoding="utf-8") as dst,
    ):
        for line in src:
            if kept >= arxiv_titles:
                break
            if json.loads(line)["id"] not in full_ids:
                dst.write(line)
                kept += 1
    files["arxiv_titles"] = titles_path
    ynat = SHARED / "klue-ynat-dev-half" / "ynat-v1.1_dev_odd_rows.csv"
    items = [(f"ynat-{guid}", title) for guid, _s, _l, title in csv.reader(open(ynat, encoding="utf-8"))]
    files["klue_ynat"] = _rss(out / "klue_ynat.xml", "KLUE-YNAT", items)
    ner = SHARED / "klue-ner-dev" / "klue-ner-v1.1_dev.tsv"
    sentences = []
    for line in open(ner, encoding="utf-8"):
        if line.startswith("## klue-ner"):
            guid, _, marked = line[3:].rstrip("\n").partition("\t")
            text = _unmark(marked)
            sentences.append((guid, text))
    files["klue_ner"] = _rss(out / "klue_ner.xml", "KLUE-NER", [(g, t[:60], t) for g, t in sentences])
    return files


def warm_up_kiwi(texts: int = 200) -> None:
    """Load Kiwi and run it over real Korean text that is not in the corpus (bizinfo programmes).

    Kiwi's first few thousand analyses in a process are about 1.5 s slower than later ones
    (measured: 4.5 s against 3.1 s for the same 4,777 Korean items), whatever the text. The
    baseline runs after the pipeline and so always got a warm analyser; warming up before both
    timings gives the two the same start."""
    from seoulhub.text import korean

    programmes = json.loads((REPO / "data" / "bizinfo" / "bizinfo_jsonArray_2021-12.json").read_text("utf-8"))
    analyser = korean.kiwi()
    for programme in programmes["jsonArray"][:texts]:
        analyser.tokenize(f"{programme['pblancNm']}\n{programme['bsnsSumryCn']}")


def _unmark(marked: str) -> str:
    import re

    return re.sub(r"<([^<>:]+):[A-Z]{2}>", r"\1", marked)


def _rss(path: Path, title: str, items) -> Path:
    body = []
    for item in items:
        guid, head = item[0], item[1]
        desc = f"<description>{escape(item[2])}</description>" if len(item) > 2 else ""
        body.append(f'<item><title>{escape(head)}</title><guid isPermaLink="false">{escape(guid)}</guid>{desc}</item>')
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<language>ko</language>{''.join(body)}</channel></rss>",
        encoding="utf-8",
    )
    return path


def child(args) -> dict:
    os.sched_setaffinity(0, {args.cpu})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from seoulhub.radar.ingest.store import Ingestor
    from seoulhub.radar.models import Article, Source
    from seoulhub.radar.ingest.parse import parse_feed
    from seoulhub.radar.tasks import embed_batch, run_source
    from seoulhub.text import korean

    workdir = Path(args.child)
    files = build_corpus(workdir / "corpus", args.arxiv_titles)
    # The texts the pipeline tokenises, for the tokenizer-only baseline (same run, same core).
    texts = []
    for path in files.values():
        for item in parse_feed(path.read_bytes()).items:
            texts.append(f"{item.title}\n{item.content_html or item.summary_html}")
    warm_up_kiwi()  # load the model and page it in outside both timings
    ingestor = Ingestor()
    t0, c0 = time.perf_counter(), time.process_time()
    per_source = {}
    for name, path in files.items():
        source = Source.objects.create(name=name, url=str(path), kind=Source.Kind.FILE)
        stats = run_source(source, ingestor=ingestor)
        per_source[name] = stats.as_dict()
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    articles = Article.objects.count()

    analyser = korean.kiwi()
    t0, c0 = time.perf_counter(), time.process_time()
    for text in texts:
        analyser.tokenize(text)
    tokenizer_seconds, tokenizer_cpu = time.perf_counter() - t0, time.process_time() - c0

    embed_rate = None
    if args.embed_sample:
        from seoulhub.text import embed

        embed.embed(["warm-up"])
        t0 = time.perf_counter()
        done = 0
        while done < args.embed_sample and (n := embed_batch(min(64, args.embed_sample - done))):
            done += n
        embed_rate = round(done / (time.perf_counter() - t0), 1) if done else None

    rate = articles / seconds
    tok_rate = len(texts) / tokenizer_seconds
    return {
        "articles": articles,
        "items_in_corpus": len(texts),
        "seconds": round(seconds, 1),
        "articles_per_s": round(rate, 1),
        "tokenizer_only_articles_per_s": round(tok_rate, 1),
        "ratio_to_tokenizer": round(rate / tok_rate, 3),
        # The machine is shared: CPU time of this process is the fairer cost measure beside wall time.
        "cpu_seconds": round(cpu_seconds, 1),
        "ratio_to_tokenizer_cpu": round((articles / cpu_seconds) / (len(texts) / tokenizer_cpu), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "embed_articles_per_s": embed_rate,
        "per_source": per_source,
        "clusters": Article.objects.exclude(cluster=None).values("cluster").distinct().count(),
        "digital_share": round(Article.objects.filter(is_digital=True).count() / max(articles, 1), 3),
        "cpu": args.cpu,
        "database": django.db.connection.vendor,
    }


def main(argv: list[str]) -> dict:
    args = _args(argv)
    if args.child:
        return child(args)
    workdir = Path(tempfile.mkdtemp(prefix="seoulhub-bench-ingest-"))
    env = dict(os.environ)
    env["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env.setdefault("DJANGO_SETTINGS_MODULE", "seoulhub.settings")
    env["DEBUG"] = "0"  # as in production: DEBUG keeps every SQL statement in memory
    cmd = [
        sys.executable,
        "-m",
        "seoulhub.cli",
        "bench",
        "ingest",
        "--child",
        str(workdir),
        "--arxiv-titles",
        str(args.arxiv_titles),
        "--embed-sample",
        str(args.embed_sample),
        "--cpu",
        str(args.cpu),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"bench child failed:\n{proc.stderr[-3000:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    if not args.keep:
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        workdir.rmdir()
    else:
        figures["kept"] = str(workdir)
    return figures
