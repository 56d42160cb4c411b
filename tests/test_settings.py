import subprocess

import pytest
from django.conf import settings
from django.db import connection

from console import run_seoulhub


def _run(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    return run_seoulhub(env_overrides, *args, unset={"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}, timeout=120)


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run(
        {"SEOULHUB_ENV": "production", "ALLOWED_HOSTS": "hub.example.org", "SEOULHUB_VAR_DIR": str(tmp_path)}, "check"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_a_bad_number_in_the_environment_is_refused_in_words(tmp_path, value):
    result = _run({"SEOULHUB_VAR_DIR": str(tmp_path), "SEOULHUB_STORE_BATCH": value}, "check")
    assert result.returncode != 0
    assert f"SEOULHUB_STORE_BATCH must be a whole number of at least 1, not '{value}'" in result.stderr


def test_production_mail_goes_by_smtp_as_the_environment_says(tmp_path):
    env = {
        "SEOULHUB_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "hub.example.org",
        "SEOULHUB_VAR_DIR": str(tmp_path),
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "true",
        "EMAIL_HOST_USER": "hub",
        "EMAIL_HOST_PASSWORD": "secret",
    }
    show = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_HOST_USER)"
    )
    result = _run(env, "shell", "-c", show)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "False",
        "hub",
    ], result.stderr
    result = _run({**env, "EMAIL_USE_SSL": "true"}, "check")
    assert result.returncode != 0 and "not both" in result.stderr


def test_production_mode_passes_check_deploy(tmp_path):
    result = _run(
        {
            "SEOULHUB_ENV": "production",
            "SECRET_KEY": "x" * 20 + "9f8Kq2LmZ7vB1nP3rT5wY0uE6iO4aS8dF",
            "ALLOWED_HOSTS": "hub.example.org",
            "SEOULHUB_VAR_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_development_mode_generates_and_keeps_a_secret_key(tmp_path):
    first = _run({"SEOULHUB_VAR_DIR": str(tmp_path)}, "check")
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    _run({"SEOULHUB_VAR_DIR": str(tmp_path)}, "check")
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific: this run uses " + connection.vendor)
    # The test database lives in memory (no WAL there); check the pragmas on a file database.
    import sqlite3

    db = tmp_path / "wal.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript(settings.DATABASES["default"]["OPTIONS"]["init_command"])
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_console_command_accepts_hyphenated_names(tmp_path):
    result = _run({"SEOULHUB_VAR_DIR": str(tmp_path)}, "load-demo", "--help")
    assert result.returncode == 0, result.stderr
    assert "Safe to re-run" in result.stdout
