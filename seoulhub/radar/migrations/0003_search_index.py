"""Full-text index of radar_article.search_text: an FTS5 table kept in step by triggers on
SQLite, a generated tsvector column with a GIN index on PostgreSQL (seoulhub.radar.search)."""

from django.db import migrations


def _engine(schema_editor):
    from seoulhub.radar.search.postgres_fts import engine_for

    return engine_for(schema_editor.connection.vendor)


def create_index(apps, schema_editor):
    for statement in _engine(schema_editor).create_statements():
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    for statement in _engine(schema_editor).drop_statements():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("radar", "0002_subscriptions_trends")]

    operations = [migrations.RunPython(create_index, drop_index)]
