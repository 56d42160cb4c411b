"""Load the shipped taxonomy, KSIC codes and districts, so a fresh database has the spine."""

from django.db import migrations


def load(apps, schema_editor):
    from seoulhub.taxonomy.loaders import load_districts, load_ksic, load_technologies

    load_technologies(apps.get_model("taxonomy", "Technology"))
    load_ksic(apps.get_model("taxonomy", "KsicCode"))
    load_districts(apps.get_model("taxonomy", "District"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
