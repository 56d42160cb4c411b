"""The hub's one clock. Every "now" that users read as *the present* (open programmes, deadlines,
calendars, trend windows, KPIs) asks this module, never `timezone.now()` directly.

In production it is the real clock. The demo ships data that ends at a fixed day, so
`seoulhub load-demo` pins a *reference date* (the newest real data) and the whole hub behaves as on
that day, with a banner saying so. Bookkeeping times (created_at, audit entries, fetch times) stay
on the real clock: they record when something happened, not what is current.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

_UNSET = object()
_cached: object = _UNSET


def reference_date() -> dt.date | None:
    """The pinned demo date, or None when the hub runs on the real clock (always in production)."""
    global _cached
    if settings.PRODUCTION:
        return None
    if _cached is _UNSET:
        from .models import ReferenceDate

        row = ReferenceDate.objects.filter(pk=1).only("day").first()
        _cached = row.day if row else None
    return _cached  # type: ignore[return-value]


def set_reference_date(day: dt.date | None) -> None:
    """Pin (or, with None, release) the demo's reference date. Refused in production."""
    from .models import ReferenceDate

    if settings.PRODUCTION and day is not None:
        raise RuntimeError("production runs on the real clock; a reference date is for the demo only")
    if day is None:
        ReferenceDate.objects.filter(pk=1).delete()
    else:
        ReferenceDate.objects.update_or_create(pk=1, defaults={"day": day})
    forget()


def forget() -> None:
    """Drop the process memo (tests, and after set_reference_date)."""
    global _cached
    _cached = _UNSET


def now() -> dt.datetime:
    """The current moment: the real one, or the real time of day on the reference date."""
    real = timezone.localtime()
    day = reference_date()
    if day is None:
        return real
    return real.replace(year=day.year, month=day.month, day=day.day)


def today() -> dt.date:
    return now().date()
