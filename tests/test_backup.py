"""Backups restore: write data, back up, change the data, restore, and find the original data."""

import os
import shutil
import sqlite3
import subprocess
import uuid

import pytest

from console import run_seoulhub


def seoulhub(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = run_seoulhub(env, *args)  # every caller names its DATABASE_URL
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def technology_name(env: dict) -> str:
    return (
        seoulhub(
            env,
            "shell",
            "-c",
            "from seoulhub.taxonomy.models import Technology; print(Technology.objects.get(slug='ai').name_en)",
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def set_technology_name(env: dict, name: str) -> None:
    seoulhub(
        env,
        "shell",
        "-c",
        f"from seoulhub.taxonomy.models import Technology; Technology.objects.filter(slug='ai').update(name_en={name!r})",
    )


def round_trip(env: dict, backup_file) -> None:
    seoulhub(env, "migrate", "--noinput")
    set_technology_name(env, "Before backup")
    seoulhub(env, "backup", str(backup_file))
    assert backup_file.exists() and not backup_file.with_name(backup_file.name + ".partial").exists()
    assert backup_file.stat().st_mode & 0o077 == 0  # password hashes: the owner's only
    set_technology_name(env, "Changed after backup")
    refused = seoulhub(env, "restore", str(backup_file), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert technology_name(env) == "Changed after backup"
    seoulhub(env, "restore", str(backup_file), "--yes")
    assert technology_name(env) == "Before backup"


@pytest.mark.slow
def test_sqlite_backup_restores_the_data(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}", "SEOULHUB_VAR_DIR": str(tmp_path)}
    round_trip(env, tmp_path / "hub.backup")


@pytest.mark.slow
def test_restore_refuses_a_file_that_is_not_a_backup_and_keeps_the_data(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}", "SEOULHUB_VAR_DIR": str(tmp_path)}
    seoulhub(env, "migrate", "--noinput")
    set_technology_name(env, "Kept")
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a database" * 100)
    other = tmp_path / "other-application.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    for path, reason in ((bogus, "is not a SQLite database"), (other, "not a Seoul Digital Hub backup")):
        result = seoulhub(env, "restore", str(path), "--yes", check=False)
        assert result.returncode == 1
        assert reason in result.stderr and "Traceback" not in result.stderr
    assert technology_name(env) == "Kept"


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    """A backup holds password hashes and API tokens: 0600 whatever the umask, also when a crash
    left a world-readable partial file behind (which used to fail the next backup)."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}", "SEOULHUB_VAR_DIR": str(tmp_path)}
    seoulhub(env, "migrate", "--noinput")
    first, second = tmp_path / "first.backup", tmp_path / "second.backup"
    left_over = second.with_name(second.name + ".partial")
    left_over.write_bytes(b"from a crash")
    left_over.chmod(0o644)
    previous = os.umask(0o022)
    try:
        seoulhub(env, "backup", str(first))
        assert oct(first.stat().st_mode & 0o777) == oct(0o600)
        seoulhub(env, "backup", str(second))
    finally:
        os.umask(previous)
    assert oct(second.stat().st_mode & 0o777) == oct(0o600) and not left_over.exists()
    with sqlite3.connect(second) as connection:  # still a sound database
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") and shutil.which("pg_dump") and shutil.which("psql") else None


@pytest.mark.slow
@pytest.mark.skipif(
    _postgres_url() is None, reason="runs when DATABASE_URL points to PostgreSQL and its client tools are installed"
)
def test_postgresql_backup_restores_the_data(tmp_path):
    base = _postgres_url().rsplit("/", 1)[0]
    name = f"seoulhub_backup_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", f"{base}/postgres", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    try:
        round_trip({"DATABASE_URL": f"{base}/{name}", "SEOULHUB_VAR_DIR": str(tmp_path)}, tmp_path / "hub.dump")
    finally:
        subprocess.run(
            ["psql", f"{base}/postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True
        )
