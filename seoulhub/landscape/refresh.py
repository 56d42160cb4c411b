"""One refresh of every landscape aggregate, cheapest first. Each step commits on its own, so
an interrupted refresh leaves correct (if partly older) figures, and running it again is safe."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from . import local, trends, worldwide


def refresh_landscape(
    full: bool = False,
    log: Callable[[str], None] = lambda line: None,
    until_week: str | None = None,
    settle_seconds: float | None = None,
) -> dict:
    timings: dict[str, float] = {}
    result: dict = {}

    def step(name: str, run: Callable[[], object]) -> None:
        started = time.perf_counter()
        result[name] = run()
        timings[name] = round(time.perf_counter() - started, 3)
        log(f"{name}: {result[name]} ({timings[name]} s)")

    local.ensure_rows()
    settle = worldwide.SETTLE if settle_seconds is None else datetime.timedelta(seconds=settle_seconds)
    step("article_pairs", lambda: worldwide.count_new_articles(full=full, settle=settle))
    step("trends", lambda: trends.refresh_trends(until_week))
    step("recent_window", worldwide.refresh_recent_window)
    step("pilot_pairs", local.refresh_pilot_pairs)
    step("local", local.refresh_local)  # also recomputes every gap score
    result["seconds"] = timings
    return result
