"""The operator's view of each source's health: its state (a source never fetched is not "ok"), its
last error summed up in the reader's language, items received per day and the backoff after errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Source

NEVER_FETCHED, QUEUED, OK, FAILING, PAUSED, INACTIVE = "never", "queued", "ok", "failing", "paused", "inactive"
STATE_LABELS = {
    NEVER_FETCHED: gettext_lazy("never fetched"),
    OK: gettext_lazy("ok"),
    FAILING: gettext_lazy("failing"),
    PAUSED: gettext_lazy("paused"),
    INACTIVE: gettext_lazy("inactive"),
}
STATE_CLASSES = {
    NEVER_FETCHED: "verdict-check",
    OK: "verdict-ok",
    FAILING: "verdict-check",
    PAUSED: "verdict-bad",
    INACTIVE: "",
}

# Stored errors are written in the worker's language (Korean), but rows written before that, or by a
# command run in English, are English: the kind of error is recognised in both, and named in words.
_ERROR_KINDS = [
    ("refused", re.compile(r"SEOULHUB_FETCH_ALLOW")),
    ("timeout", re.compile(r"SEOULHUB_FETCH_DEADLINE|within [\d.]+ seconds|초 안에|초 동안")),
    ("http", re.compile(r"HTTP (\d{3})")),
    ("dns", re.compile(r"could not be resolved|has no address|주소를 찾을 수 없|에 주소가 없")),
    ("scheme", re.compile(r"only http and https|http와 https")),
    ("skipped", re.compile(r"items? skipped|개를 건너뛰었")),
]


def error_kind(message: str) -> str:
    """A short description of a stored fetch/parse error, in the active language ("" for none)."""
    if not message:
        return ""
    for kind, pattern in _ERROR_KINDS:
        if match := pattern.search(message):
            if kind == "refused":
                return _("address refused (private, loopback or metadata)")
            if kind == "timeout":
                return _("the server took too long")
            if kind == "http":
                status = int(match.group(1))
                if status == 404:
                    return _("the feed is gone (HTTP 404)")
                if status in (401, 403):
                    return _("access denied (HTTP %(status)s)") % {"status": status}
                if status == 429:
                    return _("too many requests (HTTP 429)")
                if status >= 500:
                    return _("server error (HTTP %(status)s)") % {"status": status}
                return _("HTTP error %(status)s") % {"status": status}
            if kind == "dns":
                return _("host name not found")
            if kind == "scheme":
                return _("not a web address")
            return _("some items skipped")
    return _("could not read the feed")


@dataclass
class SourceHealth:
    source: Source
    state: str
    per_day_7: float
    per_day_30: float
    items_7: int
    items_30: int
    next_fetch_at: datetime | None
    backoff_factor: int  # the interval is multiplied by this after consecutive errors (1 = none)
    error_kind: str
    task: dict | None = None  # the fetch an operator queued from the page, if any

    @property
    def state_label(self):
        if self.state == QUEUED:
            return _("fetch queued")
        return STATE_LABELS[self.state]

    @property
    def state_class(self):
        return STATE_CLASSES.get(self.state, "verdict-check")


def state_of(source: Source) -> str:
    if source.paused_at is not None:
        return PAUSED
    if not source.active:
        return INACTIVE
    if source.last_fetch_at is None:
        return NEVER_FETCHED
    if source.consecutive_errors:
        return FAILING
    return OK


def backoff_factor(source: Source) -> int:
    return 2 ** min(source.consecutive_errors, 16) if source.consecutive_errors else 1


def health_rows(sources, now: datetime | None = None) -> list[SourceHealth]:
    """One row per source, with the items it brought in the last 7 and 30 days. Counted on
    Article.fetched_at, the real time an item reached the hub (bookkeeping, so the real clock and not
    the demo's pinned date: seoulhub.core.clock)."""
    now = now or timezone.now()
    sources = list(sources)
    counts = {
        row["pk"]: row
        for row in Source.objects.filter(pk__in=[s.pk for s in sources])
        .values("pk")
        .annotate(
            n7=Count("articles", filter=Q(articles__fetched_at__gte=now - timedelta(days=7))),
            n30=Count("articles", filter=Q(articles__fetched_at__gte=now - timedelta(days=30))),
        )
    }
    rows = []
    for source in sources:
        n7, n30 = counts.get(source.pk, {}).get("n7", 0), counts.get(source.pk, {}).get("n30", 0)
        rows.append(
            SourceHealth(
                source=source,
                state=state_of(source),
                items_7=n7,
                items_30=n30,
                per_day_7=round(n7 / 7, 1),
                per_day_30=round(n30 / 30, 1),
                next_fetch_at=source.next_fetch_at(),
                backoff_factor=backoff_factor(source),
                error_kind=error_kind(source.last_error),
            )
        )
    return rows
