"""`seoulhub load-demo`: each domain app loads its bundled real data through `<app>/demo.py`,
which offers `load(log) -> dict[str, int]` and must be idempotent (a second run changes nothing).
Each app's load runs in its own transaction, in dependency order."""

from collections.abc import Callable
from importlib import import_module

from django.db import transaction

DEMO_ORDER = ["taxonomy", "accounts", "support", "pilots", "observatory", "radar", "landscape"]


def demo_loaders() -> list[tuple[str, Callable]]:
    loaders = []
    for app in DEMO_ORDER:
        try:
            module = import_module(f"seoulhub.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"seoulhub.{app}.demo":
                raise
            continue
        loaders.append((app, module.load))
    return loaders


def load_demo(log: Callable[[str], None] = print, only: list[str] | None = None) -> dict[str, dict[str, int]]:
    results = {}
    for app, load in demo_loaders():
        if only and app not in only:
            continue
        with transaction.atomic():
            results[app] = load(log)
        log(f"{app}: " + ", ".join(f"{key} {value}" for key, value in results[app].items()))
    return results
