"""Story members in publication order from one index: (cluster_id, published_at) replaces the
plain foreign-key index on cluster_id (it serves every lookup by cluster too).

The old index is dropped with plain SQL rather than AlterField: on SQLite, AlterField rebuilds the
table, which would copy every article and drop the full-text triggers with the old table.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_INDEX = "radar_article_cluster_id_c1491621"


class Migration(migrations.Migration):
    dependencies = [
        ("radar", "0004_search_index_tokenchars"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["cluster", "published_at"], name="radar_article_cluster_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD_INDEX}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{OLD_INDEX}" ON "radar_article" ("cluster_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="cluster",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="articles",
                        to="radar.storycluster",
                        verbose_name="story",
                    ),
                ),
            ],
        ),
    ]
