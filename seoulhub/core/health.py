"""What /healthz reports: the database answers, and how long ago a task worker was last seen."""

import socket
import os
import threading

from django.db import DatabaseError, connection
from django.utils import timezone

WORKER_STALE_AFTER_SECONDS = 120
HEARTBEAT_INTERVAL_SECONDS = 15


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, f"database unreachable: {exc}"
    return True, "ok"


def worker_heartbeat_age() -> float | None:
    from .models import WorkerHeartbeat

    latest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    if latest is None:
        return None
    return max(0.0, (timezone.now() - latest).total_seconds())


def beat(worker_id: str, started_at) -> None:
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


class HeartbeatThread(threading.Thread):
    """Writes the worker's heartbeat every few seconds until stopped."""

    def __init__(self, worker_id: str, interval: float = HEARTBEAT_INTERVAL_SECONDS):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self._stop_event = threading.Event()

    def run(self) -> None:
        from django.db import close_old_connections

        while not self._stop_event.is_set():
            try:
                beat(self.worker_id, self.started_at)
            except DatabaseError:
                pass  # the next beat retries; a missing heartbeat is itself the signal
            finally:
                close_old_connections()
            self._stop_event.wait(self.interval)
        connection.close()

    def stop(self) -> None:
        self._stop_event.set()
