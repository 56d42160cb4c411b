"""Firm technology tags get a provenance and a confidence.

The automatic many-to-many table support_firm_technologies becomes the explicit FirmTechnology
model (same table, same rows), then gains two columns. Existing rows cannot tell a person's tag
from an enrichment tag, so: a tag whose technology's KSIC codes nest with the firm's KSIC code is a
KSIC default (0.3); any other tag came from the products text or a person and becomes "inferred
from products" at 0.5 (the tagger's minimum score). Re-running enrichment re-scores them."""

import django.db.models.deletion
from django.db import migrations, models


def classify_existing(apps, schema_editor):
    FirmTechnology = apps.get_model("support", "FirmTechnology")
    rows = FirmTechnology.objects.select_related("firm__ksic", "technology")
    ksic_ids, other_ids = [], []
    for row in rows.iterator(chunk_size=2000):
        code = row.firm.ksic.code if row.firm.ksic_id else ""
        nests = bool(code) and any(c.startswith(code) or code.startswith(c) for c in row.technology.ksic_codes or [])
        (ksic_ids if nests else other_ids).append(row.pk)
    for start in range(0, len(ksic_ids), 900):
        FirmTechnology.objects.filter(pk__in=ksic_ids[start : start + 900]).update(provenance="ksic", confidence=0.3)
    for start in range(0, len(other_ids), 900):
        FirmTechnology.objects.filter(pk__in=other_ids[start : start + 900]).update(
            provenance="products", confidence=0.5
        )


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0004_programme_sync_and_plan"),
        ("taxonomy", "0002_load_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FirmTechnology",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("firm", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="support.firm")),
                        (
                            "technology",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="taxonomy.technology"),
                        ),
                    ],
                    options={
                        "verbose_name": "firm technology",
                        "verbose_name_plural": "firm technologies",
                        "db_table": "support_firm_technologies",
                        "unique_together": {("firm", "technology")},
                    },
                ),
                migrations.AlterField(
                    model_name="firm",
                    name="technologies",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="firms",
                        through="support.FirmTechnology",
                        to="taxonomy.technology",
                        verbose_name="technologies",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="firmtechnology",
            name="provenance",
            field=models.CharField(
                choices=[
                    ("declared", "declared by the firm"),
                    ("products", "inferred from products"),
                    ("ksic", "KSIC default"),
                ],
                default="declared",
                max_length=10,
                verbose_name="provenance",
            ),
        ),
        migrations.AddField(
            model_name="firmtechnology",
            name="confidence",
            field=models.FloatField(default=1.0, help_text="0 to 1", verbose_name="confidence"),
        ),
        migrations.RunPython(classify_existing, migrations.RunPython.noop),
    ]
