"""PostgreSQL: move the articles' tsvectors from a generated column of radar_article to a table
of their own, radar_article_tsv (id, tsv), kept in step by triggers. The walk over a common
term's newest matches then reads narrow rows (docs/decisions-search.md section 14). SQLite is
unchanged. Filling the table reads every article once (31 s at 1M articles on the
bench machine); it runs in the migration's transaction, so a failure leaves the old index."""

import importlib

from django.db import migrations

# The generated column as 0003 created it (a module name starting with a digit needs importlib).
generated_column = importlib.import_module("seoulhub.radar.migrations.0003_search_index")


def to_narrow_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from seoulhub.radar.search.postgres_fts import PostgresFtsEngine

    engine = PostgresFtsEngine()
    for statement in generated_column.POSTGRES_DROP + engine.create_statements():
        schema_editor.execute(statement)
    # Statistics now, so the first searches are planned from them rather than from guesses.
    schema_editor.execute(f"ANALYZE {engine.index}")


def to_generated_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from seoulhub.radar.search.postgres_fts import PostgresFtsEngine

    for statement in PostgresFtsEngine().drop_statements() + generated_column.POSTGRES_CREATE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("radar", "0006_only_web_links")]

    operations = [migrations.RunPython(to_narrow_table, to_generated_column)]
