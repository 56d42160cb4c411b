"""PostgreSQL full-text engine: a generated tsvector column with a GIN index.

`to_tsvector('simple', ...)` keeps the normalised tokens as they are (no English stemming on
top of the hub's own normaliser, no stop words dropped from Korean). Being a STORED generated
column, it is written by the same statement as the article, so index and article commit
together. Ranking is ts_rank with length normalisation 1 (divides by 1 + log(length)), the
closest built-in analogue of BM25's length normalisation; results keep the same contract as
the FTS5 engine: [(id, score)], higher is better.
"""

from __future__ import annotations

from .base import COUNT_CAP, RANK_WINDOW, Matches, Restriction, walk_newest
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
    vendor = "postgresql"

    def __init__(self, content_table: str = "radar_article", content_column: str = "search_text",
                 id_column: str = "id", vector_column: str = "search_tsv"):
        self.content, self.column, self.id, self.vector = content_table, content_column, id_column, vector_column

    def create_statements(self) -> list[str]:
        return [
            f"ALTER TABLE {self.content} ADD COLUMN IF NOT EXISTS {self.vector} tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('simple', coalesce({self.column}, ''))) STORED",
            self.create_index_statement(),
        ]

    def drop_statements(self) -> list[str]:
        return [self.drop_index_statement(), f"ALTER TABLE {self.content} DROP COLUMN IF EXISTS {self.vector}"]

    def create_index_statement(self) -> str:
        """The GIN index alone: a bulk load drops it and builds it once after the rows."""
        return f"CREATE INDEX IF NOT EXISTS {self.content}_{self.vector}_gin ON {self.content} USING gin ({self.vector})"

    def drop_index_statement(self) -> str:
        return f"DROP INDEX IF EXISTS {self.content}_{self.vector}_gin"

    def _where(self, groups, restrict: Restriction | None) -> tuple[str, str, list]:
        query_sql, params = tsquery_sql(groups)
        where = f"{self.vector} @@ q.query"
        restrict_params: list = []
        if restrict is not None:
            where += f" AND {self.id} IN ({restrict.sql})"
            restrict_params = list(restrict.params)
        return query_sql, where, params + restrict_params

    def search(self, cursor, groups, limit, offset=0, restrict=None, window=RANK_WINDOW):
        """Same contract as the FTS5 engine, including ranking only the newest `window` matches
        of a very broad query."""
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return []
        source = f"{self.content}, (SELECT {query_sql} AS query) q"
        if window:
            cursor.execute(f"SELECT {self.id} FROM {source} WHERE {where} ORDER BY {self.id} DESC LIMIT 1 OFFSET %s",
                           [*params, max(window, offset + limit) - 1])
            row = cursor.fetchone()
            if row is not None:
                where += f" AND {self.id} >= %s"
                params = [*params, int(row[0])]
        cursor.execute(
            f"SELECT {self.id}, ts_rank({self.vector}, q.query, 1) AS score FROM {source} "
            f"WHERE {where} ORDER BY score DESC, {self.id} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def search_and_count(self, cursor, groups, limit, offset=0, restrict=None, window=RANK_WINDOW, cap=COUNT_CAP):
        """As the FTS5 engine's: one walk over the newest cap + 1 matches gives the count, the
        floor of the ranking window and the Matches."""
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return [], 0, Matches(frozenset())
        source = f"{self.content}, (SELECT {query_sql} AS query) q"
        walked = walk_newest(cursor, f"SELECT {self.id} FROM {source} WHERE {where} ORDER BY {self.id} DESC", params,
                             "%s", limit=limit, offset=offset, window=window, cap=cap)
        if walked.window_floor is not None:
            where += f" AND {self.id} >= %s"
            params = [*params, walked.window_floor]
        cursor.execute(
            f"SELECT {self.id}, ts_rank({self.vector}, q.query, 1) AS score FROM {source} "
            f"WHERE {where} ORDER BY score DESC, {self.id} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        hits = [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
        return hits, walked.count, walked.matches

    def count(self, cursor, groups, restrict=None, cap=COUNT_CAP):
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return 0
        source = f"{self.content}, (SELECT {query_sql} AS query) q"
        if cap:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT %s) capped", [*params, cap + 1])
        else:
            cursor.execute(f"SELECT count(*) FROM {source} WHERE {where}", params)
        return int(cursor.fetchone()[0])


def engine_for(vendor: str, **names):
    from .sqlite_fts import Fts5Engine

    if vendor == "sqlite":
        return Fts5Engine(**names)
    if vendor == "postgresql":
        return PostgresFtsEngine(**{k: v for k, v in names.items() if k != "fts_table"})
    raise ValueError(f"No full-text engine for the database {vendor!r} (SQLite and PostgreSQL are supported).")
