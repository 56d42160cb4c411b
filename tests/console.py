"""Running the `seoulhub` console command as users run it: a separate process in the repository,
with the test run's environment minus what would leak into it (the test database's URL, pytest's
async permission) and plus the caller's settings."""

import os
import subprocess
import sys

from django.conf import settings

ALWAYS_UNSET = frozenset({"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"})


def run_seoulhub(env: dict, *args: str, unset=(), timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ALWAYS_UNSET and k not in unset} | env
    return subprocess.run(
        [sys.executable, "-m", "seoulhub.cli", *args],
        cwd=settings.REPO_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
