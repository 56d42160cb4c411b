"""The radar's trend page tells the truth: genre words never trend, spellings of one concept are
one row, too little history says so, and the windows end at the clock."""

import datetime

import pytest
from django.core.cache import cache

from seoulhub.core import clock
from seoulhub.radar import trend_figures
from seoulhub.radar.models.trends import record_article

from .search_factories import make_article, make_source

pytestmark = pytest.mark.django_db

MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]


def fill(months, per_month=20, jump_from=9):
    """Each month: 'segmentation' papers; from `jump_from` on, LLM papers under two spellings and
    a spike of the Korean genre word 종합."""
    source = make_source("trend test")
    for index, month in enumerate(months):
        year, mon = map(int, month.split("-"))
        when = datetime.datetime(year, mon, 10, tzinfo=datetime.UTC)
        for i in range(per_month):
            if index >= jump_from and i < 6:
                keywords = ["llm", "종합"]
            elif index >= jump_from and i < 12:
                keywords = ["거대언어모델", "종합"]
            else:
                keywords = ["segmentation"] + (["llm"] if i == 0 else [])
            record_article(make_article(source, f"{month} #{i}", keywords=keywords, published_at=when))
    cache.clear()


def test_genre_words_never_trend_and_spellings_of_one_concept_are_one_row(client):
    fill(MONTHS)
    figures = trend_figures.rising("keyword", "month")
    assert [item["term"] for item in figures["items"]] == ["LLM"]
    assert figures["items"][0]["recent"] == 6 * 12  # llm and 거대언어모델 items of the last 6 months
    page = client.get("/radar/trends/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "LLM" in page and "종합" not in page and "이력 부족" not in page
    timeline = trend_figures.timeline("keyword", "LLM", "month")
    assert timeline["counts"][-1] == 12 and timeline["counts"][0] == 1


def test_too_few_periods_say_not_enough_history(client):
    fill(MONTHS[-4:], jump_from=2)
    figures = trend_figures.rising("tech", "month")
    assert not figures["enough_history"] and figures["items"] == []
    page = client.get("/radar/trends/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert page.count("이력 부족") >= 2 and "0 of 0" not in page


def test_windows_end_at_the_clock():
    fill(MONTHS)
    clock.set_reference_date(datetime.date(2026, 2, 15))
    try:
        cache.clear()
        figures = trend_figures.rising("keyword", "month")
    finally:
        clock.set_reference_date(None)
    assert figures["periods"][-1] == "2026-02"
    assert figures["recent_periods"] == ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
