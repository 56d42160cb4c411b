"""Items without a publication date: backfill (a file import, the first fetch of a new source)
stores them with an unknown date that counts in no trend; a routine re-fetch of a known feed dates
them by when it first saw them, and only those count."""

from datetime import UTC, datetime

import pytest

from seoulhub.radar.models import Article, Source, TrendCount, TrendMark, TrendTotal
from seoulhub.radar.tasks import run_source


def _rss(*titles: str) -> bytes:
    items = "".join(f"<item><title>{t}</title><guid>{t}</guid></item>" for t in titles)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


@pytest.mark.django_db
def test_file_import_stores_undated_items_with_an_unknown_date_and_counts_none(tmp_path, client):
    feed = tmp_path / "headlines.xml"
    feed.write_bytes(_rss("인공지능 반도체 출시 종합", "코스피 마감 종합", "5G 요금제 출시"))
    source = Source.objects.create(name="file", url=str(feed), kind="file")
    run_source(source)
    assert Article.objects.count() == 3
    assert not Article.objects.exclude(published_at=None).exists()
    assert not TrendMark.objects.exists() and not TrendTotal.objects.exists() and not TrendCount.objects.exists()
    # A second import of the same file is still backfill (files are never routine fetches).
    feed.write_bytes(_rss("인공지능 반도체 출시 종합", "양자컴퓨터 개발 종합"))
    run_source(Source.objects.get(pk=source.pk))
    assert Article.objects.filter(published_at=None).count() == 4 and not TrendTotal.objects.exists()
    page = client.get("/radar/", {"all": "1"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200 and "날짜 미상".encode() in page.content
    detail = client.get(f"/radar/articles/{Article.objects.first().pk}/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "날짜 미상".encode() in detail.content


@pytest.mark.django_db
def test_routine_fetch_of_a_known_feed_dates_new_undated_items_by_first_sight(feed_server, allow_local):
    feed_server.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, _rss("AI chip one", "AI chip two"))
    source = Source.objects.create(name="city", url=feed_server.url("/feed"), kind="rss")
    run_source(source)  # first fetch of a new source: backfill
    assert set(Article.objects.values_list("published_at", flat=True)) == {None}
    assert not TrendTotal.objects.exists()
    feed_server.routes["/feed"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        _rss("AI chip one", "AI chip two", "AI chip three"),
    )
    before = datetime.now(UTC)
    run_source(Source.objects.get(pk=source.pk))  # a routine fetch: the new item was just published
    new = Article.objects.get(title="AI chip three")
    assert new.published_at is not None and new.published_at >= before.replace(microsecond=0)
    assert TrendTotal.objects.filter(granularity="week").get().count == 1
    assert TrendMark.objects.get().article_id == new.pk


@pytest.mark.django_db
def test_dated_items_keep_their_date_on_a_first_fetch(tmp_path):
    feed = tmp_path / "dated.xml"
    feed.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Robots in Seoul</title><guid>r1</guid>"
        b"<pubDate>Tue, 10 Mar 2026 09:00:00 GMT</pubDate></item></channel></rss>"
    )
    run_source(Source.objects.create(name="dated", url=str(feed), kind="file"))
    article = Article.objects.get()
    assert article.published_at == datetime(2026, 3, 10, 9, tzinfo=UTC)
    assert TrendTotal.objects.filter(granularity="month", period="2026-03").get().count == 1
