"""Trend counters in the database: incremental, idempotent, undone on delete, and the rising
list computed from them; the trend API and pages."""

from datetime import datetime, timezone

import pytest

from seoulhub.radar import trend_figures
from seoulhub.radar.models import Article, TrendCount, TrendMark, TrendTotal
from seoulhub.radar.models.trends import record_article
from seoulhub.trends import TrendCounter

from .search_factories import make_article, make_source

pytestmark = pytest.mark.django_db


def counts(kind, granularity="month"):
    return {(c.term, c.period): c.count for c in TrendCount.objects.filter(kind=kind, granularity=granularity)}


def test_a_new_article_is_counted_when_its_transaction_commits(django_capture_on_commit_callbacks):
    source = make_source()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            source,
            "KIST 전자 스핀 이용한 AI 반도체 기술 개발",
            techs=["ai-semiconductor"],
            keywords=["반도체", "스핀"],
            published_at=datetime(2026, 3, 4, tzinfo=timezone.utc),
        )
    assert TrendMark.objects.filter(article=article).exists()
    assert counts("tech") == {("ai-semiconductor", "2026-03"): 1}
    assert counts("keyword") == {("반도체", "2026-03"): 1, ("스핀", "2026-03"): 1}
    assert counts("tech", "week") == {("ai-semiconductor", "2026-W10"): 1}
    assert TrendTotal.objects.get(granularity="month", period="2026-03").count == 1


def test_recording_twice_changes_nothing_and_a_change_moves_the_counts():
    source = make_source()
    article = make_article(
        source,
        "세종시 스마트시티 마스터플랜 말하는 정재승 교수",
        techs=["smart-city"],
        keywords=["스마트시티"],
        published_at=datetime(2026, 5, 2, tzinfo=timezone.utc),
    )
    assert record_article(article) is True
    assert record_article(article) is False
    assert counts("tech") == {("smart-city", "2026-05"): 1}
    Article.objects.filter(pk=article.pk).update(
        published_at=datetime(2026, 6, 1, tzinfo=timezone.utc), keywords=["마스터플랜"]
    )
    article.refresh_from_db()
    assert record_article(article) is True
    assert counts("tech") == {("smart-city", "2026-05"): 0, ("smart-city", "2026-06"): 1}
    assert counts("keyword") == {("스마트시티", "2026-05"): 0, ("마스터플랜", "2026-06"): 1}
    assert TrendTotal.objects.get(granularity="month", period="2026-05").count == 0


def test_deleting_an_article_takes_back_what_it_added():
    source = make_source()
    article = make_article(
        source, "KT AI 기반 네트워크 운용 플랫폼 뉴로플로우 개발", techs=["ai"], keywords=["뉴로플로우"]
    )
    record_article(article)
    article.delete()
    assert set(counts("tech").values()) == {0} and set(counts("keyword").values()) == {0}
    assert not TrendMark.objects.exists()


def test_rising_from_the_database_matches_the_framework_free_counter():
    source = make_source("arXiv cs (test)")
    counter = TrendCounter()
    months = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]  # 15 months
    for index, month in enumerate(months):
        year, mon = map(int, month.split("-"))
        when = datetime(year, mon, 10, tzinfo=timezone.utc)
        rising = 1 if index < 9 else 12  # the agent papers jump in the last six months
        for i in range(20):
            keywords = ["agent memory"] if i < rising else ["segmentation"]
            article = make_article(source, f"Paper {month} #{i}", keywords=keywords, published_at=when, language="en")
            record_article(article)
            counter.add(when, {"keyword": keywords})
    figures = trend_figures.rising("keyword", "month")
    recent, history, _least = trend_figures.WINDOWS["month"]
    expected = counter.rank("month", "keyword", recent=recent, history=history, min_recent=10)
    assert [item["term"] for item in figures["items"]] == [e.term for e in expected] == ["agent memory"]
    item = figures["items"][0]
    assert item["recent"] == 72 and item["history"] == 9 and item["significant"]
    assert item["series"] == [1] * 9 + [12] * 6
    assert figures["recent_periods"] == months[-6:] and figures["enough_history"]


def test_trend_api_and_pages(client):
    source = make_source()
    article = make_article(
        source, "AI로 부정수급 찾아낸다…과기부 14개 공공사업에 207억원 투입", techs=["ai"], keywords=["부정수급"]
    )
    record_article(article)
    response = client.get("/api/v1/trends/rising", {"kind": "tech", "granularity": "week"})
    assert response.status_code == 200 and set(response.json()) >= {"items", "periods", "recent_periods"}
    assert client.get("/api/v1/trends/rising", {"kind": "nope"}).json()["message"].startswith("kind must be")
    timeline = client.get("/api/v1/trends/timeline", {"term": "ai", "kind": "tech"}).json()
    assert timeline["counts"] == [1] and timeline["periods"] == ["2026-06"]
    page = client.get("/radar/trends/")
    assert page.status_code == 200 and b"vendor/plotly/plotly.min.js" in page.content
    detail = client.get("/radar/trends/tech/ai/")
    assert detail.status_code == 200 and "부정수급".encode() in detail.content
    assert client.get("/radar/trends/tech/no-such-tech/").status_code == 404
    keyword = client.get("/radar/trends/keyword/", {"term": "부정수급"})
    assert keyword.status_code == 200 and b"2026-06" in keyword.content


def test_trends_command_counts_articles_stored_without_the_signal():
    from io import StringIO

    from django.core.management import call_command

    source = make_source()
    article = make_article(
        source, "비누 성분 넣은 반도체 잉크 개발…유독성 잉크 대체 가능", techs=["semiconductors"], keywords=["잉크"]
    )
    assert not TrendMark.objects.exists()  # on_commit never ran inside the test transaction
    out = StringIO()
    call_command("radar_trends", stdout=out)
    assert "counted or corrected 1" in out.getvalue()
    assert TrendMark.objects.filter(article=article).exists()
    call_command("radar_trends", "--all", stdout=out)
    assert "counted or corrected 0" in out.getvalue()
    assert counts("keyword") == {("잉크", "2026-06"): 1}
