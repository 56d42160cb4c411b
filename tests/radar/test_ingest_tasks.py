"""Ingestion through the Django Tasks API with the database worker, and full-text extraction."""

import pytest
from django.core.management import call_command

from seoulhub.radar.models import Article, Source
from seoulhub.radar.tasks import embed_pending, ingest_due, ingest_source

from .conftest import FIXTURES

PAGE = """<html><head><title>Robots in Seoul</title></head><body><nav>menu</nav><article>
<h1>Seoul tests delivery robots</h1>
<p>Seoul's metropolitan government began a pilot of autonomous delivery robots in Gangnam on Monday,
with sidewalk robots carrying parcels between apartment blocks and a logistics hub.</p>
<p>The pilot uses lidar and computer vision to avoid pedestrians, and the city will publish the data
from the trial for other firms that want to test their own robots on public roads.</p>
</article><footer>footer</footer></body></html>"""


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_queued_ingest(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    source = Source.objects.create(name="cloudblog", url=str(FIXTURES / "netnewswire/cloudblog.rss"), kind="file")
    result = ingest_source.enqueue(source.pk)
    assert Article.objects.count() == 0  # queued, not run
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value["new"] == 20
    assert Article.objects.count() == 20
    # Not due again right after a success: ingest_due queues nothing.
    due = ingest_due.enqueue()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    due.refresh()
    assert due.return_value == 0


@pytest.mark.django_db(transaction=True)
def test_embedding_job_fills_float16_vectors(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    source = Source.objects.create(name="k", url="data/feeds/klue-ynat-it-economy.xml", kind="file")
    from seoulhub.radar.tasks import run_source

    run_source(source)
    result = embed_pending.enqueue(limit=70)
    assert result.return_value == 70
    article = Article.objects.exclude(embedding=None).first()
    vector = article.embedding_vector()
    assert vector.shape == (512,) and abs(float((vector**2).sum()) - 1.0) < 0.01


@pytest.mark.django_db
def test_full_text_is_extracted_from_article_page(feed_server, allow_local):
    rss = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>Seoul tests delivery robots</title><link>{feed_server.url('/story')}</link>"
        f"<guid>story-1</guid><description>Short teaser.</description></item></channel></rss>"
    ).encode()
    feed_server.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, rss)
    feed_server.routes["/story"] = (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode())
    source = Source.objects.create(name="city", url=feed_server.url("/feed"), kind="rss", full_text=True)
    from seoulhub.radar.tasks import run_source

    run_source(source)
    article = Article.objects.get()
    assert "lidar and computer vision" in article.text and "menu" not in article.text
    assert {link.technology.slug for link in article.technology_links.all()} >= {"robotics"}


def test_enqueue_command_queues_due_sources(db, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    Source.objects.create(name="a", url="https://feeds.example.org/a")
    Source.objects.create(name="paused", url="https://feeds.example.org/b", paused_at="2026-01-01T00:00:00Z")
    call_command("ingest", enqueue=True)
    assert "queued 1 due sources" in capsys.readouterr().out


def test_ingest_queues_embedding_jobs_for_the_worker(db, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    call_command("ingest", file=str(FIXTURES / "netnewswire/cloudblog.rss"), no_progress=True)
    assert "queued 1 embedding jobs (20 articles)" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path="seoulhub.radar.tasks.embed_pending").count() == 1
    call_command("ingest", file=str(FIXTURES / "netnewswire/cloudblog.rss"), no_progress=True)
    assert DBTaskResult.objects.filter(task_path="seoulhub.radar.tasks.embed_pending").count() == 1
