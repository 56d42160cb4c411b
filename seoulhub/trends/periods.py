"""Period keys: ISO weeks ("2025-W12") and calendar months ("2025-03"). Keys sort in time order."""

from __future__ import annotations

from datetime import date, datetime, timedelta

GRANULARITIES = ("week", "month")


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def week_key(value: date | datetime) -> str:
    year, week, _ = _as_date(value).isocalendar()
    return f"{year}-W{week:02d}"


def month_key(value: date | datetime) -> str:
    day = _as_date(value)
    return f"{day.year}-{day.month:02d}"


def period_key(value: date | datetime, granularity: str) -> str:
    if granularity == "week":
        return week_key(value)
    if granularity == "month":
        return month_key(value)
    raise ValueError(f"Unknown granularity {granularity!r}: use 'week' or 'month'.")


def period_start(key: str) -> date:
    """The first day of the period a key names."""
    if "-W" in key:
        year, week = key.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def next_period(key: str) -> str:
    start = period_start(key)
    if "-W" in key:
        return week_key(start + timedelta(days=7))
    return month_key(date(start.year + start.month // 12, start.month % 12 + 1, 1))


def period_range(first: str, last: str) -> list[str]:
    """Every period key from first to last inclusive, including periods with no items."""
    if ("-W" in first) != ("-W" in last):
        raise ValueError("Both period keys must have the same granularity.")
    keys = []
    key = first
    while key <= last:
        keys.append(key)
        key = next_period(key)
    return keys
