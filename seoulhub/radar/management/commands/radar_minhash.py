"""`seoulhub radar_minhash`: recompute the stored MinHash signatures after a shingle-scheme change.

Ingest jobs load their near-duplicate index from the stored signatures of the last
ingest.CLUSTER_WINDOW, so by default only those are recomputed; --all recomputes every article.
Safe to interrupt and to run again (one transaction per batch, values depend only on the text).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from seoulhub.radar.ingest.store import CLUSTER_WINDOW, recompute_signatures


class Command(BaseCommand):
    help = "Recompute the stored MinHash signatures of articles (the near-duplicate index is built from them)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every article, not only the recent window")
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, all, batch, **options):
        since = None if all else timezone.now() - CLUSTER_WINDOW
        done = recompute_signatures(since=since, batch=max(1, batch))
        self.stdout.write(f"{done} signatures recomputed")
