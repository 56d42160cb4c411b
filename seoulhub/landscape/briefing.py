"""Weekly landscape briefings: one frozen snapshot per technology and ISO week (figures, what
changed since the previous briefing, new programmes and demands, top stories), published on
their page and as Atom. Subscribers receive them in their digest (seoulhub.alerts).

Idempotent: a briefing is written once per (technology, week)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from seoulhub.core import clock
from seoulhub.pilots.models import Demand
from seoulhub.support.models import Programme
from seoulhub.taxonomy.models import Technology
from seoulhub.trends.periods import period_start, week_key

from .models import Briefing, TechnologyLandscape
from .trends import RECENT_WEEKS

logger = logging.getLogger("seoulhub.landscape")

FIGURES = [
    "articles",
    "recent",
    "growth",
    "emergence",
    "significant",
    "firms",
    "firms_in_seoul_districts",
    "open_programmes",
    "open_demands",
    "pilots",
    "gap",
]


def last_complete_week(today: datetime.date | None = None) -> str:
    """The ISO week before the current one: a briefing describes a week that is over."""
    today = today or clock.today()
    return week_key(today - datetime.timedelta(days=7))


def week_bounds(week: str) -> tuple[datetime.datetime, datetime.datetime]:
    start = period_start(week)
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
    return begin, begin + datetime.timedelta(days=7)


def briefing_content(technology: Technology, week: str) -> dict:
    row = TechnologyLandscape.objects.filter(technology=technology).first() or TechnologyLandscape(
        technology=technology
    )
    figures = {name: getattr(row, name) for name in FIGURES}
    previous = Briefing.objects.filter(technology=technology, week__lt=week).order_by("-week").first()
    changes = {}
    if previous:
        for name in ("firms", "open_programmes", "open_demands", "pilots", "articles"):
            before = previous.content.get("figures", {}).get(name)
            if isinstance(before, int):
                changes[name] = figures[name] - before
    begin, end = week_bounds(week)
    new_programmes = Programme.objects.filter(technologies=technology, created_at__gte=begin, created_at__lt=end)
    new_demands = Demand.objects.filter(technologies=technology, created_at__gte=begin, created_at__lt=end).exclude(
        status=Demand.Status.DRAFT
    )
    return {
        "week": week,
        "figures": figures,
        "recent_weeks": RECENT_WEEKS,  # frozen with the figures: the window "recent" counted
        "changes": changes,
        "previous_week": previous.week if previous else None,
        "weekly_counts": (row.weekly_counts or [])[-8:],
        "top_clusters": row.top_clusters[:3],
        "new_programmes": [{"id": p.pk, "title": p.title} for p in new_programmes.order_by("pk")[:10]],
        "new_demands": [
            {"id": d.pk, "title": d.title, "is_example": d.is_example} for d in new_demands.order_by("pk")[:10]
        ],
    }


def write_briefings(week: str | None = None, technologies=None) -> int:
    """Write the week's briefing for each technology that has none yet; returns how many were written."""
    week = week or last_complete_week()
    technologies = technologies if technologies is not None else Technology.objects.filter(active=True)
    written = 0
    for technology in technologies:
        if Briefing.objects.filter(technology=technology, week=week).exists():
            continue
        try:
            with transaction.atomic():
                Briefing.objects.create(technology=technology, week=week, content=briefing_content(technology, week))
            written += 1
        except IntegrityError:  # written meanwhile by a concurrent run
            continue
    return written


def render_briefing(briefing: Briefing, user=None) -> tuple[str, str, str]:
    """(subject, text, html) in the recipient's language (Korean by default)."""
    context = {
        "briefing": briefing,
        "technology": briefing.technology,
        "content": briefing.content,
        "site": getattr(settings, "SEOULHUB_SITE_URL", "").rstrip("/"),
        "page_url": reverse("landscape:briefing", args=[briefing.pk]),
        "tech_url": reverse("taxonomy:detail", args=[briefing.technology.slug]),
        "unsubscribe_url": reverse("alerts:index"),
        "user": user,
    }
    # Plain text (the template turns autoescaping off), on one line: a header cannot hold a line break.
    subject = " ".join(render_to_string("landscape/email/briefing_subject.txt", context).split())
    return (
        subject,
        render_to_string("landscape/email/briefing.txt", context),
        render_to_string("landscape/email/briefing.html", context),
    )
