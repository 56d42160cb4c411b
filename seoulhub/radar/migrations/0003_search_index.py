"""Full-text index of radar_article.search_text: an FTS5 table kept in step by triggers on
SQLite (seoulhub.radar.search), a generated tsvector column with a GIN index on PostgreSQL
(moved to a narrow table of its own by 0007; the statements here are this migration's own)."""

from django.db import migrations


POSTGRES_CREATE = [
    "ALTER TABLE radar_article ADD COLUMN IF NOT EXISTS search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS radar_article_search_tsv_gin ON radar_article USING gin (search_tsv)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS radar_article_search_tsv_gin",
    "ALTER TABLE radar_article DROP COLUMN IF EXISTS search_tsv",
]


def _statements(schema_editor, create: bool) -> list[str]:
    if schema_editor.connection.vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    from seoulhub.radar.search.sqlite_fts import Fts5Engine

    engine = Fts5Engine()
    return engine.create_statements() if create else engine.drop_statements()


def create_index(apps, schema_editor):
    for statement in _statements(schema_editor, create=True):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    for statement in _statements(schema_editor, create=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("radar", "0002_subscriptions_trends")]

    operations = [migrations.RunPython(create_index, drop_index)]
