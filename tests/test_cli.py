"""The `seoulhub` console command, run as users run it (a separate process)."""

import os
import subprocess
import sys

from django.conf import settings

REPO = settings.REPO_DIR
FEED = REPO / "data" / "feeds" / "klue-ynat-it-economy.xml"


def run_seoulhub(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}}
    return subprocess.run([sys.executable, "-m", "seoulhub.cli", *args], cwd=REPO, env=env | {"DATABASE_URL": database_url},
                          capture_output=True, text=True, timeout=300)


def test_a_command_on_a_database_not_yet_migrated_says_to_migrate_instead_of_a_traceback(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    result = run_seoulhub(database_url, "ingest", "--file", str(FEED))
    assert result.returncode == 1
    assert "run `seoulhub migrate` first" in result.stderr
    assert "Traceback" not in result.stderr

    assert run_seoulhub(database_url, "migrate", "--noinput").returncode == 0
    result = run_seoulhub(database_url, "ingest", "--file", str(FEED))
    assert result.returncode == 0, result.stderr
    assert "migrate" not in result.stderr
