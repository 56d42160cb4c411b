"""A worker killed mid-batch loses nothing and duplicates nothing when restarted (real SIGKILL)."""

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ITEMS = 600


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_killed_ingest_resumes_without_loss_or_duplicates(tmp_path):
    feed = tmp_path / "listing.jsonl"
    lines = gzip.open(REPO / "data/arxiv/arxiv_cs_full_2025-10.jsonl.gz").read().splitlines()[:ITEMS]
    feed.write_bytes(b"\n".join(lines))
    db = tmp_path / "crash.sqlite3"
    # Batches of 100, so the kill lands between committed batches and inside one.
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_SETTINGS_MODULE="seoulhub.settings",
        SEOULHUB_STORE_BATCH="100",
    )
    cli = [sys.executable, "-m", "seoulhub.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, cwd=REPO, check=True, timeout=300)

    proc = subprocess.Popen(
        [*cli, "ingest", "--file", str(feed), "--no-progress"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while _count(db, "select count(*) from radar_article") < 40:
        assert proc.poll() is None, "ingest ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_at_kill = _count(db, "select count(*) from radar_article")
    assert 0 < stored_at_kill < ITEMS

    # Every stored article is whole: every arXiv item carries cs.CV or cs.CL, so each has technology
    # links, written in the same transaction as the article.
    untagged = _count(
        db,
        "select count(*) from radar_article a where not exists "
        "(select 1 from radar_articletechnology t where t.article_id = a.id)",
    )
    assert untagged == 0

    done = subprocess.run(
        [*cli, "ingest", "--file", str(feed), "--no-progress"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert _count(db, "select count(*) from radar_article") == ITEMS
    assert _count(db, "select count(distinct content_hash) from radar_article") == ITEMS
    assert _count(db, "select count(distinct guid) from radar_article") == ITEMS
    assert f"{ITEMS - stored_at_kill} new" in done.stdout
