"""`seoulhub radar_digests daily|weekly`: send the e-mail digests due for the last day or ISO
week. Safe to run more than once (each subscriber gets one digest per period); schedule it
daily (e.g. 07:00) and weekly (Monday 07:00)."""

from django.core.management.base import BaseCommand

from seoulhub.radar.digest import send_due_digests
from seoulhub.radar.models import Subscription


class Command(BaseCommand):
    help = "Send radar e-mail digests for the last day or week."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=[Subscription.Frequency.DAILY, Subscription.Frequency.WEEKLY])

    def handle(self, *args, frequency, **options):
        figures = send_due_digests(frequency)
        self.stdout.write(f"{frequency} digests: sent {figures['sent']}, nothing to send for {figures['skipped']}")
