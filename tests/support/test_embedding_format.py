"""Firms, programmes and articles store embeddings in one format (seoulhub.text.embed: 512
float16), and migration 0007 converts firms' and programmes' float32 vectors to it."""

import importlib

import numpy as np
import pytest
from django.apps import apps

from seoulhub.support.models import Firm
from seoulhub.text import embed

pytestmark = pytest.mark.django_db

migration = importlib.import_module("seoulhub.support.migrations.0007_embeddings_float16")


def test_the_stored_format_round_trips_and_none_stays_none():
    vector = np.linspace(-1, 1, 512, dtype=np.float32)
    stored = embed.to_bytes(vector)
    assert len(stored) == 1024
    assert np.allclose(embed.from_bytes(stored), vector, atol=1e-3)
    assert embed.from_bytes(None) is None and embed.from_bytes(b"") is None


def test_migration_converts_float32_vectors_and_back(make_firm):
    vector = np.random.default_rng(7).standard_normal(512).astype(np.float32)
    vector /= np.linalg.norm(vector)
    old = make_firm("예시 벡터기업")
    Firm.objects.filter(pk=old.pk).update(embedding=vector.astype("<f4").tobytes())
    already = make_firm("예시 새형식기업")
    Firm.objects.filter(pk=already.pk).update(embedding=embed.to_bytes(vector))

    migration.to_float16(apps, None)
    for firm in (old, already):
        firm.refresh_from_db()
        assert len(firm.embedding) == 1024
        assert np.allclose(embed.from_bytes(firm.embedding), vector, atol=1e-3)

    migration.to_float32(apps, None)
    old.refresh_from_db()
    assert np.allclose(np.frombuffer(bytes(old.embedding), dtype="<f4"), vector, atol=1e-3)
