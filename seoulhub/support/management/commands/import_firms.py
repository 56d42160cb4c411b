from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seoulhub.support.firm_import import ImportFileError, import_firms, read_rows


class Command(BaseCommand):
    help = "Import firms from a CSV or XLSX file; --dry-run reports every rejected row and why, writing nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            rows = read_rows(path.read_bytes(), path.name)
            report, _changed = import_firms(rows, dry_run=options["dry_run"], source_ref=path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for result in report.rejected:
            self.stdout.write(f"row {result.row} ({result.name}): rejected: " + "; ".join(result.errors))
        summary = report.summary()
        prefix = "dry run, nothing written: " if report.dry_run else ""
        self.stdout.write(prefix + ", ".join(f"{k} {v}" for k, v in summary.items()))
        if summary["rejected"] and not report.dry_run:
            self.stderr.write(f"{summary['rejected']} rows were rejected; the others were imported")
