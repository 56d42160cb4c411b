from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seoulhub.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup of the database (SQLite online backup, or pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="file to write (default var/backups/seoulhub-<time>.backup)")

    def handle(self, target=None, **options):
        from django.conf import settings

        path = (
            Path(target) if target else settings.VAR_DIR / "backups" / f"seoulhub-{timezone.now():%Y%m%d-%H%M%S}.backup"
        )
        try:
            written = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({written.stat().st_size:,} bytes)"))
