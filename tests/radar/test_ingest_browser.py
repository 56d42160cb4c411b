"""The radar's latest-articles page and article detail in a real browser (chromium)."""

import pytest

from seoulhub.radar.models import Article, Source
from seoulhub.radar.tasks import run_source

from .conftest import FIXTURES

pytestmark = pytest.mark.browser


@pytest.fixture
def ingested(transactional_db):
    run_source(Source.objects.create(name="Slashdot", url=str(FIXTURES / "newsblur/slashdot1.xml"), kind="file"))
    run_source(
        Source.objects.create(name="연합뉴스 (KLUE-YNAT)", url="data/feeds/klue-ynat-it-economy.xml", kind="file")
    )


def test_filter_to_korean_then_open_article_with_evidence(page, ingested):
    page.goto("/radar/")
    page.select_option("select[name=language]", "ko")
    page.click("form:has(select[name=language]) button[type=submit]")
    first = page.locator("#latest-articles li a").first
    title = first.inner_text()
    article = Article.objects.get(title=title)
    assert article.language == "ko" and article.is_digital
    first.click()
    page.wait_for_url(f"**/radar/articles/{article.pk}/")
    assert page.locator("h1").inner_text() == title
    evidence = page.locator("#technologies dd .tag").all_inner_texts()
    assert evidence and set(evidence) <= {e for link in article.technology_links.all() for e in link.evidence}


def test_story_cluster_lists_the_other_report(page, ingested):
    first, second = Article.objects.filter(title__icontains="uzbl").order_by("id")
    page.goto(f"/radar/articles/{first.pk}/")
    page.locator("#also-reported a").click()
    page.wait_for_url(f"**/radar/articles/{second.pk}/")
    assert "uzbl" in page.locator("h1").inner_text().lower()
