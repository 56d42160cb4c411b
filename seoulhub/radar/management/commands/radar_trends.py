"""`seoulhub radar_trends`: count articles the trend counters do not hold yet (or hold with old
terms). New articles are counted when stored; this repairs what a crash or an import that
bypassed the pipeline left out. Idempotent, one article per transaction."""

from django.core.management.base import BaseCommand

from seoulhub.radar.models import Article
from seoulhub.radar.models.trends import record_article


class Command(BaseCommand):
    help = "Bring the radar trend counters up to date (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-check every article, not only uncounted ones")

    def handle(self, *args, all=False, **options):
        articles = Article.objects.all() if all else Article.objects.filter(trend_mark__isnull=True)
        changed = checked = 0
        for article in articles.order_by("id").iterator(chunk_size=500):
            checked += 1
            changed += record_article(article)
        self.stdout.write(f"checked {checked} articles, counted or corrected {changed}")
