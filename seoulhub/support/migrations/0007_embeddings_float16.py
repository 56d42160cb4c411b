"""Firm and programme embeddings move to the one stored format of seoulhub.text.embed (512
little-endian float16, as the radar's articles): stored float32 vectors are converted in place."""

import numpy as np
from django.db import migrations

FLOAT32_BYTES = 512 * 4


def _convert(model, to_dtype, from_dtype, from_bytes):
    for pk, blob in model.objects.exclude(embedding=None).values_list("pk", "embedding").iterator(chunk_size=500):
        if blob is not None and len(blob) == from_bytes:
            vector = np.frombuffer(bytes(blob), dtype=from_dtype).astype(to_dtype)
            model.objects.filter(pk=pk).update(embedding=vector.tobytes())


def to_float16(apps, schema_editor):
    for name in ("Firm", "Programme"):
        _convert(apps.get_model("support", name), np.dtype("<f2"), np.dtype("<f4"), FLOAT32_BYTES)


def to_float32(apps, schema_editor):
    for name in ("Firm", "Programme"):
        _convert(apps.get_model("support", name), np.dtype("<f4"), np.dtype("<f2"), FLOAT32_BYTES // 2)


class Migration(migrations.Migration):
    dependencies = [("support", "0006_membership_and_firm_changes")]

    operations = [migrations.RunPython(to_float16, to_float32)]
