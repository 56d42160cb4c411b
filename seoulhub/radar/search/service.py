"""Search over Article: filters, hybrid ranking, one row per story cluster, facets, result rows.

A query's ranking (at most `hybrid.MAX_DEPTH` ids) and its facet counts are cached for a few
minutes under a key holding the newest article id; rows are read for each page, as they are now.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from seoulhub.radar.models import Article, ArticleTechnology
from seoulhub.taxonomy.models import Technology
from seoulhub.text import embed

from . import textfns
from .base import Restriction
from .hybrid import MAX_DEPTH, HybridSearcher
from .postgres_fts import engine_for
from .query import parse_query
from .snippets import highlight
from .vectors import DIMENSIONS, VectorIndex, write_index

CACHE_SECONDS = 300
# Other sources of a story listed on its result row; the article's own page lists them all.
ALSO_SHOWN = 5
# The embed task writes new articles into the index file once this many wait (searched exactly until then).
INDEX_TAIL = 2_000
STORED_BYTES = DIMENSIONS * embed.STORE_DTYPE.itemsize


@dataclass(frozen=True)
class SearchFilters:
    tech: str = ""
    lang: str = ""
    source: int | None = None
    since: date | None = None
    until: date | None = None

    @property
    def any(self) -> bool:
        return bool(self.tech or self.lang or self.source or self.since or self.until)

    def apply(self, articles):
        if self.tech:
            # A subquery, not a join with distinct(), which would add columns to the engines' sub-select.
            tagged = ArticleTechnology.objects.filter(
                Q(technology__slug=self.tech) | Q(technology__parent__slug=self.tech)
            )
            articles = articles.filter(id__in=tagged.values("article_id"))
        if self.lang:
            articles = articles.filter(language=self.lang)
        if self.source:
            articles = articles.filter(source_id=self.source)
        if self.since:
            articles = articles.filter(published_at__date__gte=self.since)
        if self.until:
            articles = articles.filter(published_at__date__lte=self.until)
        return articles


def _embedded(after: int = 0, before: int | None = None, chunk: int = 20_000):
    """(ids, float32 vectors) of the embedded articles with after < id < before, `chunk` at a time
    (the last batch may be empty)."""
    rows = Article.objects.filter(id__gt=after).exclude(embedding=None)
    rows = (rows if before is None else rows.filter(id__lt=before)).order_by("id").values_list("id", "embedding")
    batch: list[tuple[int, bytes]] = []
    for doc_id, blob in rows.iterator(chunk_size=5000):
        if len(blob) == STORED_BYTES:
            batch.append((doc_id, bytes(blob)))
        if len(batch) == chunk:
            yield _decoded(batch)
            batch = []
    yield _decoded(batch)


def _decoded(batch: list[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    vectors = np.frombuffer(b"".join(blob for _, blob in batch), embed.STORE_DTYPE).reshape(len(batch), DIMENSIONS)
    return np.array([doc_id for doc_id, _ in batch], np.int64), vectors.astype(np.float32)


def _tail(after: int) -> tuple[np.ndarray, np.ndarray]:
    batches = list(_embedded(after))
    return np.concatenate([ids for ids, _ in batches]), np.vstack([vectors for _, vectors in batches])


_index: VectorIndex | None = None


def vector_index() -> VectorIndex:
    """The index file named by settings.SEARCH_VECTOR_INDEX plus the articles it lacks."""
    global _index
    if _index is None or _index.path != settings.SEARCH_VECTOR_INDEX:
        _index = VectorIndex(settings.SEARCH_VECTOR_INDEX, tail=_tail)
    return _index


def refresh_vector_index(rebuild: bool = False, min_tail: int | None = None) -> int:
    """Write the articles embedded since the index file was written into it, once there are
    `min_tail` of them; `rebuild` writes a new file of every embedded article (which also drops
    deleted ones). Only articles below the first one still waiting for its embedding go in, so
    every article above the file's largest id is in the tail. Returns how many were written."""
    path = settings.SEARCH_VECTOR_INDEX
    after = 0 if rebuild or not path.exists() else vector_index().largest()
    before = Article.objects.filter(id__gt=after, embedding=None).aggregate(first=Min("id"))["first"]
    waiting = Article.objects.filter(id__gt=after).exclude(embedding=None)
    waiting = (waiting if before is None else waiting.filter(id__lt=before)).count()
    if not waiting or not rebuild and waiting < (INDEX_TAIL if min_tail is None else min_tail):
        return 0
    write_index(path, _embedded(after, before), start_from=path if after else None)
    return waiting


