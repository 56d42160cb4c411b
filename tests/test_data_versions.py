"""core.versions: the one way cached values learn their data changed."""

import pytest
from django.core.cache import cache

from seoulhub.core import localcache, versions


@pytest.fixture(autouse=True)
def empty_caches():
    cache.clear()
    localcache.clear_all()
    yield
    cache.clear()
    localcache.clear_all()


def test_the_same_tables_give_the_same_version_after_the_cache_is_lost():
    stamp = versions.current("example", lambda: "abc")
    assert stamp == "tables-abc"
    cache.clear()
    localcache.clear_all()
    assert versions.current("example", lambda: "abc") == stamp


def test_a_bump_gives_a_new_version_at_once_and_names_are_independent():
    before = versions.current("example", lambda: "abc")
    other = versions.current("other", lambda: "xyz")
    versions.bump("example")
    after = versions.current("example", lambda: "abc")
    assert after != before and after.startswith("edit-")
    assert versions.current("other", lambda: "xyz") == other


def test_fresh_reads_the_shared_cache_past_the_process_memo():
    versions.current("example", lambda: "abc")
    cache.set("data-version:example", "edit-elsewhere")  # another process bumped it
    assert versions.current("example", lambda: "abc") != "edit-elsewhere"  # memo: a few seconds stale
    assert versions.current("example", lambda: "abc", fresh=True) == "edit-elsewhere"


@pytest.mark.django_db(transaction=True)
def test_writing_trend_counts_bumps_the_trends_version():
    from datetime import datetime, timezone

    from seoulhub.radar.models.trends import TRENDS_DATA_SET, record_article
    from seoulhub.radar.trend_figures import _version
    from tests.radar.search_factories import make_article, make_source

    article = make_article(make_source(), "On-device LLM inference", language="en")
    before = _version()
    article.published_at = datetime(2025, 7, 1, tzinfo=timezone.utc)  # it moves to another period
    assert record_article(article)
    assert versions.current(TRENDS_DATA_SET, lambda: "unused") != before
