"""The `seoulhub` console command, run as users run it (a separate process)."""

import pytest
from django.conf import settings

from console import run_seoulhub

FEED = settings.REPO_DIR / "data" / "feeds" / "klue-ynat-it-economy.xml"


@pytest.mark.slow
def test_a_command_on_a_database_not_yet_migrated_says_to_migrate_instead_of_a_traceback(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    result = run_seoulhub(env, "ingest", "--file", str(FEED))
    assert result.returncode == 1
    assert "run `seoulhub migrate` first" in result.stderr
    assert "Traceback" not in result.stderr

    assert run_seoulhub(env, "migrate", "--noinput").returncode == 0
    result = run_seoulhub(env, "ingest", "--file", str(FEED))
    assert result.returncode == 0, result.stderr
    assert "migrate" not in result.stderr
