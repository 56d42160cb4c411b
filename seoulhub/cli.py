"""The `seoulhub` console command: Django's management commands with the hub's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seoulhub.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `seoulhub load-demo` reads better than Django's `load_demo`; both work.
        args[0] = args[0].replace("-", "_")
    try:
        execute_from_command_line(["seoulhub", *args])
    except DatabaseError:
        # A command run before `seoulhub migrate` (a new checkout, a new DATABASE_URL) fails on
        # a missing table; say so in words rather than with Django's traceback.
        pending = _pending_migrations()
        if not pending:
            raise
        sys.exit(
            f"seoulhub: the database is not set up yet ({pending} migrations not applied): "
            f"run `seoulhub migrate` first."
        )


def _pending_migrations() -> int:
    """How many migrations the configured database lacks (0 if that cannot be told)."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection.close()  # a failed statement can leave a PostgreSQL transaction unusable
        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0


if __name__ == "__main__":
    main()
