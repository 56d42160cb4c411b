"""A small real corpus for search, trend and subscription tests, stored through the real
ingestion pipeline (Ingestor + embed_batch): arXiv cs titles on AI hardware and smart cities,
a spread of other arXiv titles, and Yonhap headlines from KLUE-YNAT (the 132 rows of
tests/fixtures/klue-ynat that mention AI, semiconductors or smart cities, plus every 45th row)."""

import csv
import gzip
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARXIV_TITLES = REPO / "data" / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"
YNAT = REPO / "tests" / "fixtures" / "klue-ynat" / "ynat-v1.1_dev_search_sample.csv"

TOPICAL_EN = re.compile(r"\b(accelerators?|NPUs?|FPGAs?|smart cit(y|ies)|urban computing)\b", re.I)


def arxiv_items():
    from seoulhub.radar.ingest.items import ParsedItem

    items = []
    with gzip.open(ARXIV_TITLES, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            record = json.loads(line)
            if TOPICAL_EN.search(record["title"]) or n % 400 == 0:
                items.append(
                    ParsedItem(
                        title=record["title"],
                        link=f"https://arxiv.org/abs/{record['id']}",
                        guid=record["id"],
                        published_at=datetime.fromisoformat(record["first_seen"]).replace(tzinfo=timezone.utc, hour=12),
                        categories=record["categories"],
                        language="en",
                    )
                )
    return items


def ynat_items():
    from seoulhub.radar.ingest.items import ParsedItem

    with open(YNAT, encoding="utf-8") as fh:
        return [
            ParsedItem(
                title=row[3],
                guid=f"ynat-{row[0]}",
                language="ko",
                published_at=datetime(2026, 6, 15, 9, tzinfo=timezone.utc),
            )
            for row in csv.reader(fh)
        ]


def build_corpus():
    """Create sources and store every item through the pipeline; returns (arxiv_source, ynat_source)."""
    from seoulhub.radar.ingest.store import Ingestor
    from seoulhub.radar.models import Source
    from seoulhub.radar.tasks import embed_batch
    from seoulhub.taxonomy.loaders import load_technologies
    from seoulhub.taxonomy.models import Technology

    load_technologies(Technology)
    arxiv_sample, ynat_sample = arxiv_items(), ynat_items()  # read before anything is stored
    arxiv = Source.objects.create(
        name="arXiv cs (test sample)", url="test://arxiv", kind=Source.Kind.ARXIV, language_hint="en"
    )
    ynat = Source.objects.create(name="연합뉴스 (KLUE-YNAT test sample)", url="test://ynat", language_hint="ko")
    ingestor = Ingestor()
    ingestor.ingest(arxiv, arxiv_sample)
    ingestor.ingest(ynat, ynat_sample)
    while embed_batch(256):
        pass
    return arxiv, ynat


def drop_corpus():
    from seoulhub.radar.models import Article, Source, StoryCluster, TrendCount, TrendTotal

    Article.objects.all().delete()
    StoryCluster.objects.all().delete()
    Source.objects.all().delete()
    TrendCount.objects.all().delete()
    TrendTotal.objects.all().delete()


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Built once per test module (the pipeline and embedder take seconds), removed afterwards."""

    with django_db_blocker.unblock():
        # Whatever happens while building or using it, the next module starts from an empty
        # database: these rows live outside any test's transaction.
        try:
            sources = build_corpus()
            yield sources
        finally:
            drop_corpus()