def searcher() -> HybridSearcher:
    return HybridSearcher(
        engine_for(connection.vendor),
        vector_index().snapshot(),
        textfns.normalise,
        textfns.embed,
        textfns.tagger(),
        lexicon=textfns.lexicon(),
    )


def warm() -> None:
    """Load the analyser and the encoder (~2 s) before the first search (gunicorn: before forking)."""
    parse_query("인공지능 반도체 warm-up", textfns.normalise, textfns.tagger(), lexicon=textfns.lexicon())
    textfns.embed("warm-up")


@dataclass
class Ranking:
    query: str
    ids: list[int]  # one article per story cluster, best first
    scores: dict[int, float]
    total_matches: int
    highlight_terms: list[str] = field(default_factory=list)
    cache_key: str = ""
    facet_counts: dict | None = None  # filled by facets() on first use, cached with the ranking


def _cache_key(q: str, filters: SearchFilters) -> str:
    newest = Article.objects.aggregate(newest=Max("id"))["newest"] or 0
    raw = json.dumps([q, filters.tech, filters.lang, filters.source, str(filters.since), str(filters.until), newest])
    return "radar-search:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _collapse_clusters(ranked: list[tuple[int, float]]) -> tuple[list[int], dict[int, float]]:
    """One article per story, the best-ranked of each cluster; ids deleted since they were indexed
    are left out."""
    cluster_of = dict(Article.objects.filter(id__in=[doc_id for doc_id, _ in ranked]).values_list("id", "cluster_id"))
    seen: set[int] = set()
    kept = [
        (doc_id, score)
        for doc_id, score in ranked
        if doc_id in cluster_of
        and (cluster_of[doc_id] is None or not (cluster_of[doc_id] in seen or seen.add(cluster_of[doc_id])))
    ]
    return [doc_id for doc_id, _ in kept], dict(kept)


def rank(q: str, filters: SearchFilters = SearchFilters()) -> Ranking:
    """The full ranked list for a query (cached). Raises ValueError for unusable input."""
    q = " ".join((q or "").split())
    key = _cache_key(q, filters)
    cached = cache.get(key)
    if cached is not None:
        return cached
    if not q:
        articles = filters.apply(Article.objects.all()).order_by("-published_at", "-id")
        ranked = [(doc_id, 0.0) for doc_id in articles.values_list("id", flat=True)[:MAX_DEPTH]]
        ids, scores = _collapse_clusters(ranked)
        ranking = Ranking(q, ids, scores, filters.apply(Article.objects.all()).count())
    else:
        restrict = allowed = None
        if filters.any:
            sql, params = filters.apply(Article.objects.all()).values("id").query.sql_with_params()
            restrict = Restriction(sql, tuple(params))

            def allowed(ids):
                return set(filters.apply(Article.objects.filter(id__in=ids)).values_list("id", flat=True))

        with connection.cursor() as cursor:
            # The engines write SQL in the driver's own parameter style; below Django's debug
            # wrapper (DEBUG=True), which would try to %-format that SQL for its query log.
            result = searcher().search(cursor.cursor, q, depth=MAX_DEPTH, restrict=restrict, allowed=allowed)
        ids, scores = _collapse_clusters(result.ranked)
        ranking = Ranking(q, ids, scores, result.count, result.query.surface_terms + result.query.tokens)
    ranking.cache_key = key
    cache.set(key, ranking, CACHE_SECONDS)
    return ranking


