from django.core.management.base import BaseCommand, CommandError

from seoulhub.landscape.briefing import last_complete_week, write_briefings


class Command(BaseCommand):
    help = (
        "Write the weekly landscape briefings (one per technology and ISO week) for the public pages and "
        "feeds. Subscribers receive them in their digest (`seoulhub send-alerts`). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week such as 2026-W47 (default: the last complete week)")

    def handle(self, *args, week: str | None = None, **options):
        week = week or last_complete_week()
        if (
            len(week) != 8
            or week[4:6] != "-W"
            or not (week[:4] + week[6:]).isascii()
            or not (week[:4] + week[6:]).isdigit()
        ):
            raise CommandError(f"--week must look like 2026-W47, not {week!r}.")
        self.stdout.write(f"week {week}: {write_briefings(week)} briefings written")
