"""SQLite: rebuild the FTS5 index with "." as a token character, so FTS5 splits the token stream
exactly where the normaliser did ("2.5" stays one token). PostgreSQL is unchanged."""

from django.db import migrations



def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from seoulhub.radar.search.sqlite_fts import Fts5Engine

    engine = Fts5Engine()
    for statement in engine.drop_statements() + engine.create_statements():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("radar", "0003_search_index")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
