"""A fetch or parse error stored on a source is read on Korean pages: the worker writes it in
settings.LANGUAGE_CODE (Korean) unless a language is active."""

import pytest
from django.core.management import call_command
from django.utils import translation

from seoulhub.radar.models import Source
from seoulhub.radar.tasks import SourceFailed, ingest_source, run_source


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_stores_a_fetch_error_in_korean(settings, feed_server, allow_local):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    source = Source.objects.create(name="gone", url=feed_server.url("/gone"), kind="rss")
    ingest_source.enqueue(source.pk)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    source.refresh_from_db()
    assert source.last_error == f"{feed_server.url('/gone')} 응답: HTTP 404"


@pytest.mark.django_db
def test_a_parse_error_is_korean_by_default_and_english_when_english_is_active(feed_server, allow_local):
    feed_server.routes["/empty"] = (200, {"Content-Type": "application/rss+xml"}, b"  ")
    source = Source.objects.create(name="empty", url=feed_server.url("/empty"), kind="rss")
    with pytest.raises(SourceFailed):
        run_source(source)
    assert source.last_error == "피드가 비어 있습니다"
    with translation.override("en"), pytest.raises(SourceFailed, match="the feed is empty"):
        run_source(source)


def test_the_ssrf_guard_names_the_address_in_korean():
    from seoulhub.radar.ingest.fetch import Fetcher, FetchRefused

    with pytest.raises(FetchRefused) as refused:
        Fetcher().check_url("http://127.0.0.1:9/feed")
    assert "루프백 주소" in str(refused.value) and "SEOULHUB_FETCH_ALLOW" in str(refused.value)
