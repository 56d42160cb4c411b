"""What a subscription selects: radar articles, landscape briefings and programme deadlines.

An article matches when it is tagged with a followed technology (or a narrower one), comes from a
followed source, or is found by a saved search. Articles are ranked by relevance plus 0.5 for
every further reason they matched, and keep one per story cluster (the best; the other sources
are listed under it). Every item carries the address of the thing itself: the article's own URL
(or the hub's article page when the source gave none), the briefing page, the programme page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import strip_tags

from seoulhub.radar.models import Article
from seoulhub.radar.search import service

from .models import Subscription

FEED_WINDOW = datetime.timedelta(days=30)
DIGEST_LIMIT = 20
SNIPPET_CHARS = 300
# How far ahead a digest lists programme deadlines.
DEADLINE_DAYS = {Subscription.Frequency.DAILY: 3, Subscription.Frequency.WEEKLY: 14}


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def absolute(path_or_url: str) -> str:
    return path_or_url if path_or_url.startswith(("http://", "https://")) else site_url() + path_or_url


@dataclass
class Match:
    article: Article
    score: float
    reasons: list[str] = field(default_factory=list)
    also: list[Article] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The article itself: its own address, else its page on the hub (never a search)."""
        return self.article.url or absolute(self.article.get_absolute_url())

    @property
    def snippet(self) -> str:
        text = " ".join((self.article.text or strip_tags(self.article.summary_html or "")).split())
        return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"

    @property
    def technologies(self) -> list[str]:
        english = translation.get_language() == "en"
        return [t.name_en if english else t.name_ko for t in self.article.technologies.all()]


def _within(articles, since, until):
    if since is not None:
        articles = articles.filter(Q(published_at__gte=since) | Q(published_at=None, fetched_at__gte=since))
    if until is not None:
        articles = articles.filter(Q(published_at__lt=until) | Q(published_at=None, fetched_at__lt=until))
    return articles


def matching_articles(subscription: Subscription, since=None, until=None, limit: int = 50) -> list[Match]:
    reasons: dict[int, list[str]] = {}
    slugs = list(subscription.technologies.values_list("slug", flat=True))
    if slugs:
        tagged = _within(
            Article.objects.filter(
                Q(technology_links__technology__slug__in=slugs)
                | Q(technology_links__technology__parent__slug__in=slugs)
            ),
            since,
            until,
        )
        for doc_id, name_ko, name_en in tagged.values_list(
            "id", "technology_links__technology__name_ko", "technology_links__technology__name_en"
        )[:2000]:
            reasons.setdefault(doc_id, []).append(name_en if translation.get_language() == "en" else name_ko)
    source_ids = list(subscription.sources.values_list("id", flat=True))
    if source_ids:
        for doc_id, name in _within(Article.objects.filter(source_id__in=source_ids), since, until).values_list(
            "id", "source__name"
        )[:2000]:
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
    articles = (
        Article.objects.filter(id__in=list(reasons))
        .select_related("source", "cluster")
        .prefetch_related("technologies")
    )
    scored = sorted(
        (Match(a, a.relevance + 0.5 * (len(set(reasons[a.id])) - 1), sorted(set(reasons[a.id]))) for a in articles),
        key=lambda m: (-m.score, -(m.article.published_at or m.article.fetched_at).timestamp(), m.article.id),
    )
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


def briefings_of_week(subscription: Subscription, week: str):
    from seoulhub.landscape.models import Briefing

    technology_ids = list(subscription.briefings.values_list("pk", flat=True))
    return list(
        Briefing.objects.filter(technology_id__in=technology_ids, week=week)
        .select_related("technology")
        .order_by("technology__slug")
    )


def followed_programmes(subscription: Subscription):
    """Programmes followed one by one, plus (if asked) those recommended to the person's firms."""
    from seoulhub.support.models import Programme
    from seoulhub.support.permissions import firms_of
    from seoulhub.support.services import recommendations

    ids = set(subscription.programmes.values_list("pk", flat=True))
    if subscription.firm_programmes:
        for firm in firms_of(subscription.user):
            ids.update(programme.pk for programme, _match in recommendations(firm))
    return Programme.objects.filter(pk__in=ids)


def upcoming_deadlines(subscription: Subscription, today: datetime.date, days: int):
    return list(
        followed_programmes(subscription)
        .filter(closes_on__gte=today, closes_on__lte=today + datetime.timedelta(days=days))
        .order_by("closes_on", "title")
    )


@dataclass
class Digest:
    """The content of one digest, whatever the channel."""

    frequency: str
    period: str
    since: datetime.datetime
    until: datetime.datetime
    matches: list[Match]
    briefings: list
    deadlines: list

    @property
    def item_count(self) -> int:
        return len(self.matches) + len(self.briefings) + len(self.deadlines)


def build_digest(subscription: Subscription, frequency: str, period: str, since, until) -> Digest:
    """A digest for the period: its articles, the briefings of its week (a weekly digest, or the
    daily digest of a week's last day) and the deadlines of the next days."""
    from seoulhub.landscape.briefing import write_briefings
    from seoulhub.trends.periods import week_key

    matches = matching_articles(subscription, since, until, limit=DIGEST_LIMIT)
    last_day = (timezone.localtime(until) - datetime.timedelta(days=1)).date()
    briefings = []
    if frequency == Subscription.Frequency.WEEKLY or last_day.isoweekday() == 7:
        week = week_key(last_day)
        technologies = list(subscription.briefings.all())
        if technologies:
            write_briefings(week, technologies)  # once per (technology, week); a no-op when written
        briefings = briefings_of_week(subscription, week)
    deadlines = upcoming_deadlines(subscription, timezone.localtime(until).date(), DEADLINE_DAYS[frequency])
    return Digest(frequency, period, since, until, matches, briefings, deadlines)
