"""Articles stored before the pipeline kept only http(s) links lose any other link (javascript:,
data:, ...): pages render an article's link as a clickable href."""

from django.db import migrations
from django.db.models import Q


def drop_non_web_links(apps, schema_editor):
    Article = apps.get_model("radar", "Article")
    web = Q(url__istartswith="http://") | Q(url__istartswith="https://") | Q(url="")
    Article.objects.exclude(web).update(url="", canonical_url="")


class Migration(migrations.Migration):
    dependencies = [
        ("radar", "0005_story_members_index"),
    ]

    operations = [
        migrations.RunPython(drop_non_web_links, migrations.RunPython.noop),
    ]
