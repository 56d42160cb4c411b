"""SQLite: rebuild the FTS5 index with "." as a token character, so FTS5 splits the token stream
exactly where the normaliser did ("2.5" stays one token). PostgreSQL is unchanged."""

import importlib

from django.db import migrations

# The frozen FTS5 statements (a module name starting with a digit needs importlib).
fts5 = importlib.import_module("seoulhub.radar.migrations.0003_search_index")


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in fts5.SQLITE_DROP + fts5.SQLITE_CREATE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("radar", "0003_search_index")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
