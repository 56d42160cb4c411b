"""Personal selection of articles for a subscription, and the e-mail digests built from it.

An article matches a subscription when it is tagged with a followed technology (or a narrower
one), comes from a followed source, or is found by a saved search. Results are ranked by the
article's relevance plus 0.5 for every further reason it matched, and keep one article per
story cluster (the best; the other sources are listed under it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from seoulhub.trends.periods import week_key

from .models import Article, DigestDelivery, Subscription
from .search import service

FEED_WINDOW = timedelta(days=30)
DIGEST_LIMIT = 20


@dataclass
class Match:
    article: Article
    score: float
    reasons: list[str] = field(default_factory=list)
    also: list[Article] = field(default_factory=list)


def _within(articles, since, until):
    if since is not None:
        articles = articles.filter(Q(published_at__gte=since) | Q(published_at=None, fetched_at__gte=since))
    if until is not None:
        articles = articles.filter(Q(published_at__lt=until) | Q(published_at=None, fetched_at__lt=until))
    return articles


def matching_articles(subscription: Subscription, since: datetime | None = None, until: datetime | None = None,
                      limit: int = 50) -> list[Match]:
    reasons: dict[int, list[str]] = {}
    technologies = list(subscription.technologies.all())
    if technologies:
        slugs = [t.slug for t in technologies]
        tagged = _within(Article.objects.filter(Q(technology_links__technology__slug__in=slugs)
                                                | Q(technology_links__technology__parent__slug__in=slugs)), since, until)
        for doc_id, name_ko, name_en in tagged.values_list("id", "technology_links__technology__name_ko",
                                                             "technology_links__technology__name_en")[:2000]:
            label = name_en if translation.get_language() == "en" else name_ko
            reasons.setdefault(doc_id, []).append(label)
    sources = list(subscription.sources.all())
    if sources:
        for doc_id, name in _within(Article.objects.filter(source__in=sources), since, until).values_list(
                "id", "source__name")[:2000]:
            reasons.setdefault(doc_id, []).append(name)
    for saved in subscription.searches.all():
        try:
            found = service.rank(saved.query).ids[:500]
        except ValueError:
            continue
        for doc_id in _within(Article.objects.filter(id__in=found), since, until).values_list("id", flat=True):
            reasons.setdefault(doc_id, []).append(f"“{saved.query}”")
    if not reasons:
        return []
    articles = {a.id: a for a in Article.objects.filter(id__in=list(reasons)).select_related("source", "cluster")}
    scored = sorted(
        (Match(a, a.relevance + 0.5 * (len(set(reasons[a.id])) - 1), sorted(set(reasons[a.id])))
         for a in articles.values()),
        key=lambda m: (-m.score, -(m.article.published_at or m.article.fetched_at).timestamp(), m.article.id))
    best_of_cluster: dict[int, Match] = {}
    picked: list[Match] = []
    for match in scored:
        cluster = match.article.cluster_id
        if cluster is not None and cluster in best_of_cluster:
            best_of_cluster[cluster].also.append(match.article)
            continue
        if cluster is not None:
            best_of_cluster[cluster] = match
        picked.append(match)
    return picked[:limit]


# --- e-mail digests ----------------------------------------------------------------------------


def digest_period(frequency: str, now: datetime) -> tuple[str, datetime, datetime]:
    """The period a digest sent `now` covers: yesterday (daily) or last ISO week (weekly)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Subscription.Frequency.DAILY:
        start = today - timedelta(days=1)
        return start.date().isoformat(), start, today
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(days=7)
    return week_key(start.date()), start, monday


def render_digest(subscription: Subscription, matches: list[Match], since, until, base_url: str) -> tuple[str, str, str]:
    context = {
        "subscription": subscription, "matches": matches, "since": since, "until": until,
        "base_url": base_url.rstrip("/"),
        "settings_url": base_url.rstrip("/") + reverse("radar:subscriptions"),
        "feed_url": base_url.rstrip("/") + reverse("radar:subscription_feed", args=[subscription.feed_token]),
    }
    # Plain text (the template turns autoescaping off), on one line: a header cannot hold a line break.
    subject = " ".join(render_to_string("radar/subscriptions/digest_subject.txt", context).split())
    text = render_to_string("radar/subscriptions/digest.txt", context)
    html = render_to_string("radar/subscriptions/digest.html", context)
    return subject, text, html


def send_digest(subscription: Subscription, now: datetime | None = None, base_url: str | None = None) -> int:
    """Send this period's digest once. Returns the number of articles sent (0: nothing to send,
    already sent, or the user has no e-mail address)."""
    now = now or timezone.now()
    frequency = subscription.frequency
    if frequency == Subscription.Frequency.NONE or not subscription.user.email:
        return 0
    period, since, until = digest_period(frequency, now)
    if DigestDelivery.objects.filter(subscription=subscription, frequency=frequency, period=period).exists():
        return 0
    matches = matching_articles(subscription, since, until, limit=DIGEST_LIMIT)
    if not matches:
        return 0
    base_url = base_url or getattr(settings, "SEOULHUB_BASE_URL", "http://localhost:8000")
    with translation.override(getattr(subscription.user, "language", None) or settings.LANGUAGE_CODE):
        subject, text, html = render_digest(subscription, matches, since, until, base_url)
    try:
        with transaction.atomic():
            # Recorded first: if sending fails the row rolls back and the next run retries;
            # a second worker racing for the same period hits the unique key and sends nothing.
            DigestDelivery.objects.create(subscription=subscription, frequency=frequency, period=period,
                                          since=since, until=until, article_count=len(matches))
            message = EmailMultiAlternatives(subject, text, to=[subscription.user.email])
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return 0
    return len(matches)


def send_due_digests(frequency: str, now: datetime | None = None) -> dict[str, int]:
    sent = skipped = 0
    for subscription in Subscription.objects.filter(frequency=frequency).select_related("user"):
        if send_digest(subscription, now):
            sent += 1
        else:
            skipped += 1
    return {"sent": sent, "skipped": skipped}
