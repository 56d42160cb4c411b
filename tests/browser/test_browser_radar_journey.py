"""A reader's journey in a real browser: sign in, follow a technology, read the personal feed,
then search in English and find the Korean report."""

from django.utils import timezone

import pytest

from seoulhub.accounts.models import Role
from radar.search_factories import make_article, make_source  # tests/radar, on the path as a package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(make_user):
    return make_user("reader", Role.FIRM_MEMBER)


@pytest.fixture
def korean_report(db):
    source = make_source("연합뉴스 IT과학 (KLUE-YNAT)")
    return make_article(
        source,
        "지능형 합승택시·수요응답형 버스 스마트시티에서 구현된다",
        techs=["smart-city"],
        published_at=timezone.now(),
    )


def test_reader_follows_smart_city_reads_the_feed_and_finds_it_in_english(page, reader, korean_report):
    page.goto("/accounts/login/?next=/alerts/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/alerts/")
    assert "스마트시티에서 구현된다" not in page.locator("section").first.inner_text()

    page.check("input[name=technologies][value=smart-city]")
    page.locator("form.form button[type=submit]").last.click()
    page.wait_for_load_state()
    feed = page.locator("section").first.inner_text()
    assert "스마트시티에서 구현된다" in feed

    page.goto("/radar/search")
    page.fill("input[name=q]", "smart city")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.hit")
    assert any("스마트시티" in title for title in page.locator("article.hit h2").all_inner_texts())
