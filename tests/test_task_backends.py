"""Jobs run through the configured Django Tasks backend by a separate `seoulhub worker` process:
the database queue (default) and Redis/RQ (production). Both against a file database that the
worker process shares with the test."""

import os
import shutil
import subprocess

import pytest
from django.conf import settings

from console import run_seoulhub

REPO = settings.REPO_DIR
FIXTURE = REPO / "tests" / "fixtures" / "feeds" / "netnewswire" / "cloudblog.rss"


def redis_answers() -> bool:
    if shutil.which("redis-cli") is None:
        return False
    return (
        subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True, text=True
        ).stdout.strip()
        == "PONG"
    )


def seoulhub(env: dict, *args: str, timeout: int = 300) -> str:
    result = run_seoulhub(env, *args, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


ENQUEUE = """
from seoulhub.radar.models import Source
from seoulhub.radar.tasks import ingest_source
source, _ = Source.objects.get_or_create(url={path!r}, defaults={{"name": "Google Cloud blog (fixture)", "kind": Source.Kind.FILE}})
result = ingest_source.enqueue(source.pk)
print("ENQUEUED", result.id)
"""

COUNT = "from seoulhub.radar.models import Article; print('ARTICLES', Article.objects.count())"


def articles(env: dict) -> int:
    return int(seoulhub(env, "shell", "-c", COUNT).split("ARTICLES")[-1])


def run_job_through_a_worker(env: dict) -> None:
    seoulhub(env, "migrate", "--noinput")
    seoulhub(env, "shell", "-c", ENQUEUE.format(path=str(FIXTURE)))
    assert articles(env) == 0, "the job ran before any worker took it"
    worker = run_seoulhub(env, "worker", "--batch")
    assert worker.returncode == 0, worker.stdout + worker.stderr
    stored = articles(env)
    # Another suite sharing this Redis database (two CI runs at once) can empty the queue between
    # the enqueue and the worker; the worker's log tells that apart from a job that failed.
    assert stored > 0, f"the worker stored nothing; its log:\n{worker.stdout}{worker.stderr}"
    seoulhub(env, "shell", "-c", ENQUEUE.format(path=str(FIXTURE)))
    seoulhub(env, "worker", "--batch")
    assert articles(env) == stored, "running the same job again must add nothing"
    heartbeat = seoulhub(
        env,
        "shell",
        "-c",
        "from seoulhub.core.models import WorkerHeartbeat; print('BEATS', WorkerHeartbeat.objects.count())",
    )
    assert int(heartbeat.split("BEATS")[-1]) >= 1


@pytest.mark.slow
def test_database_queue_job_runs_in_the_worker_process(tmp_path):
    run_job_through_a_worker(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}",
            "SEOULHUB_VAR_DIR": str(tmp_path),
            "SEOULHUB_TASKS": "db",
        }
    )


@pytest.mark.slow
@pytest.mark.skipif(not redis_answers(), reason="needs a Redis server on 127.0.0.1:6379 (CI has one)")
def test_redis_queue_job_runs_in_an_rq_worker(tmp_path):
    # The suite's queue database (14 unless the run, or its pytest-xdist worker, names another).
    queue_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    subprocess.run(["redis-cli", "-u", queue_url, "flushdb"], check=True, capture_output=True)
    run_job_through_a_worker(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}",
            "SEOULHUB_VAR_DIR": str(tmp_path),
            "SEOULHUB_TASKS": "rq",
            "REDIS_URL": queue_url,
        }
    )
