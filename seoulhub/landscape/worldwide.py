"""The world's side of the landscape, from the radar's articles: co-occurrence of technologies
(incremental, by article id), and per technology the story clusters, sources and languages of the
recent window. Weekly counts and the emergence score come from the radar's trend aggregates
(`trends.py` in this package reads them).

Incremental co-occurrence: a cursor remembers the highest article id counted. Each refresh reads
only the links of newer articles, in id batches, each batch and the cursor move committed in one
transaction (a crash loses nothing and counts nothing twice). Articles written by a transaction
that is still open could get an id below one already counted, so the cursor only passes articles
fetched at least `SETTLE` ago. Re-tagged or deleted articles are picked up by `--full`."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from seoulhub.core import clock
from seoulhub.radar.models import Article, ArticleTechnology, Source, StoryCluster

from . import scoring
from .local import store_pairs
from .models import CountCursor, TechnologyLandscape, TechnologyPair

SETTLE = datetime.timedelta(minutes=5)
BATCH_IDS = 50_000
RECENT_WEEKS = 8  # window of the top clusters, sources and languages shown on a technology page
TOP = 5

ARTICLES = TechnologyPair.Context.ARTICLES


def _stored_counts() -> scoring.Cooccurrence:
    counts = scoring.Cooccurrence()
    cursor = CountCursor.objects.filter(context=ARTICLES).first()
    counts.items = cursor.items if cursor else 0
    for a, b, together in TechnologyPair.objects.filter(context=ARTICLES).values_list(
        "tech_a_id", "tech_b_id", "together"
    ):
        if a == b:
            counts.singles[a] = together
        else:
            counts.pairs[(a, b)] = together
    return counts


def settled_max_id(now=None, settle: datetime.timedelta = SETTLE) -> int:
    now = now or timezone.now()
    last = Article.objects.filter(fetched_at__lte=now - settle).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def count_new_articles(
    full: bool = False, batch_ids: int = BATCH_IDS, now=None, settle: datetime.timedelta = SETTLE
) -> dict[str, int]:
    """Add the articles after the cursor to the article co-occurrence counts (all when `full`).
    `settle=0` is for runs where nothing else writes articles (`make demo`, after an ingest)."""
    if full:
        with transaction.atomic():
            TechnologyPair.objects.filter(context=ARTICLES).delete()
            CountCursor.objects.update_or_create(context=ARTICLES, defaults={"position": 0, "items": 0})
    upto = settled_max_id(now, settle)
    cursor, _ = CountCursor.objects.get_or_create(context=ARTICLES)
    counted = 0
    position = cursor.position
    while position < upto:
        high = min(position + batch_ids, upto)
        with transaction.atomic():
            cursor = CountCursor.objects.select_for_update().get(context=ARTICLES)
            if cursor.position != position:  # another refresh moved it: continue from there
                position = cursor.position
                continue
            counts = _stored_counts()
            tech_sets: dict[int, set[int]] = defaultdict(set)
            links = ArticleTechnology.objects.filter(article_id__gt=position, article_id__lte=high)
            for article_id, tech in links.values_list("article_id", "technology_id").iterator(chunk_size=5000):
                tech_sets[article_id].add(tech)
            items = Article.objects.filter(id__gt=position, id__lte=high).count()
            for techs in tech_sets.values():
                counts.add(techs)
            counts.items += items - len(tech_sets)  # untagged articles count as items too
            store_pairs(ARTICLES, counts)
            cursor.position, cursor.items = high, counts.items
            cursor.save(update_fields=["position", "items", "updated_at"])
        counted += items
        position = high
    return {"articles_counted": counted, "cursor": position}


def window_start(weeks: int = RECENT_WEEKS) -> datetime.datetime | None:
    """The recent window ends at the latest dated article (the corpus may stop before today), and
    never after the hub's clock."""
    latest = Article.objects.filter(published_at__lte=clock.now()).aggregate(latest=Max("published_at"))["latest"]
    return latest - datetime.timedelta(weeks=weeks) if latest else None


@transaction.atomic
def refresh_recent_window(weeks: int = RECENT_WEEKS) -> int:
    """Top story clusters, leading sources and languages per technology over the recent window."""
    start = window_start(weeks)
    clusters: dict[int, Counter] = defaultdict(Counter)
    sources: dict[int, Counter] = defaultdict(Counter)
    languages: dict[int, Counter] = defaultdict(Counter)
    latest_article: dict[int, int] = {}  # cluster -> its newest article in the window (the link target)
    if start is not None:
        rows = ArticleTechnology.objects.filter(article__published_at__gte=start).values_list(
            "technology_id", "article__cluster_id", "article__source_id", "article__language", "article_id"
        )
        for tech, cluster, source, language, article in rows.iterator(chunk_size=5000):
            if cluster:
                clusters[tech][cluster] += 1
                latest_article[cluster] = max(article, latest_article.get(cluster, 0))
            sources[tech][source] += 1
            languages[tech][language or "?"] += 1
    top_cluster_ids = {c for counter in clusters.values() for c, _ in counter.most_common(TOP)}
    cluster_rows = StoryCluster.objects.in_bulk(top_cluster_ids)
    source_names = dict(Source.objects.values_list("pk", "name"))
    rows = list(TechnologyLandscape.objects.select_for_update())
    for row in rows:
        tech = row.technology_id
        row.top_clusters = [
            {
                "id": c,
                "title": cluster_rows[c].title,
                "articles": n,
                "article_id": latest_article[c],
                "size": cluster_rows[c].size,
                "first_published_at": cluster_rows[c].first_published_at.isoformat()
                if cluster_rows[c].first_published_at
                else None,
            }
            for c, n in clusters[tech].most_common(TOP)
            if c in cluster_rows
        ]
        row.top_sources = [
            {"id": s, "name": source_names.get(s, "?"), "articles": n} for s, n in sources[tech].most_common(TOP)
        ]
        row.languages = dict(languages[tech].most_common())
        row.global_refreshed_at = timezone.now()
    TechnologyLandscape.objects.bulk_update(rows, ["top_clusters", "top_sources", "languages", "global_refreshed_at"])
    return len(rows)
