"""PostgreSQL full-text engine: the tsvectors in a narrow table of their own, with a GIN index.

`to_tsvector('simple', ...)` keeps the normalised tokens as they are (no stemming, no stop
words). The narrow (id, tsvector) table keeps a common term's walk over its newest matches to
a few thousand pages instead of the wide article rows (docs/decisions.md, "Search"). Triggers keep
it in step with every write of the content table, in the same transaction. Ranking is ts_rank
with length normalisation 1, the closest built-in analogue of BM25's.
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
    vendor = "postgresql"

    def __init__(
        self,
        content_table: str = "radar_article",
        content_column: str = "search_text",
        id_column: str = "id",
        index_table: str | None = None,
    ):
        self.content, self.column, self.id = content_table, content_column, id_column
        self.index = index_table or f"{content_table}_tsv"

    def _tsvector(self, row: str) -> str:
        return f"to_tsvector('simple', coalesce({row}.{self.column}, ''))"

    def create_statements(self) -> list[str]:
        content, index, id_ = self.content, self.index, self.id
        upsert = (
            f"INSERT INTO {index} (id, tsv) VALUES (NEW.{id_}, {self._tsvector('NEW')}) "
            "ON CONFLICT (id) DO UPDATE SET tsv = EXCLUDED.tsv"
        )
        return [
            f"CREATE TABLE IF NOT EXISTS {index} (id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
            # Ids change only by delete and insert; an UPDATE of the id itself moves the entry.
            f"CREATE OR REPLACE FUNCTION {index}_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.{id_} <> NEW.{id_}) THEN "
            f"DELETE FROM {index} WHERE id = OLD.{id_}; END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {upsert}; END IF; "
            f"RETURN NULL; END $$",
            f"CREATE OR REPLACE FUNCTION {index}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"TRUNCATE {index}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {index}_write ON {content}",
            f"CREATE TRIGGER {index}_write AFTER INSERT OR DELETE OR UPDATE OF {self.column}, {id_} ON {content} "
            f"FOR EACH ROW EXECUTE FUNCTION {index}_write()",
            f"DROP TRIGGER IF EXISTS {index}_truncate ON {content}",
            f"CREATE TRIGGER {index}_truncate AFTER TRUNCATE ON {content} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {index}_truncate()",
            # Index rows that existed before the table was created.
            f"INSERT INTO {index} (id, tsv) SELECT {id_}, {self._tsvector(content)} FROM {content} "
            "ON CONFLICT (id) DO NOTHING",
            f"CREATE INDEX IF NOT EXISTS {index}_gin ON {index} USING gin (tsv)",
        ]

    def drop_statements(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.index}_write ON {self.content}",
            f"DROP TRIGGER IF EXISTS {self.index}_truncate ON {self.content}",
            f"DROP FUNCTION IF EXISTS {self.index}_write()",
            f"DROP FUNCTION IF EXISTS {self.index}_truncate()",
            f"DROP TABLE IF EXISTS {self.index}",
        ]

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

    def matching(self, cursor, groups, ids: list[int]) -> set[int]:
        """Which of a handful of `ids` the query matches: their narrow rows by primary key, tested
        by the same @@ as the search."""
        query_sql, params = tsquery_sql(groups)
        if not ids or not query_sql:
            return set()
        cursor.execute(
            f"SELECT id FROM {self._source(query_sql)} WHERE id = ANY(%s) AND tsv @@ q.query",
            [*params, [int(i) for i in ids]],
        )
        return {int(row[0]) for row in cursor.fetchall()}

    def count(self, cursor, groups, restrict=None, cap=COUNT_CAP):
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return 0
        limit, params = (" LIMIT %s", [*params, cap + 1]) if cap else ("", params)
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {self._source(query_sql)} WHERE {where}{limit}) capped", params
        )
        return int(cursor.fetchone()[0])


def engine_for(vendor: str, **names):
    from .sqlite_fts import Fts5Engine

    if vendor == "sqlite":
        return Fts5Engine(**names)
    if vendor == "postgresql":
        return PostgresFtsEngine(**{k: v for k, v in names.items() if k != "fts_table"})
    raise ValueError(f"No full-text engine for the database {vendor!r} (SQLite and PostgreSQL are supported).")
