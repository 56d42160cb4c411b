"""The `seoulhub` console command: Django's management commands with the hub's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seoulhub.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `seoulhub load-demo` reads better than Django's `load_demo`; both work.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["seoulhub", *args])


if __name__ == "__main__":
    main()
