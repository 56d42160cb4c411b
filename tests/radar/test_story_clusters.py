"""Story clusters: one shingle scheme for every length, the Korean/English join in the embedding
job, the stored signatures recomputed by `radar_minhash`, and the "also reported in" line."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from seoulhub.radar.ingest.store import Ingestor
from seoulhub.radar.models import Article, Source
from seoulhub.radar.ingest.parse import parse_feed
from seoulhub.radar.tasks import embed_batch
from seoulhub.text import embed, minhash, storylink

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db


def rss(*items: tuple[str, str, str]) -> bytes:
    """(guid, title, RFC 822 date) items as an RSS 2.0 document."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://example.org/{guid}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for guid, title, date in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def ingest(name: str, *items) -> list[Article]:
    source = Source.objects.create(name=name, url=name, kind=Source.Kind.FILE)
    Ingestor().ingest(source, parse_feed(rss(*items)).items)
    return list(Article.objects.filter(source=source).order_by("id"))


def test_a_headline_at_12_and_at_11_tokens_joins_one_story():
    twelve = "Samsung starts mass production of 3nm chips for AI servers in Korea"
    eleven = "Samsung starts mass production of 3nm chips for AI servers in"
    [a] = ingest("A", ("a1", twelve, "Fri, 20 Nov 2026 09:00:00 +0900"))
    [b] = ingest("B", ("b1", eleven, "Fri, 20 Nov 2026 11:00:00 +0900"))
    a.refresh_from_db()
    assert a.cluster_id is not None and a.cluster_id == b.cluster_id
    assert a.cluster.size == 2


def test_radar_minhash_recomputes_stored_signatures():
    [a] = ingest("A", ("a1", "Seoul opens a robotics test bed for delivery robots", "Fri, 20 Nov 2026 09:00:00 +0900"))
    right = bytes(a.minhash)
    Article.objects.filter(pk=a.pk).update(minhash=b"\0" * (4 * minhash.NUM_PERM))  # an older scheme's values
    call_command("radar_minhash", "--all", "--batch", "1")
    a.refresh_from_db()
    assert bytes(a.minhash) == right


def test_a_korean_and_an_english_report_of_one_event_join_in_the_embedding_job():
    [ko] = ingest("연합", ("k1", "SK하이닉스, HBM4 12단 샘플 엔비디아에 공급", "Fri, 20 Nov 2026 09:00:00 +0900"))
    en, _ = ingest(
        "Wire",
        ("e1", "SK hynix supplies 12-layer HBM4 samples to Nvidia", "Sat, 21 Nov 2026 08:00:00 +0000"),
        ("e2", "Seoul raises subway fares by 150 won", "Sat, 21 Nov 2026 08:00:00 +0000"),
    )
    assert ko.cluster_id is None and en.cluster_id is None  # MinHash cannot see it
    assert embed_batch(10) == 3
    ko.refresh_from_db()
    en.refresh_from_db()
    assert ko.cluster_id is not None and ko.cluster_id == en.cluster_id
    assert ko.cluster.size == 2
    assert Article.objects.get(guid="e2").cluster_id is None
    assert embed_batch(10) == 0  # nothing left: re-running joins nothing again


def test_a_close_pair_without_a_shared_name_or_number_stays_apart():
    ko_title, en_title = "카카오, AI 에이전트 서비스 '카나나' 공개", "Naver unveils AI agent service for shopping"
    ko_vec, en_vec = embed.embed([ko_title, en_title])
    assert float(ko_vec @ en_vec) >= storylink.COSINE  # close by the vectors alone
    assert not storylink.anchors(ko_title) & storylink.anchors(en_title)
    [ko] = ingest("연합", ("k1", ko_title, "Fri, 20 Nov 2026 09:00:00 +0900"))
    [en] = ingest("Wire", ("e1", en_title, "Fri, 20 Nov 2026 10:00:00 +0900"))
    embed_batch(10)
    assert Article.objects.filter(pk__in=[ko.pk, en.pk], cluster__isnull=False).count() == 0


def test_the_same_pair_ten_days_apart_stays_apart():
    [ko] = ingest("연합", ("k1", "SK하이닉스, HBM4 12단 샘플 엔비디아에 공급", "Fri, 20 Nov 2026 09:00:00 +0900"))
    [en] = ingest(
        "Wire", ("e1", "SK hynix supplies 12-layer HBM4 samples to Nvidia", "Mon, 30 Nov 2026 09:00:00 +0900")
    )
    embed_batch(10)
    assert Article.objects.filter(pk__in=[ko.pk, en.pk], cluster__isnull=False).count() == 0


def test_the_article_page_says_also_reported_in_english_with_a_link(client):
    [ko] = ingest("연합", ("k1", "SK하이닉스, HBM4 12단 샘플 엔비디아에 공급", "Fri, 20 Nov 2026 09:00:00 +0900"))
    [en] = ingest(
        "Wire", ("e1", "SK hynix supplies 12-layer HBM4 samples to Nvidia", "Sat, 21 Nov 2026 08:00:00 +0000")
    )
    embed_batch(10)
    page = client.get(f"/radar/articles/{ko.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "영어로도 보도" in page and f'href="/radar/articles/{en.pk}/"' in page
    assert "한국어로도 보도" not in page
    page = client.get(f"/radar/articles/{en.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "한국어로도 보도" in page and f'href="/radar/articles/{ko.pk}/"' in page


def judged_pairs():
    path = FIXTURES.parent / "stories" / "xlingual_pairs.tsv"
    return [
        line.rstrip("\n").split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_the_join_on_the_judged_pairs_keeps_its_precision_and_recall():
    pairs = judged_pairs()
    ko_vecs, en_vecs = embed.embed([p[2] for p in pairs]), embed.embed([p[3] for p in pairs])
    day = datetime(2026, 11, 20)
    joined = [
        storylink.same_event(
            float(k @ e), storylink.anchors(ko), storylink.anchors(en), day, day + timedelta(days=int(days))
        )
        for (_label, days, ko, en), k, e in zip(pairs, ko_vecs, en_vecs)
    ]
    truth = [label == "same" for label, *_ in pairs]
    true_positives = sum(j and t for j, t in zip(joined, truth))
    precision, recall = true_positives / sum(joined), true_positives / sum(truth)
    assert sum(truth) >= 25 and len(truth) - sum(truth) >= 25
    assert precision >= 0.95 and recall >= 0.85, (precision, recall)


def test_two_existing_stories_are_never_merged():
    ko = ingest(
        "연합",
        ("k1", "SK하이닉스, HBM4 12단 샘플 엔비디아에 공급", "Fri, 20 Nov 2026 09:00:00 +0900"),
        ("k2", "SK하이닉스, HBM4 12단 샘플 엔비디아에 공급 시작", "Fri, 20 Nov 2026 10:00:00 +0900"),
    )
    en = ingest(
        "Wire",
        ("e1", "SK hynix supplies 12-layer HBM4 samples to Nvidia", "Sat, 21 Nov 2026 08:00:00 +0000"),
        ("e2", "SK hynix supplies 12-layer HBM4 samples to Nvidia today", "Sat, 21 Nov 2026 09:00:00 +0000"),
    )
    stories = {a.pk: Article.objects.get(pk=a.pk).cluster_id for a in ko + en}
    assert None not in stories.values() and len(set(stories.values())) == 2  # one per language, by MinHash
    embed_batch(10)
    assert {a.pk: Article.objects.get(pk=a.pk).cluster_id for a in ko + en} == stories
