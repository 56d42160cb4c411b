from django.core.management.base import BaseCommand, CommandError

from seoulhub.landscape.briefing import last_complete_week, send_briefings, write_briefings


class Command(BaseCommand):
    help = ("Write the weekly landscape briefings (one per technology and ISO week) and e-mail them to "
            "subscribers who have not had them. Safe to re-run: nothing is written or sent twice.")

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week such as 2026-W47 (default: the last complete week)")

    def handle(self, *args, week: str | None = None, **options):
        week = week or last_complete_week()
        if len(week) != 8 or week[4:6] != "-W" or not (week[:4] + week[6:]).isascii() or not (week[:4] + week[6:]).isdigit():
            raise CommandError(f"--week must look like 2026-W47, not {week!r}.")
        written = write_briefings(week)
        result = send_briefings(week)
        self.stdout.write(f"week {week}: {written} briefings written, {result['sent']} e-mails sent, "
                          f"{result['skipped']} already sent, {result['failed']} failed")
        if result["failed"]:
            raise CommandError(f"{result['failed']} e-mails failed; they will be retried on the next run.")
