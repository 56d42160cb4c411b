"""`seoulhub bench NAME [options]`: run the benchmark bench/NAME.py, which prints JSON figures.

Each benchmark module offers `main(argv: list[str]) -> dict`; this command prints the dict as JSON.
Benchmarks are measurements, not tests: they have no pass/fail threshold.
"""

import importlib.util
import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def available() -> list[str]:
    return sorted(p.stem for p in (settings.REPO_DIR / "bench").glob("*.py") if not p.stem.startswith("_"))


class Command(BaseCommand):
    help = "Run a benchmark from bench/ and print its figures as JSON."

    def add_arguments(self, parser):
        parser.add_argument("name", help="benchmark name: " + ", ".join(available()))
        parser.add_argument("bench_args", nargs="*", help="options passed to the benchmark")

    def run_from_argv(self, argv):
        # Everything after the benchmark's name belongs to the benchmark, dashes included.
        if len(argv) >= 3 and not argv[2].startswith("-"):
            self._bench_args = argv[3:]
            argv = argv[:3]
        super().run_from_argv(argv)

    def handle(self, *args, name, bench_args, **options):
        path = settings.REPO_DIR / "bench" / f"{name}.py"
        if not path.exists():
            raise CommandError(f"no benchmark {name!r}; available: {', '.join(available()) or 'none'}")
        spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        figures = module.main(list(getattr(self, "_bench_args", bench_args)))
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
