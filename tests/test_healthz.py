from datetime import timedelta

import pytest
from django.utils import timezone

from seoulhub.core.health import beat
from seoulhub.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_without_any_worker_is_degraded_and_says_how_to_start_one(client):
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["status"] == "degraded"
    assert body["worker"]["heartbeat_age_seconds"] is None
    assert "seoulhub worker" in body["worker"]["message"]


def test_healthz_is_ok_after_a_heartbeat(client):
    beat("test-worker", timezone.now())
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert 0 <= body["worker"]["heartbeat_age_seconds"] < 5


def test_healthz_reports_a_stale_worker(client):
    beat("old-worker", timezone.now())
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=10))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["worker"]["heartbeat_age_seconds"] >= 600
