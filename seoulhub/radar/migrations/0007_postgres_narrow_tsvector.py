"""PostgreSQL: move the articles' tsvectors from a generated column of radar_article to a table
of their own, radar_article_tsv (id, tsv), kept in step by triggers. The walk over a common
term's newest matches then reads narrow rows (docs/decisions.md, "Search"). SQLite is
unchanged. Filling the table reads every article once; it runs in the migration's transaction,
so a failure leaves the old index. The SQL is frozen here, independent of the search code."""

import importlib

from django.db import migrations

# The generated column as 0003 created it (a module name starting with a digit needs importlib).
generated_column = importlib.import_module("seoulhub.radar.migrations.0003_search_index")


NARROW_CREATE = [
    "CREATE TABLE IF NOT EXISTS radar_article_tsv (id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
    "CREATE OR REPLACE FUNCTION radar_article_tsv_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.id <> NEW.id) THEN DELETE FROM radar_article_tsv WHERE id = OLD.id; "
    "END IF; IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO radar_article_tsv (id, tsv) "
    "VALUES (NEW.id, to_tsvector('simple', coalesce(NEW.search_text, ''))) "
    "ON CONFLICT (id) DO UPDATE SET tsv = EXCLUDED.tsv; END IF; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION radar_article_tsv_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "TRUNCATE radar_article_tsv; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS radar_article_tsv_write ON radar_article",
    "CREATE TRIGGER radar_article_tsv_write AFTER INSERT OR DELETE OR UPDATE OF search_text, id ON radar_article "
    "FOR EACH ROW EXECUTE FUNCTION radar_article_tsv_write()",
    "DROP TRIGGER IF EXISTS radar_article_tsv_truncate ON radar_article",
    "CREATE TRIGGER radar_article_tsv_truncate AFTER TRUNCATE ON radar_article "
    "FOR EACH STATEMENT EXECUTE FUNCTION radar_article_tsv_truncate()",
    "INSERT INTO radar_article_tsv (id, tsv) SELECT id, to_tsvector('simple', coalesce(radar_article.search_text, '')) "
    "FROM radar_article ON CONFLICT (id) DO NOTHING",
    "CREATE INDEX IF NOT EXISTS radar_article_tsv_gin ON radar_article_tsv USING gin (tsv)",
    # Statistics now, so the first searches are planned from them rather than from guesses.
    "ANALYZE radar_article_tsv",
]
NARROW_DROP = [
    "DROP TRIGGER IF EXISTS radar_article_tsv_write ON radar_article",
    "DROP TRIGGER IF EXISTS radar_article_tsv_truncate ON radar_article",
    "DROP FUNCTION IF EXISTS radar_article_tsv_write()",
    "DROP FUNCTION IF EXISTS radar_article_tsv_truncate()",
    "DROP TABLE IF EXISTS radar_article_tsv",
]


def to_narrow_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in generated_column.POSTGRES_DROP + NARROW_CREATE:
        schema_editor.execute(statement)


def to_generated_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in NARROW_DROP + generated_column.POSTGRES_CREATE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("radar", "0006_only_web_links")]

    operations = [migrations.RunPython(to_narrow_table, to_generated_column)]
