"""Batched storing: one transaction per batch, counted as article-by-article storing would count,
clashes with a concurrent run resolved item by item, nothing half-written after a failure."""

import pytest
from django.conf import settings
from django.core.management import call_command

from seoulhub.radar.ingest import store as ingest_mod
from seoulhub.radar.ingest.store import Ingestor, IngestStats
from seoulhub.radar.models import Article, ArticleTechnology, Source, TrendCount, TrendMark, TrendTotal
from seoulhub.radar.ingest.parse import parse_feed
from seoulhub.radar.ingest.process import process_item
from seoulhub.radar.tasks import run_source

pytestmark = pytest.mark.django_db

KLUE_IT = "data/feeds/klue-ynat-it-economy.xml"
ARXIV_DATED = "data/feeds/arxiv_cs_titles_every20th.jsonl.gz"


def snapshot():
    return (
        sorted(TrendCount.objects.values_list("kind", "term", "granularity", "period", "count")),
        sorted(TrendTotal.objects.values_list("granularity", "period", "count")),
        sorted(TrendMark.objects.values_list("article_id", "day", "terms")),
    )


@pytest.mark.slow
def test_batched_trend_counts_equal_an_article_by_article_recount(monkeypatch):
    # Dated items (the arXiv sample): the undated KLUE headlines of a file import count in no trend.
    monkeypatch.setattr(settings, "RADAR_STORE_BATCH", 500)
    source = Source.objects.create(name="arxiv", url=ARXIV_DATED, kind=Source.Kind.ARXIV)
    stats = run_source(source)
    assert stats.new > 3 * 500  # several batches
    batched = snapshot()
    assert len(batched[2]) == stats.new and batched[0]

    TrendCount.objects.all().delete()
    TrendTotal.objects.all().delete()
    TrendMark.objects.all().delete()
    call_command("radar_trends", "--all", verbosity=0)
    assert snapshot() == batched


def processed(n):
    feed = parse_feed(open(KLUE_IT, "rb").read())
    return [process_item(item) for item in feed.items[:n]]


def test_a_batch_clashing_with_a_concurrent_run_is_stored_item_by_item():
    source = Source.objects.create(name="s", url="s", kind=Source.Kind.FILE)
    items = processed(5)
    ingestor = Ingestor()
    # Another worker stored an item with the third item's GUID (different text) in the meantime.
    other = Ingestor()
    clash = processed(6)[5]
    clash.guid = items[2].guid
    other.store(source, clash)

    stats = IngestStats()
    ingestor.store_batch(source, items, stats)
    assert (stats.new, stats.duplicates) == (4, 1)
    assert Article.objects.filter(source=source).count() == 5
    assert set(Article.objects.values_list("guid", flat=True)) == {p.guid for p in items}


def test_a_failed_batch_writes_nothing_and_leaves_the_index_as_it_was(monkeypatch):
    source = Source.objects.create(name="s", url="s", kind=Source.Kind.FILE)
    ingestor = Ingestor()
    before = len(ingestor.cluster_index.index)

    def crash(entries):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_mod, "record_new_articles", crash)
    with pytest.raises(RuntimeError):
        ingestor.store_batch(source, processed(20), IngestStats())
    assert not Article.objects.exists() and not ArticleTechnology.objects.exists()
    assert len(ingestor.cluster_index.index) == before

    monkeypatch.undo()
    stats = IngestStats()
    ingestor.store_batch(source, processed(20), stats)
    assert stats.new == 20 and len(ingestor.cluster_index.index) == before + 20


def test_an_ingesting_sqlite_connection_checkpoints_its_log_less_often():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint = 1000")
        Ingestor()
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == ingest_mod.INGEST_WAL_AUTOCHECKPOINT_PAGES
