from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seoulhub.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup written by `seoulhub backup`. Stop the server and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup file")
        parser.add_argument("--yes", action="store_true", help="confirm that the current data may be replaced")

    def handle(self, source, yes=False, **options):
        if not yes:
            raise CommandError("Restoring replaces every row in the database. Re-run with --yes to confirm.")
        try:
            restore(Path(source))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))
