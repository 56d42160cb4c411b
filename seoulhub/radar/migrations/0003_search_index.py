"""Full-text index of radar_article.search_text: an FTS5 table kept in step by triggers on
SQLite, a generated tsvector column with a GIN index on PostgreSQL (moved to a narrow table of
its own by 0007). The SQL is frozen here: a migration must not change when the search code does."""

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
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS radar_article_fts USING fts5(search_text, content='radar_article', "
    "content_rowid='id', tokenize=\"unicode61 remove_diacritics 0 tokenchars '.'\")",
    "CREATE TRIGGER IF NOT EXISTS radar_article_fts_ai AFTER INSERT ON radar_article BEGIN "
    "INSERT INTO radar_article_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS radar_article_fts_ad AFTER DELETE ON radar_article BEGIN "
    "INSERT INTO radar_article_fts(radar_article_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS radar_article_fts_au AFTER UPDATE OF search_text ON radar_article BEGIN "
    "INSERT INTO radar_article_fts(radar_article_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO radar_article_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    # Index rows that existed before the table was created.
    "INSERT INTO radar_article_fts(radar_article_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS radar_article_fts_ai",
    "DROP TRIGGER IF EXISTS radar_article_fts_ad",
    "DROP TRIGGER IF EXISTS radar_article_fts_au",
    "DROP TABLE IF EXISTS radar_article_fts",
]


def _statements(schema_editor, create: bool) -> list[str]:
    if schema_editor.connection.vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    return SQLITE_CREATE if create else SQLITE_DROP


def create_index(apps, schema_editor):
    for statement in _statements(schema_editor, create=True):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    for statement in _statements(schema_editor, create=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("radar", "0002_subscriptions_trends")]

    operations = [migrations.RunPython(create_index, drop_index)]
