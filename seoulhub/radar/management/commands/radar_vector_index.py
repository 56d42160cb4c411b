"""`seoulhub radar_vector_index`: write newly embedded articles into the search's vector index file.

The embedding task does this by itself once INDEX_TAIL articles wait; run it from cron to take in
the rest sooner, and with --rebuild now and then to write a fresh file (which drops deleted
articles). Safe to run while the site serves: the file is replaced whole.
"""

from django.core.management.base import BaseCommand

from seoulhub.radar.search.service import refresh_vector_index


class Command(BaseCommand):
    help = "Write newly embedded articles into the radar search's vector index file (--rebuild: all of them)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="a new file of every embedded article")

    def handle(self, *args, rebuild, **options):
        written = refresh_vector_index(rebuild=rebuild, min_tail=1)
        self.stdout.write(f"{written} articles written to the vector index")
