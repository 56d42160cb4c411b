"""`seoulhub load-demo`: each domain app loads its bundled real data through `<app>/demo.py`,
which offers `load(log) -> dict[str, int]` and must be idempotent (a second run changes nothing).
Each app's load runs in its own transaction, in dependency order.

A demo module may also offer `newest_real_date() -> date | None`, the newest day its real data
describes. The demo's clock is pinned to the newest of these (never after today), so that "open
now", deadlines and trend windows read the shipped data as current (seoulhub.core.clock)."""

import datetime as dt
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import clock

DEMO_ORDER = ["taxonomy", "accounts", "support", "pilots", "observatory", "radar", "landscape"]


def _demo_modules() -> list[tuple[str, object]]:
    modules = []
    for app in DEMO_ORDER:
        try:
            module = import_module(f"seoulhub.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"seoulhub.{app}.demo":
                raise
            continue
        modules.append((app, module))
    return modules


def demo_loaders() -> list[tuple[str, Callable]]:
    return [(app, module.load) for app, module in _demo_modules()]


def newest_real_date() -> dt.date | None:
    """The newest day any app's loaded real data describes, capped at today."""
    days = [
        day
        for _app, module in _demo_modules()
        if (newest := getattr(module, "newest_real_date", None)) and (day := newest())
    ]
    return min(max(days), timezone.localdate()) if days else None


def pin_demo_clock(log: Callable[[str], None] = print) -> dt.date | None:
    if settings.PRODUCTION:
        return None
    day = newest_real_date()
    if day:
        clock.set_reference_date(day)
        log(f"demo clock: pinned to {day.isoformat()} (the newest real data)")
    return day


def load_demo(log: Callable[[str], None] = print, only: list[str] | None = None) -> dict[str, dict[str, int]]:
    results = {}
    for app, load in demo_loaders():
        if only and app not in only:
            continue
        with transaction.atomic():
            results[app] = load(log)
        log(f"{app}: " + ", ".join(f"{key} {value}" for key, value in results[app].items()))
    pin_demo_clock(log)
    return results
