"""Consistent backups of the hub's database and their restore.

SQLite: the online backup API copies a consistent snapshot while the server runs (WAL-safe).
PostgreSQL: pg_dump's custom format, restored with pg_restore --clean.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _settings(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _sqlite_copy(source_path, target_path) -> None:
    """Copy one SQLite database onto another through the online backup API (page by page,
    consistent while the source is in use)."""
    source = sqlite3.connect(source_path)
    try:
        target = sqlite3.connect(target_path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _create_private(path: Path) -> None:
    """Create `path` empty and readable by its owner only (0600), whatever the umask: a backup
    holds password hashes and tokens. The database tools then write into the file it is."""
    path.unlink(missing_ok=True)  # a partial file left by a crash may have other permissions
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)  # os.open's mode passes through the umask, which could only narrow it


def backup(target: Path, alias: str = "default") -> Path:
    db = _settings(alias)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    engine = db["ENGINE"]
    _create_private(partial)
    if engine.endswith("sqlite3"):
        _sqlite_copy(db["NAME"], partial)
    elif engine.endswith("postgresql"):
        if shutil.which("pg_dump") is None:
            raise BackupError(
                "pg_dump is not installed: install the PostgreSQL client (apt-get install postgresql-client)."
            )
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", db["NAME"]],
            env=_pg_env(db),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        partial.unlink(missing_ok=True)
        raise BackupError(f"no backup method for database engine {engine}")
    partial.chmod(0o600)
    partial.replace(target)  # a backup file exists only once it is complete
    return target


def _check_sqlite_backup(source: Path) -> None:
    """Refuse, before anything is replaced, a file that is not a sound SQLite database written by
    the hub (another application's database would otherwise replace every table)."""
    try:
        check = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not a sound SQLite database")
            has_migrations = check.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
            applied = (
                has_migrations
                and check.execute("SELECT 1 FROM django_migrations WHERE app = 'radar' LIMIT 1").fetchone()
            )
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database ({exc})") from exc
    if not applied:
        raise BackupError(f"{source} is a SQLite database but not a Seoul Digital Hub backup")


def restore(source: Path, alias: str = "default") -> None:
    source = Path(source)
    if not source.exists():
        raise BackupError(f"backup file {source} does not exist")
    db = _settings(alias)
    engine = db["ENGINE"]
    connections[alias].close()
    if engine.endswith("sqlite3"):
        _check_sqlite_backup(source)
        _sqlite_copy(source, db["NAME"])
    elif engine.endswith("postgresql"):
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed: install the PostgreSQL client.")
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(source),
            ],
            env=_pg_env(db),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"no restore method for database engine {engine}")
