"""`seoulhub radar_search_parts`: add the parts of Korean compound tokens to the search tokens of
articles stored before compounds were indexed in parts (seoulhub/text/compounds.py), so a search
for 자율주행 finds their 자율주행차. The full-text index follows by its triggers. Idempotent (parts
already present are not added again); one transaction per batch, so a crash leaves whole batches."""

from django.core.management.base import BaseCommand
from django.db import transaction

from seoulhub.radar.models import Article
from seoulhub.text.compounds import with_parts

BATCH = 500


class Command(BaseCommand):
    help = "Index the parts of Korean compound words in stored articles' search tokens (idempotent)."

    def handle(self, *args, **options):
        checked = changed = 0
        last_id = 0
        while True:
            rows = list(Article.objects.filter(id__gt=last_id).order_by("id").values_list("id", "search_text")[:BATCH])
            if not rows:
                break
            last_id = rows[-1][0]
            updates = []
            for article_id, search_text in rows:
                checked += 1
                tokens = search_text.split()
                new = " ".join(with_parts(tokens))
                if new != " ".join(tokens):
                    updates.append(Article(id=article_id, search_text=new))
            if updates:
                with transaction.atomic():
                    Article.objects.bulk_update(updates, ["search_text"])
                changed += len(updates)
        self.stdout.write(f"checked {checked} articles, added compound parts to {changed}")
