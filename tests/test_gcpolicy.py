"""fewer_collections raises the collector's thresholds for a batch job and restores them after."""

import gc

import pytest

from seoulhub.core.gcpolicy import BATCH_THRESHOLDS, fewer_collections


def test_thresholds_are_raised_inside_and_restored_after_nesting_and_errors():
    before = gc.get_threshold()
    assert before != BATCH_THRESHOLDS
    with pytest.raises(RuntimeError):
        with fewer_collections():
            assert gc.get_threshold() == BATCH_THRESHOLDS
            with fewer_collections():
                assert gc.get_threshold() == BATCH_THRESHOLDS
            assert gc.get_threshold() == BATCH_THRESHOLDS  # the inner exit keeps the outer's policy
            raise RuntimeError("a failing job")
    assert gc.get_threshold() == before


def test_ingest_runs_under_the_batch_policy(monkeypatch, db):
    from seoulhub.radar import tasks
    from seoulhub.radar.ingest import IngestStats
    from seoulhub.radar.models import Source

    seen = []
    monkeypatch.setattr(tasks, "_run_source", lambda *a, **k: seen.append(gc.get_threshold()) or IngestStats())
    tasks.run_source(Source(name="x", url="https://example.org/feed"))
    assert seen == [BATCH_THRESHOLDS]
