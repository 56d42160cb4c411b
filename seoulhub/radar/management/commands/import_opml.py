"""`seoulhub import-opml FILE`: add the feeds of an OPML file as radar sources (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from seoulhub.radar.models import Source
from seoulhub.radar.opml import OpmlError, parse_opml


class Command(BaseCommand):
    help = "Import the feeds of an OPML file as radar sources; feeds already known are left as they are."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--interval", type=int, default=60, help="fetch interval in minutes for new sources")

    def handle(self, *args, file, interval, **options):
        path = Path(file)
        try:
            feeds = parse_opml(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except OpmlError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        created = skipped = 0
        for feed in feeds:
            if not feed.xml_url.startswith(("http://", "https://")):
                self.stderr.write(f"skipped {feed.xml_url!r}: only http(s) feeds can be imported")
                skipped += 1
                continue
            with transaction.atomic():
                _, was_created = Source.objects.get_or_create(
                    url=feed.xml_url[:1000],
                    defaults={
                        "name": feed.title,
                        "site_url": feed.html_url[:1000],
                        "language_hint": feed.language,
                        "kind": feed.kind,
                        "fetch_interval_minutes": interval,
                    },
                )
            created += was_created
        self.stdout.write(f"{created} sources added, {len(feeds) - created - skipped} already known, {skipped} skipped")
