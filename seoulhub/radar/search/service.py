"""Search over Article: filters, hybrid ranking, one row per story cluster, facets, snippets.

The ranked list of a query (at most `hybrid.MAX_DEPTH` ids, clusters collapsed) is computed once
and cached for a few minutes under a key that includes the newest article id, so paging deep
into results costs one cache read and one page-sized query, and a new article invalidates it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils.html import strip_tags

from seoulhub.core.localcache import LocalMemo
from seoulhub.radar.models import Article, ArticleTechnology

from . import textfns
from .base import Restriction
from .hybrid import MAX_DEPTH, HybridSearcher
from .postgres_fts import engine_for
from .snippets import highlight
from .vectors import IVF_THRESHOLD, IvfVectorIndex, VectorIndex, vector_from_bytes

CACHE_SECONDS = 300
# Rankings and rows read from the shared cache are kept in the process for a few seconds: with
# Redis, the read and unpickle cost more than the rest of a cached results page.
_local = LocalMemo(seconds=5)
VECTOR_REFRESH_SECONDS = 600



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
            articles = articles.filter(Q(technology_links__technology__slug=self.tech)
                                       | Q(technology_links__technology__parent__slug=self.tech)).distinct()
        if self.lang:
            articles = articles.filter(language=self.lang)
        if self.source:
            articles = articles.filter(source_id=self.source)
        if self.since:
            articles = articles.filter(published_at__date__gte=self.since)
        if self.until:
            articles = articles.filter(published_at__date__lte=self.until)
        return articles


# --- the process-wide vector index, kept fresh incrementally -------------------------------------

_vectors_lock = threading.Lock()
_vectors: dict = {"index": None, "built_at": 0.0}


def _load_vectors(index, from_id: int = 0) -> int:
    """Add embeddings of articles with id >= from_id that the index does not hold yet. Returns the
    next watermark: the smallest id still waiting for its embedding (they are computed in batches
    after storing), or one past the newest article."""
    rows = (Article.objects.filter(id__gte=from_id).exclude(embedding=None).order_by("id")
            .values_list("id", "embedding"))
    ids, vectors = [], []
    for doc_id, blob in rows.iterator(chunk_size=5000):
        if doc_id in index:
            continue
        vector = vector_from_bytes(blob)
        if vector is not None:
            ids.append(doc_id)
            vectors.append(vector)
        if len(ids) >= 20_000:
            index.add(ids, vectors)
            ids, vectors = [], []
    if ids:
        index.add(ids, vectors)
    waiting = Article.objects.filter(id__gte=from_id, embedding=None).order_by("id").values_list("id", flat=True).first()
    return waiting if waiting is not None else _max_loaded_id() + 1


def vector_index():
    """Articles embedded since the last call are added on every call (one indexed query from the
    watermark); the whole index is rebuilt every VECTOR_REFRESH_SECONDS so that deletions and
    edits made by other processes show up."""
    with _vectors_lock:
        index = _vectors["index"]
        if index is None or time.monotonic() - _vectors["built_at"] > VECTOR_REFRESH_SECONDS:
            total = Article.objects.exclude(embedding=None).count()
            if total > IVF_THRESHOLD:
                sample = [vector_from_bytes(b) for b in Article.objects.exclude(embedding=None)
                          .order_by("?").values_list("embedding", flat=True)[:60_000]]
                index = IvfVectorIndex.train(np.array([v for v in sample if v is not None]))
            else:
                index = VectorIndex()
            watermark = _load_vectors(index)
            _vectors.update(index=index, built_at=time.monotonic(), watermark=watermark)
        elif Article.objects.filter(id__gte=_vectors["watermark"]).exclude(embedding=None).exists():
            _vectors["watermark"] = _load_vectors(index, _vectors["watermark"])
        return index


def _max_loaded_id() -> int:
    return Article.objects.aggregate(top=Max("id"))["top"] or 0


def build_before_fork() -> int:
    """Build the vector index in a server's master process, so every worker forked from it shares
    the matrix instead of building its own (at 1,000,000 articles that is 2 GB and about a
    minute of CPU per worker). Returns how many vectors it holds."""
    return len(vector_index())


def adopt_after_fork() -> None:
    """A freshly forked worker counts the inherited index as new: otherwise a worker recycled
    long after the master built it would rebuild at once. New embeddings still arrive by the
    watermark on the next search."""
    with _vectors_lock:
        if _vectors["index"] is not None:
            _vectors["built_at"] = time.monotonic()


def forget_vectors() -> None:
    with _vectors_lock:
        _vectors.update(index=None, built_at=0.0, watermark=0)


def searcher() -> HybridSearcher:
    return HybridSearcher(engine_for(connection.vendor), vector_index(), textfns.normalise, textfns.embed,
                          textfns.tagger())


# --- ranking, cached -------------------------------------------------------------------------


@dataclass
class Ranking:
    query: str
    ids: list[int]  # one article per story cluster, best first
    scores: dict[int, float]
    total_matches: int
    technologies: list[str] = field(default_factory=list)
    highlight_terms: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    cache_key: str = ""
    facet_counts: dict | None = None  # filled by facets() on first use, cached with the ranking


def _cache_key(q: str, filters: SearchFilters) -> str:
    newest = _max_loaded_id()
    raw = json.dumps([q, filters.tech, filters.lang, filters.source, str(filters.since), str(filters.until), newest])
    return "radar-search:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _collapse_clusters(ranked: list[tuple[int, float]]) -> tuple[list[int], dict[int, float]]:
    cluster_of = dict(Article.objects.filter(id__in=[d for d, _ in ranked]).values_list("id", "cluster_id"))
    seen_clusters, ids, scores = set(), [], {}
    for doc_id, score in ranked:
        if doc_id not in cluster_of:
            continue  # deleted since it was indexed
        cluster = cluster_of[doc_id]
        if cluster is not None:
            if cluster in seen_clusters:
                continue
            seen_clusters.add(cluster)
        ids.append(doc_id)
        scores[doc_id] = score
    return ids, scores


def rank(q: str, filters: SearchFilters = SearchFilters()) -> Ranking:
    """The full ranked list for a query (cached). Raises ValueError for unusable input."""
    q = " ".join((q or "").split())
    key = _cache_key(q, filters)
    cached = _local.read_through(key, lambda: cache.get(key))
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
        ranking = Ranking(q, ids, scores, result.count, result.query.technologies,
                          result.query.surface_terms + result.query.tokens, result.query.tokens)
    ranking.cache_key = key
    cache.set(key, ranking, CACHE_SECONDS)
    _local.set(key, ranking)
    return ranking


# --- pages -------------------------------------------------------------------------------------


def plain_text(article: Article) -> str:
    return article.text or strip_tags(article.summary_html or "")


def page_rows(ranking: Ranking, ids: list[int]) -> list[dict]:
    """Result rows for one page of ids, in ranking order, with snippets and the other sources of
    each story ("also reported by"). Cached with the ranking: a popular query's first page is
    built once, not on every request (rows hold nothing about the user)."""
    if not ranking.cache_key:
        return _page_rows(ranking, ids)
    key = f"{ranking.cache_key}:rows:" + hashlib.sha256(repr(ids).encode()).hexdigest()[:16]
    def shared():
        return cache.get_or_set(key, lambda: _page_rows(ranking, ids), CACHE_SECONDS)

    return _local.read_through(key, shared)


# Columns a result row never shows; an article's embedding alone is 1 KB.
_UNSHOWN = ("search_text", "embedding", "minhash", "keywords")


def _page_rows(ranking: Ranking, ids: list[int]) -> list[dict]:
    articles = {a.id: a for a in Article.objects.filter(id__in=ids).defer(*_UNSHOWN)
                .select_related("source").prefetch_related("technology_links__technology")}
    clusters = [a.cluster_id for a in articles.values() if a.cluster_id]
    also: dict[int, list[dict]] = {}
    # Plain tuples: a story reported by many sources has many members, and model instances of
    # all of them were a third of a fresh results page at 1M articles.
    for other_id, cluster_id, source_name, title, url in (
            Article.objects.filter(cluster_id__in=clusters).exclude(id__in=ids).order_by("published_at", "id")
            .values_list("id", "cluster_id", "source__name", "title", "url")):
        also.setdefault(cluster_id, []).append({"id": other_id, "source": source_name, "title": title, "url": url})
    rows = []
    for doc_id in ids:
        article = articles.get(doc_id)
        if article is None:
            continue
        terms = ranking.highlight_terms
        rows.append({
            "id": article.id,
            "title": article.title,
            "title_html": highlight(article.title, terms, width=1000) if terms else highlight(article.title, [], 1000),
            "snippet_html": highlight(plain_text(article), terms),
            "url": article.url,
            "source": article.source.name,
            "source_id": article.source_id,
            "language": article.language,
            "published_at": article.published_at,
            "technologies": [link.technology.slug for link in article.technology_links.all()],
            "score": round(ranking.scores.get(doc_id, 0.0), 6),
            "cluster_id": article.cluster_id,
            "also_reported_by": also.get(article.cluster_id, []) if article.cluster_id else [],
        })
    return rows


class RankedPage:
    """A lazy sequence over a ranking: ninja's paginator slices it and only that slice is loaded."""

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
    per ranking and cached with it (four grouped queries over up to MAX_DEPTH ids cost more than
    the rest of a results page)."""
    if ranking.facet_counts is None:
        ranking.facet_counts = _facet_counts(ranking.ids)
        if ranking.cache_key:
            cache.set(ranking.cache_key, ranking, CACHE_SECONDS)
            _local.set(ranking.cache_key, ranking)
    return ranking.facet_counts


def _facet_counts(ids: list[int]) -> dict[str, list[dict]]:
    articles = Article.objects.filter(id__in=ids)
    technologies = (ArticleTechnology.objects.filter(article_id__in=ids)
                    .values("technology__slug", "technology__name_ko", "technology__name_en")
                    .annotate(n=Count("article_id", distinct=True)).order_by("-n", "technology__slug")[:30])
    languages = articles.values("language").annotate(n=Count("id")).order_by("-n", "language")
    sources = articles.values("source_id", "source__name").annotate(n=Count("id")).order_by("-n", "source__name")[:30]
    months = (articles.exclude(published_at=None).annotate(month=TruncMonth("published_at"))
              .values("month").annotate(n=Count("id")).order_by("-month"))
    return {
        "technology": [{"value": t["technology__slug"], "label_ko": t["technology__name_ko"],
                        "label_en": t["technology__name_en"], "count": t["n"]} for t in technologies],
        "language": [{"value": row["language"], "count": row["n"]} for row in languages],
        "source": [{"value": row["source_id"], "label": row["source__name"], "count": row["n"]} for row in sources],
        "month": [{"value": row["month"].strftime("%Y-%m"), "count": row["n"]} for row in months if row["month"]],
    }