def page_rows(ranking: Ranking, ids: list[int]) -> list[dict]:
    """Rows for `ids` (one page of `ranking`), in that order, with snippets and the first
    ALSO_SHOWN other sources of each story, oldest first ("also reported by"); ids deleted since
    are left out. Story members are walked in the (cluster, published_at) index alone and only the
    shown ones read: a story covered by a hundred sources costs five rows, not a hundred."""
    articles = Article.objects.select_related("source").in_bulk(ids)
    technologies: dict[int, list[str]] = {}
    for article_id, slug in (
        ArticleTechnology.objects.filter(article_id__in=ids)
        .order_by("article_id", "-score", "id")
        .values_list("article_id", "technology__slug")
    ):
        technologies.setdefault(article_id, []).append(slug)
    shown: dict[int, list[int]] = {}
    others: Counter = Counter()
    for member_id, cluster_id in (
        Article.objects.filter(cluster_id__in={a.cluster_id for a in articles.values()})
        .exclude(id__in=ids)
        .order_by("cluster_id", "published_at", "id")
        .values_list("id", "cluster_id")
    ):
        others[cluster_id] += 1
        if others[cluster_id] <= ALSO_SHOWN:
            shown.setdefault(cluster_id, []).append(member_id)
    members = Article.objects.select_related("source").in_bulk([i for story in shown.values() for i in story])
    rows = []
    for article in (articles[i] for i in ids if i in articles):
        also = [
            {"id": m.id, "source": m.source.name, "title": m.title, "url": m.url}
            for m in (members.get(i) for i in shown.get(article.cluster_id, []))
            if m
        ]
        count = others[article.cluster_id] if article.cluster_id else 0
        rows.append(
            {
                "id": article.id,
                "title": article.title,
                "url": article.url,
                "language": article.language,
                "title_html": mark_safe(highlight(article.title, ranking.highlight_terms, width=1000)),
                "snippet_html": mark_safe(
                    highlight(article.text or strip_tags(article.summary_html or ""), ranking.highlight_terms)
                ),
                "source": article.source.name,
                "source_id": article.source_id,
                "published_at": article.published_at,
                "technologies": technologies.get(article.id, []),
                "score": round(ranking.scores.get(article.id, 0.0), 6),
                "cluster_id": article.cluster_id,
                "also_reported_by": also,
                "also_reported_count": count,
                "also_reported_more": count - len(also),
            }
        )
    return rows


class RankedPage:
    """A lazy sequence over a ranking: the paginators slice it and only that slice is loaded."""

    def __init__(self, ranking: Ranking):
        self.ranking = ranking

    def __len__(self) -> int:
        return len(self.ranking.ids)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return page_rows(self.ranking, self.ranking.ids[item])
        return page_rows(self.ranking, [self.ranking.ids[item]])[0]


def facets(ranking: Ranking) -> dict[str, list[dict]]:
    """Counts by technology, language, source and month over the ranked results; computed once
    per ranking and cached with it."""
    if ranking.facet_counts is None:
        ranking.facet_counts = _facet_counts(ranking.ids)
        if ranking.cache_key:
            cache.set(ranking.cache_key, ranking, CACHE_SECONDS)
    return ranking.facet_counts


def _facet_counts(ids: list[int]) -> dict[str, list[dict]]:
    """Most first, ties by slug, language code or source name (30 at most); months newest first."""
    rows = list(Article.objects.filter(id__in=ids).values_list("language", "source__name", "source_id", "published_at"))
    by_technology = Counter(
        ArticleTechnology.objects.filter(article_id__in=ids).values_list("technology_id", flat=True)
    )
    technologies = Technology.objects.in_bulk(list(by_technology))
    sources = Counter((name, source) for _, name, source, _ in rows)
    months = Counter(timezone.localtime(when).strftime("%Y-%m") for *_, when in rows if when is not None)
    return {
        "technology": sorted(
            (
                {"value": t.slug, "label_ko": t.name_ko, "label_en": t.name_en, "count": by_technology[i]}
                for i, t in technologies.items()
            ),
            key=lambda f: (-f["count"], f["value"]),
        )[:30],
        "language": [
            {"value": language, "count": n}
            for language, n in sorted(Counter(row[0] for row in rows).items(), key=lambda pair: (-pair[1], pair[0]))
        ],
        "source": [
            {"value": source, "label": name, "count": n}
            for (name, source), n in sorted(sources.items(), key=lambda pair: (-pair[1], pair[0][0]))[:30]
        ],
        "month": [{"value": month, "count": n} for month, n in sorted(months.items(), reverse=True)],
    }
