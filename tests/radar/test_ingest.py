"""Ingestion into the database: idempotence, story clusters, tags, source health, the command."""

import gzip
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from seoulhub.radar.ingest.store import Ingestor
from seoulhub.radar.models import Article, ArticleTechnology, Source, StoryCluster
from seoulhub.radar.ingest.parse import parse_feed
from seoulhub.radar.tasks import SourceFailed, run_source

from .conftest import FIXTURES, fixture_bytes

pytestmark = pytest.mark.django_db


def file_source(path, **kw):
    return Source.objects.create(name=str(path).rsplit("/", 1)[-1], url=str(path), kind=Source.Kind.FILE, **kw)


def test_reingesting_same_feed_adds_nothing():
    source = file_source(FIXTURES / "netnewswire/cloudblog.rss")
    first = run_source(source)
    assert first.new == 20 == Article.objects.count()
    second = run_source(source)
    assert second.new == 0 and second.duplicates == 20
    assert Article.objects.count() == 20


def test_second_snapshot_adds_only_new_items():
    run_source(file_source(FIXTURES / "newsblur/google1.xml"))
    before = Article.objects.count()
    stats = run_source(file_source(FIXTURES / "newsblur/google2.xml"))
    assert Article.objects.count() == before + stats.new
    assert stats.duplicates >= 1  # the same posts, now from another source: exact duplicates by content


def test_real_reposts_join_one_story_cluster():
    run_source(file_source(FIXTURES / "newsblur/slashdot1.xml"))
    uzbl = Article.objects.filter(title__icontains="uzbl")
    assert uzbl.count() == 2
    assert uzbl[0].cluster_id is not None and uzbl[0].cluster_id == uzbl[1].cluster_id
    cluster = StoryCluster.objects.get(pk=uzbl[0].cluster_id)
    assert cluster.size == 2


def test_near_duplicate_across_sources_lists_every_source():
    lines = gzip.open("data/arxiv/arxiv_cs_full_2025-10.jsonl.gz").read().splitlines()[:3]
    feed = parse_feed(b"\n".join(lines))
    ingestor = Ingestor()
    a = Source.objects.create(name="A", url="a", kind=Source.Kind.FILE)
    b = Source.objects.create(name="B", url="b", kind=Source.Kind.FILE)
    ingestor.ingest(a, feed.items[:1])
    copy = feed.items[0]
    copy.guid, copy.title = "other-guid", copy.title + " (updated)"
    ingestor.ingest(b, [copy])
    articles = Article.objects.order_by("id")
    assert articles.count() == 2 and articles[0].cluster_id == articles[1].cluster_id
    assert {x.source.name for x in articles[0].cluster.articles.all()} == {"A", "B"}


def test_technologies_are_stored_with_score_and_evidence():
    src = Source.objects.create(name="k", url="data/feeds/klue-ynat-it-economy.xml", kind=Source.Kind.FILE)
    run_source(src)
    link = ArticleTechnology.objects.filter(technology__slug="ai").select_related("article").first()
    assert link is not None and 0 < link.score <= 1 and link.evidence
    assert Article.objects.filter(language="ko").count() == 961


def test_unreadable_file_is_recorded_on_source_health():
    source = file_source(FIXTURES / "feed-rs/rss_2.0_invalid_1.xml")
    with pytest.raises(SourceFailed, match="읽을 수 있는 RSS/Atom 피드가 아닙니다"):
        run_source(source)
    source.refresh_from_db()
    assert source.consecutive_errors == 1 and "읽을 수 있는 RSS/Atom 피드가 아닙니다" in source.last_error
    assert source.paused_at is None


def test_source_failing_for_days_is_paused_and_success_resets():
    source = Source.objects.create(name="s", url="https://feeds.example.org/x", kind=Source.Kind.RSS)
    now = timezone.now()
    source.last_success_at = now - timedelta(days=4)
    source.save()
    for i in range(3):
        source.record_failure("timed out", now=now + timedelta(hours=i))
    assert source.paused_at is not None and not source.is_due(now + timedelta(days=9))
    source.resume()
    source.record_success(now=now)
    assert source.consecutive_errors == 0 and source.last_error == "" and source.is_due(now + timedelta(hours=2))


def test_failing_source_backs_off_exponentially():
    source = Source.objects.create(name="s", url="https://feeds.example.org/y", fetch_interval_minutes=60)
    now = timezone.now()
    source.record_failure("HTTP 503", now=now)
    source.record_failure("HTTP 503", now=now)
    assert source.next_fetch_at() == now + timedelta(hours=4)


def test_command_refuses_loopback_url_without_allow_list(settings):
    settings.SEOULHUB_FETCH_ALLOW = []
    with pytest.raises(CommandError, match="127.0.0.1.*연결하지 않았습니다: 루프백 주소"):
        call_command("ingest", url="http://127.0.0.1:9/feed.xml", no_progress=True)
    assert not Source.objects.exists()


def test_command_fetches_url_from_local_server_with_allow_list(feed_server, allow_local, capsys):
    def route(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {}, b""
        return 200, {"ETag": '"v1"', "Content-Type": "application/rss+xml"}, fixture_bytes("netnewswire/macworld.rss")

    feed_server.routes["/feed.xml"] = route
    call_command("ingest", url=feed_server.url("/feed.xml"), no_progress=True)
    assert Article.objects.count() == 30
    source = Source.objects.get()
    assert source.etag == '"v1"' and source.last_success_at is not None
    call_command("ingest", url=feed_server.url("/feed.xml"), no_progress=True)  # 304: nothing new
    assert Article.objects.count() == 30
    assert "0 new" in capsys.readouterr().out


def test_command_failed_fetch_exits_with_reason(feed_server, allow_local):
    feed_server.routes["/down"] = (500, {}, b"")
    with pytest.raises(CommandError, match="응답: HTTP 500"):
        call_command("ingest", url=feed_server.url("/down"), no_progress=True)
    assert Source.objects.get().consecutive_errors == 1


def test_command_file_not_found():
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest", file="/nonexistent/feed.xml", no_progress=True)


def test_demo_sources_are_idempotent():
    from seoulhub.radar.demo import load

    assert load(print)["sources created"] == 3
    assert load(print)["sources created"] == 0
