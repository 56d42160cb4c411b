import re

from django.core.management.base import BaseCommand, CommandError

from seoulhub.landscape.refresh import refresh_landscape


class Command(BaseCommand):
    help = (
        "Update the technology-landscape aggregates: counts new articles since the last run, "
        "reads the radar's trend figures, recounts Seoul's firms, programmes, demands and pilots. "
        "Safe to re-run; --full recounts article co-occurrence from the start."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="recount article co-occurrence from scratch")
        parser.add_argument(
            "--as-of-week",
            dest="until_week",
            help="score trends as they stood at the end of this ISO week, e.g. 2025-W31",
        )
        parser.add_argument(
            "--settle",
            type=float,
            default=None,
            metavar="SECONDS",
            help="count only articles fetched at least this long ago (default 300: an "
            "ingest still running cannot be half-counted); 0 right after an ingest finished",
        )

    def handle(self, *args, full: bool = False, until_week: str | None = None, settle: float | None = None, **options):
        if until_week and not re.fullmatch(r"\d{4}-W\d{2}", until_week):
            raise CommandError(f"--as-of-week must look like 2025-W31, not {until_week!r}.")
        if settle is not None and settle < 0:
            raise CommandError("--settle must be 0 or more seconds.")
        refresh_landscape(
            full=full, log=lambda line: self.stdout.write(line), until_week=until_week, settle_seconds=settle
        )
