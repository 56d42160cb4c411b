"""Search over Article: filters, hybrid ranking, one row per story cluster, facets, snippets.

The ranked list of a query (at most `hybrid.MAX_DEPTH` ids, clusters collapsed) is computed once
and cached for a few minutes under a key that includes the newest article id, so paging deep
into results costs one cache read and one page-sized query, and a new article invalidates it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from seoulhub.core.localcache import LocalMemo
from seoulhub.radar.models import Article, ArticleTechnology

from . import catalogue, rows, sql, textfns
from .base import Restriction
from .columns import NO_MONTH, month_label
from .hybrid import MAX_DEPTH, HybridSearcher
from .query import parse_query
from .postgres_fts import engine_for
from .vectors import IVF_THRESHOLD, IvfVectorIndex, VectorIndex, vector_from_bytes

CACHE_SECONDS = 300
# Rankings and rows read from the shared cache are kept in the process for a few seconds: with
# Redis, the read and unpickle cost more than the rest of a cached results page.
_local = LocalMemo(seconds=5)

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
            # A subquery, not a join with distinct(): distinct() adds the ordering columns to the
            # SELECT, and the engines use this queryset as a one-column sub-select of ids.
            tagged = ArticleTechnology.objects.filter(Q(technology__slug=self.tech)
                                                      | Q(technology__parent__slug=self.tech))
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


# --- the process-wide vector index, kept fresh incrementally -------------------------------------

_vectors_lock = threading.Lock()
_vectors: dict = {"index": None, "watermark": 0, "version": None, "rebuilding": False}


def _load_vectors(index, from_id: int = 0) -> int:
    """Add embeddings of articles with id >= from_id that the index does not hold yet. Returns the
    next watermark: the smallest id still waiting for its embedding (they are computed in batches
    after storing), or one past the newest article."""
    embedded = (Article.objects.filter(id__gte=from_id).exclude(embedding=None).order_by("id")
                .values_list("id", "embedding"))
    ids, vectors = [], []
    for doc_id, blob in embedded.iterator(chunk_size=5000):
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
    watermark). After an article is deleted or edited anywhere (the article columns' version, see
    catalogue.py) the whole index is rebuilt: at once, or in a gunicorn worker in a background
    thread while searches use the previous index (a rebuild at 1,000,000 articles is ~40 s of
    CPU, which a request must not wait for)."""
    with _vectors_lock:
        index = _vectors["index"]
        version = catalogue.current_version()
        if index is None:
            _vectors.update(_build_vectors(), version=version)
        elif version != _vectors["version"] and not _vectors["rebuilding"]:
            if catalogue.background_rebuilds:
                _vectors["rebuilding"] = True
                catalogue.run_in_background("vector-index", lambda: _rebuild_vectors_in_background(version))
            else:
                _vectors.update(_build_vectors(), version=version)
        elif sql.fetch("SELECT 1 FROM radar_article WHERE id >= %s AND embedding IS NOT NULL LIMIT 1",
                        [_vectors["watermark"]]):
            _vectors["watermark"] = _load_vectors(_vectors["index"], _vectors["watermark"])
        return _vectors["index"]


def _build_vectors() -> dict:
    sample = _training_sample()
    index = IvfVectorIndex.train(sample) if sample is not None else VectorIndex()
    return {"index": index, "watermark": _load_vectors(index)}


def _rebuild_vectors_in_background(version) -> None:
    try:
        built = _build_vectors()
        with _vectors_lock:
            _vectors.update(built, version=version)
    finally:
        with _vectors_lock:
            _vectors["rebuilding"] = False


TRAINING_SAMPLE = 60_000


def _training_sample() -> np.ndarray | None:
    """Embeddings of up to TRAINING_SAMPLE articles drawn with a fixed seed, or None when there are
    too few articles for the IVF index. The same database gives the same sample, so the same
    lists and the same results in every process (ORDER BY RANDOM() gave each build its own, and
    read every row of the table to draw them)."""
    ids = np.fromiter(Article.objects.values_list("id", flat=True), dtype=np.int64)
    if len(ids) <= IVF_THRESHOLD:
        return None
    chosen = np.sort(np.random.default_rng(0).choice(ids, min(len(ids), TRAINING_SAMPLE), replace=False))
    vectors = []
    for start in range(0, len(chosen), 5000):
        blobs = Article.objects.filter(id__in=chosen[start:start + 5000].tolist()).exclude(embedding=None)
        vectors += [v for blob in blobs.values_list("embedding", flat=True) if (v := vector_from_bytes(blob)) is not None]
    return np.array(vectors) if len(vectors) > IVF_THRESHOLD // 10 else None


def _max_loaded_id() -> int:
    # Plain SQL: it runs for every search request, cached ones too (the ORM's aggregate took ten
    # times the query's own 15 µs).
    return sql.fetch("SELECT MAX(id) FROM radar_article")[0][0] or 0


