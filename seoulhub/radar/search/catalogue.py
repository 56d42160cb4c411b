"""The web process's ArticleColumns (columns.py), loaded from the database and kept current.

Collapsing a fresh ranking into stories and counting its facets read the cluster, source,
language, date and technologies of up to 1,000 articles. At 1,000,000 articles on SQLite that was
10.6 ms of a 44 ms results page (bench/search_fresh.py): an article row is wider than a page and
those columns sit after the text and the embedding, so each read followed overflow pages. Held as
arrays (about 25 MB at 1,000,000 articles) the same answers take well under a millisecond.

Kept current the way the vector index is:
* articles newer than the newest loaded one are appended on the next search (one indexed query,
  only when the newest article id has changed);
* an article that joins a story later gets its cluster from the clusters created since the last
  load (ingestion creates a cluster when a new article turns out to repeat an older one, and
  puts both in it);
* ids a ranking holds that the columns do not know (committed out of id order on PostgreSQL)
  are read from the database for that request;
* deletions and edits are picked up by a full rebuild: when an article is deleted or saved
  again, or a story cluster deleted (signals bump a version in the shared cache), and every
  REBUILD_SECONDS. In a gunicorn worker the rebuild runs in a background thread and searches use
  the previous columns until it is done; elsewhere (tests, runserver, commands) it runs at once.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone as dt_timezone

import numpy as np
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from seoulhub.core.localcache import LocalMemo

from . import sql
from .columns import NO_MONTH, ArticleColumns, ArticleRows, month_code

REBUILD_SECONDS = 600
VERSION_KEY = "radar-article-columns-version"
_version_memo = LocalMemo(seconds=5)

_lock = threading.Lock()
_state: dict = {"columns": None, "newest": 0, "cluster_mark": 0, "built_at": 0.0, "version": None,
                "rebuilding": False}
# Set in gunicorn workers (service.adopt_after_fork): full rebuilds of these columns and of the
# vector index then run in a background thread.
background_rebuilds = False


def columns(refresh: bool = True) -> ArticleColumns:
    """The current columns, caught up with the database unless `refresh` is False (for callers
    that read the ids they do not find from the database anyway)."""
    with _lock:
        current = _state["columns"]
        if current is None:
            _state.update(_built())
            return _state["columns"]
        if not refresh:
            return current
        version = current_version()
        stale = version != _state["version"] or time.monotonic() - _state["built_at"] > REBUILD_SECONDS
        if stale and not _state["rebuilding"]:
            if background_rebuilds:
                _state["rebuilding"] = True
                run_in_background("article-columns", _rebuild_in_background)
            else:
                _state.update(_built())
                return _state["columns"]
        newest, newest_cluster = _newest_ids()
        if newest > _state["newest"] or newest_cluster > _state["cluster_mark"]:
            _catch_up(current)
        return current


def forget() -> None:
    with _lock:
        _state.update(columns=None, newest=0, cluster_mark=0, built_at=0.0, version=None, rebuilding=False)


def build_before_fork() -> int:
    """Load the columns in a server's master process so forked workers share them."""
    return columns().articles


def adopt_after_fork() -> None:
    with _lock:
        if _state["columns"] is not None:
            _state["built_at"] = time.monotonic()


def bump_version() -> None:
    """Tell every process to rebuild (an article was deleted)."""
    cache.set(VERSION_KEY, time.time_ns(), None)
    _version_memo.clear()


def current_version():
    """Changes whenever an article is deleted or edited anywhere (read from the shared cache at
    most every few seconds per process)."""
    return _version_memo.read_through(VERSION_KEY, lambda: cache.get(VERSION_KEY, 0))


# --- loading -----------------------------------------------------------------------------------


def _newest_ids() -> tuple[int, int]:
    """The newest article id and the newest story cluster id (both primary-key lookups)."""
    article, cluster = sql.fetch("SELECT (SELECT MAX(id) FROM radar_article), (SELECT MAX(id) FROM radar_storycluster)")[0]
    return article or 0, cluster or 0


def run_in_background(name: str, work) -> None:
    """Run work() in a daemon thread, on that thread's own database connections (closed after)."""
    def run():
        try:
            work()
        finally:
            connections.close_all()

    threading.Thread(target=run, name=name, daemon=True).start()


def _built() -> dict:
    """A fresh state: new columns loaded in full."""
    fresh = ArticleColumns()
    version = current_version()
    newest, mark = _load(fresh, full=True)
    return {"columns": fresh, "newest": newest, "cluster_mark": mark, "built_at": time.monotonic(), "version": version}


def _rebuild_in_background() -> None:
    try:
        built = _built()
        with _lock:
            _state.update(built)
    finally:
        with _lock:
            _state["rebuilding"] = False


def _catch_up(current: ArticleColumns) -> None:
    newest, mark = _load(current, full=False, after=_state["newest"], cluster_mark=_state["cluster_mark"])
    _state.update(newest=max(newest, _state["newest"]), cluster_mark=max(mark, _state["cluster_mark"]))


def _epoch_sql() -> str:
    """Unix time of published_at, in SQL that goes through Django's cursor with parameters."""
    if connection.vendor == "postgresql":
        return "CAST(EXTRACT(EPOCH FROM published_at) AS BIGINT)"
    return "CAST(strftime('%%s', published_at) AS INTEGER)"


