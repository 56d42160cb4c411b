"""The search and trend pages in a real browser (Debian chromium via Playwright)."""

from datetime import datetime, timezone

import pytest

from seoulhub.radar.models.trends import record_article

from .search_factories import make_article, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def headlines(db):
    source = make_source("연합뉴스")
    rows = [
        ("세종시 스마트시티 마스터플랜 말하는 정재승 교수", ["smart-city"], datetime(2026, 5, 4, tzinfo=timezone.utc)),
        (
            "지능형 합승택시·수요응답형 버스 스마트시티에서 구현된다",
            ["smart-city"],
            datetime(2026, 6, 2, tzinfo=timezone.utc),
        ),
        ("KIST 전자 스핀 이용한 AI 반도체 기술 개발", ["ai-semiconductor"], datetime(2026, 6, 9, tzinfo=timezone.utc)),
    ]
    articles = [make_article(source, title, techs=techs, published_at=when) for title, techs, when in rows]
    for article in articles:
        record_article(article)
    return articles


def test_searching_in_korean_shows_marked_results_and_facets(page, headlines):
    page.goto("/radar/search")
    page.fill("input[name=q]", "스마트시티")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.hit mark")
    titles = page.locator("article.hit h2").all_inner_texts()
    assert len(titles) == 2 and all("스마트시티" in t for t in titles)
    assert page.locator("mark").first.inner_text() == "스마트시티"
    page.locator(".facet a[href*='lang=ko']").first.click()
    page.wait_for_load_state()
    assert "lang=ko" in page.url


def test_trend_page_draws_a_plotly_chart(page, headlines):
    page.goto("/radar/trends/tech/smart-city/")
    page.wait_for_selector("#timeline-chart svg.main-svg", state="attached", timeout=15_000)
    assert page.locator("#timeline-chart .scatterlayer .trace").count() == 1
    assert page.locator("table.data tbody tr").count() >= 2
    assert "세종시 스마트시티" in page.locator("ol").inner_text()