def build_before_fork() -> int:
    """Build the vector index and the article columns in a server's master process, so every
    worker forked from it shares them instead of building its own (at 1,000,000 articles the
    index is 1.5 GB and about a minute of CPU per worker). Returns how many vectors it holds."""
    catalogue.build_before_fork()
    # The analyser (Kiwi with the taxonomy's words, ~2 s) and the encoder's weights, loaded once
    # here rather than by each worker's first search while the requests behind it wait.
    parse_query("인공지능 반도체 warm-up", textfns.normalise, textfns.tagger(), lexicon=textfns.lexicon())
    textfns.embed("warm-up")
    return len(vector_index())


def adopt_after_fork() -> None:
    """In a freshly forked worker: rebuilds go to a background thread from now on, and the
    inherited columns count as new (a worker recycled long after the master built them would
    otherwise rebuild at once). New articles and embeddings still arrive by their watermarks."""
    catalogue.background_rebuilds = True
    catalogue.adopt_after_fork()


def forget_vectors() -> None:
    with _vectors_lock:
        _vectors.update(index=None, watermark=0, version=None, rebuilding=False)


def searcher() -> HybridSearcher:
    return HybridSearcher(engine_for(connection.vendor), vector_index(), textfns.normalise, textfns.embed,
                          textfns.tagger(), lexicon=textfns.lexicon())


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
    """One article per story, the best-ranked of each cluster; ids deleted since they were indexed
    are left out."""
    ids = [doc_id for doc_id, _ in ranked]
    columns = catalogue.columns()
    keep = columns.collapse(ids, catalogue.clusters_of_unknown(columns, ids))
    kept = [(doc_id, score) for (doc_id, score), wanted in zip(ranked, keep) if wanted]
    return [doc_id for doc_id, _ in kept], dict(kept)


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


def page_rows(ranking: Ranking, ids: list[int]) -> list[dict]:
    """Result rows for one page of ids, in ranking order, with snippets and the other sources of
    each story ("also reported by"). Cached with the ranking: a popular query's first page is
    built once, not on every request (rows hold nothing about the user)."""
    if not ranking.cache_key:
        return rows.page_rows(ranking, ids)
    key = f"{ranking.cache_key}:rows:" + hashlib.sha256(repr(ids).encode()).hexdigest()[:16]
    def shared():
        return cache.get_or_set(key, lambda: rows.page_rows(ranking, ids), CACHE_SECONDS)

    return _local.read_through(key, shared)


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


def _counts_from_rows(ids: list[int]) -> dict[str, list[tuple]]:
    from collections import Counter

    rows = list(Article.objects.filter(id__in=ids).values_list("id", "language", "source_id", "published_at"))
    months = catalogue.months_of([None if when is None else int(when.timestamp()) for _, _, _, when in rows])
    return {
        "technology": list(Counter(ArticleTechnology.objects.filter(article_id__in=ids)
                                   .values_list("technology_id", flat=True)).items()),
        "language": list(Counter(language for _, language, _, _ in rows).items()),
        "source": list(Counter(source for _, _, source, _ in rows).items()),
        "month": list(Counter(m for m in months.tolist() if m != NO_MONTH).items()),
    }


def _add_counts(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    from collections import Counter

    return {kind: list((Counter(dict(a[kind])) + Counter(dict(b[kind]))).items()) for kind in a}


def _facet_counts(ids: list[int]) -> dict[str, list[dict]]:
    """From the article columns; labels from the (small) technology and source tables. Orders
    as the grouped queries did: most first, ties by slug, language code or source name; months
    newest first."""
    # No catch-up query: the ranking was just collapsed with caught-up columns, and ids the
    # columns do not hold are counted from their rows below.
    columns = catalogue.columns(refresh=False)
    counts = columns.facet_counts(ids)
    unknown = [doc_id for doc_id, known in zip(ids, columns.knows(np.asarray(ids, np.int64))) if not known]
    if unknown:  # committed out of id order (PostgreSQL): counted from their rows
        counts = _add_counts(counts, _counts_from_rows(unknown))
    technology_ids = [i for i, _ in counts["technology"]]
    technologies = {row[0]: {"slug": row[1], "name_ko": row[2], "name_en": row[3]} for row in sql.fetch(
        f"SELECT id, slug, name_ko, name_en FROM taxonomy_technology WHERE id IN ({sql.marks(technology_ids)})",
        technology_ids)} if technology_ids else {}
    by_technology = sorted(((technologies[i], n) for i, n in counts["technology"] if i in technologies),
                           key=lambda pair: (-pair[1], pair[0]["slug"]))[:30]
    source_ids = [i for i, _ in counts["source"]]
    names = dict(sql.fetch(f"SELECT id, name FROM radar_source WHERE id IN ({sql.marks(source_ids)})",
                            source_ids)) if source_ids else {}
    by_source = sorted(((i, names[i], n) for i, n in counts["source"] if i in names),
                       key=lambda row: (-row[2], row[1]))[:30]
    return {
        "technology": [{"value": t["slug"], "label_ko": t["name_ko"], "label_en": t["name_en"], "count": n}
                       for t, n in by_technology],
        "language": [{"value": language, "count": n}
                     for language, n in sorted(counts["language"], key=lambda pair: (-pair[1], pair[0]))],
        "source": [{"value": i, "label": name, "count": n} for i, name, n in by_source],
        "month": [{"value": month_label(code), "count": n} for code, n in sorted(counts["month"], reverse=True)],
    }
