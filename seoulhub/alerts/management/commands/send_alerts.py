"""`seoulhub send-alerts [--enqueue]`: plan the digests due now (daily: yesterday, weekly: the last
ISO week, from SEOULHUB_DIGEST_HOUR local time) and send every delivery that is due, retries
included. Safe to run as often as you like (every 10 minutes keeps retries on time)."""

from django.core.management.base import BaseCommand

from seoulhub.alerts.delivery import due_deliveries, plan_deliveries, send_due


class Command(BaseCommand):
    help = "Plan due e-mail and webhook digests and send them (or queue them for the workers)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue one task per delivery for the workers")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from seoulhub.alerts.tasks import send_delivery_task

            planned = plan_deliveries()
            due = due_deliveries()
            for delivery_id in due:
                send_delivery_task.enqueue(delivery_id)
            self.stdout.write(f"planned {planned} deliveries, queued {len(due)}")
            return
        outcomes = send_due()
        self.stdout.write(", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())))
