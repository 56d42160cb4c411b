"""`seoulhub import-industry-stats FILE [--dry-run] [--source TEXT]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seoulhub.observatory.importer import LayoutError, import_stats


class Command(BaseCommand):
    help = (
        "Import establishments and workers by district x KSIC x year from a Seoul Open Data "
        "사업체현황 CSV or a Seoul Institute sanup_num_wrk CSV (see docs/observatory.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--source", default="", help="where the file comes from, shown with the figures")
        parser.add_argument(
            "--notes", default="", help="caveats of the source (missing areas, series breaks), shown with the figures"
        )

    def handle(self, *args, file: Path, dry_run: bool, source: str, notes: str, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            report = import_stats(
                file.read_bytes(), file.name, dry_run=dry_run, source=source or file.name, notes=notes
            )
        except LayoutError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("dry run: nothing was written")