def _load(target: ArticleColumns, full: bool, after: int = 0, cluster_mark: int = 0) -> tuple[int, int]:
    """Append articles with id > `after` (and their technologies); give articles that joined
    clusters created after `cluster_mark` their cluster. Returns the new (newest id, cluster mark).
    One read transaction, so on SQLite every query sees the same snapshot."""
    with transaction.atomic(), connection.cursor() as cursor:
        # The mark first: a cluster created while the articles are read is caught next time.
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM radar_storycluster")
        new_mark = cursor.fetchone()[0]
        if full and connection.vendor == "sqlite":
            ids, clusters, sources, languages, epochs = _full_sqlite(cursor)
        else:
            ids, clusters, sources, languages, epochs = _fetch_columns(
                cursor, f"SELECT id, COALESCE(cluster_id, 0), source_id, language, {_epoch_sql()} "
                "FROM radar_article WHERE id > %s ORDER BY id", [after], _ARTICLE_TYPES)
        newest = int(ids[-1]) if len(ids) else after
        # Highest score first within an article, as result rows list them.
        tech_articles, tech_ids = _fetch_columns(
            cursor, "SELECT article_id, technology_id FROM radar_articletechnology "
            "WHERE article_id > %s AND article_id <= %s ORDER BY article_id, score DESC, id",
            [after, newest], (np.int64, np.int64))
        joined = []
        if not full and cluster_mark < new_mark:
            cursor.execute("SELECT id, cluster_id FROM radar_article WHERE cluster_id > %s AND id <= %s",
                           [cluster_mark, after])
            joined = cursor.fetchall()
    names, index = np.unique(languages.astype(str), return_inverse=True) if len(languages) else ([], languages)
    target.append(ArticleRows(ids=ids, clusters=clusters, sources=sources, language_names=list(names),
                              language_index=np.asarray(index, np.int64), months=months_of(epochs),
                              tech_article_ids=tech_articles, tech_ids=tech_ids))
    if joined:
        target.set_clusters([r[0] for r in joined], [r[1] for r in joined])
    return newest, new_mark


# id, cluster (0: none), source, language, Unix time of publication (NaN: none)
_ARTICLE_TYPES = (np.int64, np.int64, np.int64, object, np.float64)


def _fetch_columns(cursor, query: str, params: list, types: tuple, chunk: int = 50_000) -> list[np.ndarray]:
    """A query's columns as arrays, converted a chunk of rows at a time: a million rows as Python
    tuples held at once took ~600 MB and most of the build time. None in a float column is NaN."""
    cursor.execute(query, params)
    parts: list[list[np.ndarray]] = [[] for _ in types]
    while rows := cursor.fetchmany(chunk):
        for part, column, kind in zip(parts, zip(*rows), types):
            part.append(np.array(column, dtype=kind))
    return [np.concatenate(part) if part else np.zeros(0, kind) for part, kind in zip(parts, types)]


def _full_sqlite(cursor) -> list[np.ndarray]:
    """Every article's columns from three covering indexes, scattered into arrays by id: reading
    the table itself means every overflow page of every row (seconds at 1,000,000 articles)."""
    ids, sources, epochs = _fetch_columns(
        cursor, f"SELECT id, source_id, {_epoch_sql()} FROM radar_article INDEXED BY radar_article_source_idx "
        "WHERE source_id >= %s", [0], (np.int64, np.int64, np.float64))
    if not len(ids):
        return [np.zeros(0, kind) for kind in _ARTICLE_TYPES]
    size = int(ids.max()) + 1
    by_id = {name: np.zeros(size, kind) for name, kind in (("source", np.int64), ("epoch", np.float64),
                                                          ("cluster", np.int64), ("language", object))}
    by_id["source"][ids], by_id["epoch"][ids] = sources, epochs
    language_ids, languages = _fetch_columns(
        cursor, "SELECT id, language FROM radar_article INDEXED BY radar_article_lang_idx WHERE language >= %s",
        [""], (np.int64, object))
    by_id["language"][language_ids] = languages
    cluster_ids, clusters = _fetch_columns(
        cursor, "SELECT id, cluster_id FROM radar_article WHERE cluster_id > %s", [0], (np.int64, np.int64))
    by_id["cluster"][cluster_ids] = clusters
    ids.sort()
    return [ids, by_id["cluster"][ids], by_id["source"][ids], by_id["language"][ids], by_id["epoch"][ids]]


def months_of(epochs) -> np.ndarray:
    """Month codes of Unix times (NaN or None: no date) in the site's time zone, as the database's
    TruncMonth gives them. The zone's offset is looked up once per distinct hour."""
    values = np.array(epochs, dtype=np.float64)
    dated = ~np.isnan(values)
    months = np.full(len(values), NO_MONTH, np.int64)
    if not dated.any():
        return months
    seconds = values[dated].astype(np.int64)
    zone = timezone.get_current_timezone()
    hours, inverse = np.unique(seconds // 3600, return_inverse=True)
    offsets = np.array([datetime.fromtimestamp(h * 3600, dt_timezone.utc).astimezone(zone).utcoffset()
                        // timedelta(seconds=1) for h in hours.tolist()], np.int64)
    local = (seconds + offsets[inverse]).astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    months[dated] = local + month_code(1970, 1)  # datetime64[M] counts months since 1970-01
    return months


def clusters_of_unknown(columns_: ArticleColumns, ids: list[int]) -> dict[int, int | None]:
    """The cluster of each id the columns do not know, read from the database (ids missing there
    are deleted and left out)."""
    unknown = [int(i) for i, known in zip(ids, columns_.knows(np.asarray(ids, np.int64))) if not known]
    if not unknown:
        return {}
    from seoulhub.radar.models import Article

    return dict(Article.objects.filter(id__in=unknown).values_list("id", "cluster_id"))
