"""PostgreSQL full-text engine: the tsvectors in a narrow table of their own, with a GIN index.

`to_tsvector('simple', ...)` keeps the normalised tokens as they are (no stemming, no stop
words). The narrow (id, tsvector) table keeps a common term's walk over its newest matches to
a few thousand pages instead of the wide article rows (docs/decisions.md, "Search"). Triggers
(radar migration 0007) keep it in step with every write of radar_article, in the same
transaction. Ranking is ts_rank with length normalisation 1, the closest built-in analogue of BM25's.
"""

from __future__ import annotations

from .base import COUNT_CAP, RANK_WINDOW, Restriction
from .query import Phrase


def tsquery_sql(groups: list[list[Phrase]]) -> tuple[str, list[str]]:
    """SQL building the tsquery from bound parameters: no user text is parsed as tsquery syntax."""
    group_sql, params = [], []
    for group in groups:
        alternatives = [p for p in group if p]
        if alternatives:
            group_sql.append("(" + " || ".join("phraseto_tsquery('simple', %s)" for _ in alternatives) + ")")
            params.extend(" ".join(p) for p in alternatives)
    return " && ".join(group_sql), params


class PostgresFtsEngine:
    """Reads radar_article_tsv, which migration 0007 creates with its triggers."""

    vendor = "postgresql"
    index = "radar_article_tsv"

    def _source(self, query_sql: str) -> str:
        """The FROM clause every query here reads: the narrow table and the tsquery, built once."""
        return f"{self.index}, (SELECT {query_sql} AS query) q"

    def _where(self, groups, restrict: Restriction | None) -> tuple[str, str, list]:
        query_sql, params = tsquery_sql(groups)
        if restrict is None:
            return query_sql, "tsv @@ q.query", params
        return query_sql, f"tsv @@ q.query AND id IN ({restrict.sql})", params + list(restrict.params)

    def search(self, cursor, groups, limit, offset=0, restrict=None, window=RANK_WINDOW):
        """As the FTS5 engine's, ranking only the newest `window` matches of a very broad query."""
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return []
        source = self._source(query_sql)
        if window:
            cursor.execute(
                f"SELECT id FROM {source} WHERE {where} ORDER BY id DESC LIMIT 1 OFFSET %s",
                [*params, max(window, offset + limit) - 1],
            )
            floor = cursor.fetchone()
            if floor is not None:
                where, params = where + " AND id >= %s", [*params, floor[0]]
        cursor.execute(
            f"SELECT id, ts_rank(tsv, q.query, 1) AS score FROM {source} "
            f"WHERE {where} ORDER BY score DESC, id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def count(self, cursor, groups, restrict=None, cap=COUNT_CAP):
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return 0
        limit, params = (" LIMIT %s", [*params, cap + 1]) if cap else ("", params)
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {self._source(query_sql)} WHERE {where}{limit}) capped", params
        )
        return int(cursor.fetchone()[0])


def engine_for(vendor: str):
    from .sqlite_fts import Fts5Engine

    if vendor == "sqlite":
        return Fts5Engine()
    if vendor == "postgresql":
        return PostgresFtsEngine()
    raise ValueError(f"No full-text engine for the database {vendor!r} (SQLite and PostgreSQL are supported).")
