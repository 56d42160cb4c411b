"""Demo sources of the radar (idempotent), and the builder of the bundled Korean demo feed.

`load(log)` (called by `seoulhub load-demo`) creates the demo sources; `seoulhub ingest --demo`
creates them too and ingests them. The sources are local files shipped in data/:
  * arXiv listings sampled from data/arxiv (files in data/feeds): every fourth October 2025
    record with its abstract, and every second title of the 2025-03 .. 2026-07 stream (37,364 of
    74,728, in first-seen order, so each day keeps half its real volume), with their real
    first-seen dates: 15 months of dated items, enough for the landscape's half-year-against-
    nine-months windows, and small enough that `make demo` stays within its time budget;
  * 연합뉴스 headlines from KLUE-YNAT (CC BY-SA 4.0), sections IT과학 and 경제, as an RSS 2.0
    feed (data/feeds/klue-ynat-it-economy.xml). KLUE keeps no dates: a file import is backfill,
    so these items are stored with an unknown date and count in no trend.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

from .models import Source

DEMO_SOURCES = [
    {
        "url": "data/feeds/arxiv_cs_full_2025-10_every4th.jsonl.gz",
        "name": "arXiv cs.CV/cs.CL listings with abstracts, October 2025 (every fourth)",
        "kind": Source.Kind.ARXIV,
        "language_hint": "en",
        "trust_level": Source.Trust.HIGH,
        "site_url": "https://arxiv.org/",
        "attribution": "arXiv.org metadata, CC0 1.0",
    },
    {
        "url": "data/feeds/arxiv_cs_titles_every2nd.jsonl.gz",
        "name": "arXiv cs.CV/cs.CL titles 2025-03 .. 2026-07 (every second)",
        "kind": Source.Kind.ARXIV,
        "language_hint": "en",
        "trust_level": Source.Trust.HIGH,
        "site_url": "https://arxiv.org/",
        "attribution": "arXiv.org metadata, CC0 1.0",
    },
    {
        "url": "data/feeds/klue-ynat-it-economy.xml",
        "name": "연합뉴스 IT과학·경제 헤드라인 (KLUE-YNAT)",
        "kind": Source.Kind.RSS,
        "language_hint": "ko",
        "trust_level": Source.Trust.NORMAL,
        "site_url": "https://klue-benchmark.com/",
        "attribution": "KLUE-YNAT (Yonhap News headlines), CC BY-SA 4.0",
    },
]


def demo_sources(log=print) -> list[Source]:
    sources = []
    for spec in DEMO_SOURCES:
        defaults = {k: v for k, v in spec.items() if k != "url"} | {"fetch_interval_minutes": 24 * 60}
        source, created = Source.objects.get_or_create(url=spec["url"], defaults=defaults)
        if created:
            log(f"radar: created demo source {source.name}")
        sources.append(source)
    return sources


def load(log) -> dict[str, int]:
    before = Source.objects.count()
    demo_sources(log=lambda m: None)
    return {"sources created": Source.objects.count() - before}


# --- builders of the files in data/feeds (run once; the output is committed) -------------


def build_klue_feed(csv_path: Path, out_path: Path, sections=("IT과학", "경제")) -> int:
    rows = []
    with open(csv_path, encoding="utf-8") as fh:
        for guid, _naver_section, label, title in csv.reader(fh):
            if label in sections:
                rows.append((guid, label, title))
    items = "\n".join(
        f'    <item><title>{escape(title)}</title><guid isPermaLink="false">klue-ynat-v1.1-dev-{guid}</guid>'
        f"<category>{escape(label)}</category></item>"
        for guid, label, title in rows
    )
    out_path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n  <channel>\n'
        "    <title>연합뉴스 IT과학·경제 헤드라인 (KLUE-YNAT dev, 홀수 행)</title>\n"
        "    <link>https://github.com/KLUE-benchmark/KLUE</link>\n    <language>ko</language>\n"
        "    <description>Real Yonhap News Agency headlines from KLUE-YNAT v1.1 (CC BY-SA 4.0), "
        "sections IT과학 and 경제. Built by seoulhub.radar.demo.build_klue_feed; KLUE keeps no dates "
        "or links, so items have none.</description>\n"
        f"{items}\n  </channel>\n</rss>\n",
        encoding="utf-8",
    )
    return len(rows)


def build_arxiv_sample(src: Path, out_path: Path, every: int) -> int:
    kept = 0
    with gzip.open(src, "rt", encoding="utf-8") as fh, gzip.open(out_path, "wt", encoding="utf-8") as out:
        for n, line in enumerate(fh):
            if n % every == 0:
                record = json.loads(line)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                kept += 1
    return kept


def repo_path(relative: str) -> Path:
    path = Path(relative)
    return path if path.is_absolute() else Path(settings.REPO_DIR) / path
