"""Weekly counts and emergence per technology come from the radar's stored trend counts
(radar.TrendCount / TrendTotal), here filled from the real arXiv stream tagged by the hub's tagger."""

import gzip
import json

import pytest
from django.conf import settings

from seoulhub.landscape.local import ensure_rows, refresh_local
from seoulhub.landscape.models import TechnologyLandscape
from seoulhub.landscape.trends import refresh_trends, windows
from seoulhub.radar.models.trends import TrendCount, TrendTotal
from seoulhub.text.techtag import default_tagger
from seoulhub.trends import TrendCounter

pytestmark = pytest.mark.django_db

ARXIV = settings.DATA_DIR / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"


@pytest.fixture(scope="module")
def arxiv_counter():
    import datetime

    counter = TrendCounter(granularities=["week"])
    tagger = default_tagger()
    with gzip.open(ARXIV, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            day = datetime.date.fromisoformat(record["first_seen"])
            counter.add(day, {"tech": [m.slug for m in tagger.tag(record["title"])]})
    return counter


@pytest.fixture
def radar_counts(arxiv_counter):
    TrendTotal.objects.bulk_create(
        TrendTotal(granularity="week", period=p, count=n) for p, n in arxiv_counter.totals["week"].items()
    )
    TrendCount.objects.bulk_create(
        TrendCount(kind=kind, term=term, granularity=g, period=p, count=n)
        for (g, kind, term), series in arxiv_counter.counts.items()
        for p, n in series.items()
    )
    return arxiv_counter


def spans_until(counter, until=None) -> tuple[int, int]:
    """The landscape's (recent, history) windows for the weeks up to `until`."""
    return windows([w for w in counter.periods("week") if until is None or w <= until])


def first_week_with_a_rise(counter) -> str:
    weeks = counter.periods("week")
    return next(
        w for w in weeks if spans_until(counter, w) and counter.rank("week", "tech", *spans_until(counter, w), until=w)
    )


@pytest.mark.parametrize("as_of", ["end of corpus", "first week with a rise"])
def test_weekly_counts_and_emergence_match_the_radar_maths_on_real_arxiv_titles(radar_counts, as_of):
    ensure_rows()
    until = None if as_of == "end of corpus" else first_week_with_a_rise(radar_counts)
    result = refresh_trends(until)
    assert result["weeks"] >= 16
    expected = {
        e.term: e
        for e in radar_counts.rank(
            "week", "tech", *spans_until(radar_counts, until), until=until, include_insignificant=True
        )
    }
    rows = {r.technology.slug: r for r in TechnologyLandscape.objects.select_related("technology")}
    assert {slug for slug, row in rows.items() if row.significant} == {t for t, e in expected.items() if e.significant}
    for slug, e in expected.items():
        assert (rows[slug].emergence, rows[slug].recent, rows[slug].history) == (e.score, e.recent, e.history)
    if until:
        assert any(row.significant for row in rows.values())
    generative = rows["generative-ai"]
    assert generative.articles == sum(radar_counts.series("week", "tech", "generative-ai").values())
    assert generative.weekly_counts[-1][0] == (until or max(radar_counts.totals["week"]))


def test_rising_technologies_get_a_gap_only_after_seoul_capacity_is_weighed(radar_counts, tech, make_firm):
    ensure_rows()
    refresh_trends(first_week_with_a_rise(radar_counts))
    refresh_local()
    rising = TechnologyLandscape.objects.filter(significant=True).select_related("technology").first()
    assert rising.gap == pytest.approx(rising.rising, abs=1e-4)  # no firm, no programme, no pilot
    make_firm("strong", [rising.technology])
    refresh_local()
    rising.refresh_from_db()
    assert rising.gap < rising.rising


def test_without_radar_counts_the_trend_figures_stay_empty():
    ensure_rows()
    assert refresh_trends() == {"technologies": 0, "weeks": 0}
    assert not TechnologyLandscape.objects.filter(significant=True).exists()
