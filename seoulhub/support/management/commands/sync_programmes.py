"""`seoulhub sync-programmes bizinfo|kstartup|all [--url URL] [--key KEY] [--since DATE] [--enqueue]`:
fetch the 기업마당 / K-Startup APIs and upsert their announcements (programme_sync.py)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from seoulhub.support.programme_sync import SOURCES, configured_key, configured_sources, sync_source


class Command(BaseCommand):
    help = (
        "Fetch current support programmes from the 기업마당 or K-Startup open API and add or update them "
        "(keyed on the source's id: a re-run adds nothing). Keys: --key or SEOULHUB_BIZINFO_KEY / "
        "SEOULHUB_KSTARTUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", choices=[*SOURCES, "all"], help="bizinfo, kstartup, or all (every source whose key is set)"
        )
        parser.add_argument("--url", help="API address (default: the official endpoint); a test server, say")
        parser.add_argument("--key", help="service key (default: from the environment)")
        parser.add_argument(
            "--since",
            help="YYYY-MM-DD: only announcements registered/changed (bizinfo) or "
            "still open (K-Startup) on or after this day",
        )
        parser.add_argument("--enqueue", action="store_true", help="queue the sync for the task worker instead")

    def handle(self, *args, source, url=None, key=None, since=None, enqueue=False, **options):
        day = None
        if since:
            try:
                day = datetime.date.fromisoformat(since)
            except ValueError:
                raise CommandError(
                    f"--since {since!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-07-01"
                ) from None
        names = configured_sources() if source == "all" else [source]
        if source == "all" and (url or key):
            raise CommandError("--url and --key apply to one source: name bizinfo or kstartup")
        if not names:
            raise CommandError("no source has a key: set SEOULHUB_BIZINFO_KEY and/or SEOULHUB_KSTARTUP_KEY")
        for name in names:
            if not (key or configured_key(name)) and not url:
                raise CommandError(f"no key for {name}: pass --key or set {SOURCES[name].key_setting}")
        if enqueue:
            from seoulhub.support.tasks import sync_programmes

            for name in names:
                sync_programmes.enqueue(name, day.isoformat() if day else None)
                self.stdout.write(f"{name}: queued for the task worker")
            return
        failed = False
        for name in names:
            run = sync_source(name, url=url, key=key, since=day)
            self.stdout.write(
                f"{name}: {run.status} — {run.pages} pages, {run.fetched} records: {run.created} created, "
                f"{run.updated} updated, {run.unchanged} unchanged, {run.skipped} skipped, {run.rejected} rejected"
            )
            for line in run.errors[:20]:
                self.stderr.write(f"  {line}")
            failed |= run.status == run.Status.FAILED
        if failed:
            raise CommandError("the sync failed for at least one source (see above; /support/sync/ keeps the log)")
