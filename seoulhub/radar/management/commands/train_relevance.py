"""`seoulhub train-relevance`: retrain the learned digital relevance from data/relevance and print
its held-out figures (JSON). Writes data/relevance/model.json unless --dry-run."""

import json

from django.core.management.base import BaseCommand

from seoulhub.radar.relevance_training import train
from seoulhub.text import relevance as learned


class Command(BaseCommand):
    help = "Retrain the digital-relevance model from the shipped data and print held-out figures."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print the figures, keep the shipped model")

    def handle(self, *args, dry_run, **options):
        def progress(done, total):
            self.stderr.write(f"embedded {done}/{total}")

        model, figures = train(progress=progress)
        if not dry_run:
            model.save()
            learned.default_model.cache_clear()
        self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=1))
