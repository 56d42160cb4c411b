"""`seoulhub worker`: runs queued jobs and reports a heartbeat to /healthz.

The database backend (default) runs django-tasks-db's worker; with SEOULHUB_TASKS=rq it runs an
RQ worker on Redis with django-tasks-rq's job class. Either way the heartbeat thread runs beside it.
"""

import os
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from seoulhub.core.health import HeartbeatThread


class Command(BaseCommand):
    help = "Run the task worker (database backend, or RQ with SEOULHUB_TASKS=rq) with a heartbeat for /healthz."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="queues, comma-separated (default: default)")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle (database backend)"
        )
        parser.add_argument("--batch", action="store_true", help="run every queued job, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many jobs (database backend)")

    def handle(self, *args, queue_name, interval, batch, max_tasks, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        heartbeat = HeartbeatThread(worker_id)
        heartbeat.start()
        try:
            if settings.TASKS_BACKEND == "rq":
                call_command(
                    "rqworker", *queue_name.split(","), job_class="django_tasks_rq.Job", burst=batch, name=worker_id
                )
            else:
                call_command(
                    "db_worker",
                    queue_name=queue_name,
                    interval=interval,
                    batch=batch,
                    max_tasks=max_tasks,
                    worker_id=worker_id,
                    startup_delay=False,
                    verbosity=options.get("verbosity", 1),
                )
        finally:
            heartbeat.stop()
