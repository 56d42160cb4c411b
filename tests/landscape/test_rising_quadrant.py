"""Rising technologies feed the gap view: windows end at the newest counted week (never after the
hub's clock), too little history says so instead of "0 of 0", and /landscape/ draws the
rising-against-capacity quadrant."""

import datetime
import json
import re

import pytest

from seoulhub.core import clock
from seoulhub.landscape.local import ensure_rows, refresh_local
from seoulhub.landscape.models import TechnologyLandscape
from seoulhub.landscape.trends import (
    HISTORY_WEEKS,
    MIN_HISTORY_WEEKS,
    RECENT_WEEKS,
    refresh_trends,
    windows,
)
from seoulhub.radar.models.trends import TrendCount, TrendTotal
from seoulhub.trends.periods import week_key

pytestmark = pytest.mark.django_db


def weeks_ending(last: datetime.date, n: int) -> list[str]:
    return [week_key(last - datetime.timedelta(weeks=n - 1 - i)) for i in range(n)]


def store_counts(weeks: list[str], rising_from: int, per_week: int = 200) -> None:
    """ai-agents at 2 % of items, 8 % from week index `rising_from`; computer-vision flat at 30 %."""
    TrendTotal.objects.bulk_create(TrendTotal(granularity="week", period=w, count=per_week) for w in weeks)
    rows = []
    for index, week in enumerate(weeks):
        agents = per_week * (8 if index >= rising_from else 2) // 100
        rows += [
            TrendCount(kind="tech", term="ai-agents", granularity="week", period=week, count=agents),
            TrendCount(kind="tech", term="computer-vision", granularity="week", period=week, count=60),
        ]
    TrendCount.objects.bulk_create(rows)


def test_windows_need_a_quarter_of_history():
    assert windows(["w"] * (RECENT_WEEKS + MIN_HISTORY_WEEKS - 1)) is None
    assert windows(["w"] * (RECENT_WEEKS + MIN_HISTORY_WEEKS)) == (RECENT_WEEKS, MIN_HISTORY_WEEKS)
    assert windows(["w"] * 100) == (RECENT_WEEKS, HISTORY_WEEKS)


def test_a_rising_technology_fills_the_gap_view_and_the_quadrant(client):
    weeks = weeks_ending(datetime.date(2026, 6, 29), RECENT_WEEKS + HISTORY_WEEKS)
    store_counts(weeks, rising_from=HISTORY_WEEKS)
    ensure_rows()
    refresh_trends()
    refresh_local()
    agents = TechnologyLandscape.objects.get(technology__slug="ai-agents")
    assert agents.significant and agents.rising > 0 and agents.gap > 0
    assert (agents.recent, agents.recent_total) == (16 * RECENT_WEEKS, 200 * RECENT_WEEKS)
    assert not TechnologyLandscape.objects.get(technology__slug="computer-vision").significant
    page = client.get("/landscape/", HTTP_ACCEPT_LANGUAGE="ko")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="quadrant-chart"' in html and "이력 부족" not in html
    figure = json.loads(re.search(r'data-figure="([^"]*)"', html).group(1).replace("&quot;", '"'))
    rising_trace = next(t for t in figure["data"] if t["marker"]["color"] == "#c0392b")
    assert rising_trace["text"] == [agents.technology.name] and rising_trace["x"] == [round(agents.capacity, 3)]
    assert "1개" in html or "1 " in re.sub(r"<[^>]+>", " ", html)  # the count of rising technologies is stated


def test_too_little_history_says_not_enough_history_instead_of_0_of_0(client):
    weeks = weeks_ending(datetime.date(2026, 6, 29), RECENT_WEEKS + MIN_HISTORY_WEEKS - 1)
    store_counts(weeks, rising_from=len(weeks) - 4)
    ensure_rows()
    refresh_trends()
    refresh_local()
    assert not TechnologyLandscape.objects.filter(significant=True).exists()
    assert not TechnologyLandscape.objects.exclude(history_total=0).exists()
    gaps = client.get("/landscape/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "이력 부족" in gaps and 'id="quadrant-chart"' not in gaps
    tech_page = client.get("/tech/ai-agents/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "이력 부족" in tech_page and "0 of 0" not in tech_page and "0건 중 0건" not in tech_page


def test_windows_end_at_the_clock_not_after_it():
    weeks = weeks_ending(datetime.date(2026, 6, 29), RECENT_WEEKS + HISTORY_WEEKS)
    store_counts(weeks, rising_from=HISTORY_WEEKS)
    ensure_rows()
    clock.set_reference_date(datetime.date(2026, 1, 5))  # before the rise: nothing has risen yet
    try:
        refresh_trends()
    finally:
        clock.set_reference_date(None)
    agents = TechnologyLandscape.objects.get(technology__slug="ai-agents")
    assert agents.weekly_counts[-1][0] <= week_key(datetime.date(2026, 1, 5))
    assert not agents.significant
