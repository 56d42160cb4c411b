"""PostgreSQL full-text engine: the tsvectors in a narrow table of their own, with a GIN index.

`to_tsvector('simple', ...)` keeps the normalised tokens as they are (no English stemming on
top of the hub's own normaliser, no stop words dropped from Korean). The tsvectors live in a
table holding only (id, tsvector), not in a column of the content table: a common term's walk
over its newest matches tests tens of thousands of rows, and narrow rows make that a few
thousand pages instead of ~20,000 pages of wide article rows (docs/decisions-search.md section
14). Triggers on the content table keep it in step with every INSERT, UPDATE, DELETE and
TRUNCATE, inside the same transaction, as the FTS5 table's triggers do on SQLite.

Ranking is ts_rank with length normalisation 1 (divides by 1 + log(length)), the closest
built-in analogue of BM25's length normalisation; results keep the same contract as the FTS5
engine: [(id, score)], higher is better.
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

    def __init__(self, content_table: str = "radar_article", content_column: str = "search_text",
                 id_column: str = "id", index_table: str | None = None):
        self.content, self.column, self.id = content_table, content_column, id_column
        self.index = index_table or f"{content_table}_tsv"

    def _tsvector(self, row: str) -> str:
        return f"to_tsvector('simple', coalesce({row}.{self.column}, ''))"

    def create_statements(self) -> list[str]:
        content, index, id_ = self.content, self.index, self.id
        upsert = (f"INSERT INTO {index} (id, tsv) VALUES (NEW.{id_}, {self._tsvector('NEW')}) "
                  "ON CONFLICT (id) DO UPDATE SET tsv = EXCLUDED.tsv")
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
            self.create_index_statement(),
        ]

    def drop_statements(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.index}_write ON {self.content}",
                f"DROP TRIGGER IF EXISTS {self.index}_truncate ON {self.content}",
                f"DROP FUNCTION IF EXISTS {self.index}_write()",
                f"DROP FUNCTION IF EXISTS {self.index}_truncate()",
                f"DROP TABLE IF EXISTS {self.index}"]

    def create_index_statement(self) -> str:
        """The GIN index alone: a bulk load drops it and builds it once after the rows."""
        return f"CREATE INDEX IF NOT EXISTS {self.index}_gin ON {self.index} USING gin (tsv)"

    def drop_index_statement(self) -> str:
        return f"DROP INDEX IF EXISTS {self.index}_gin"

    def _source(self, query_sql: str) -> str:
        """The FROM clause every query here reads: the narrow table and the tsquery, built once."""
        return f"{self.index}, (SELECT {query_sql} AS query) q"

    def _where(self, groups, restrict: Restriction | None) -> tuple[str, str, list]:
        query_sql, params = tsquery_sql(groups)
        where = "tsv @@ q.query"
        restrict_params: list = []
        if restrict is not None:
            where += f" AND id IN ({restrict.sql})"
            restrict_params = list(restrict.params)
        return query_sql, where, params + restrict_params

    def _ranked(self, cursor, query_sql, where, params, floor, limit, offset) -> list[tuple[int, float]]:
        if floor is not None:
            where += " AND id >= %s"
            params = [*params, floor]
        cursor.execute(
            f"SELECT id, ts_rank(tsv, q.query, 1) AS score FROM {self._source(query_sql)} "
            f"WHERE {where} ORDER BY score DESC, id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def search(self, cursor, groups, limit, offset=0, restrict=None, window=RANK_WINDOW):
        """Same contract as the FTS5 engine, including ranking only the newest `window` matches
        of a very broad query."""
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return []
        floor = None
        if window:  # only the floor of the window is needed here, not its ids
            cursor.execute(f"SELECT id FROM {self._source(query_sql)} WHERE {where} ORDER BY id DESC LIMIT 1 OFFSET %s",
                           [*params, max(window, offset + limit) - 1])
            row = cursor.fetchone()
            floor = int(row[0]) if row is not None else None
        return self._ranked(cursor, query_sql, where, params, floor, limit, offset)

    def matching(self, cursor, groups, ids: list[int]) -> set[int]:
        """Which of a handful of `ids` the query matches: their narrow rows by primary key, tested
        by the same @@ as the search. Reading the wide article rows' token streams and checking
        them in Python gave the same answers in twice the time (docs/decisions-search.md 14)."""
        query_sql, params = tsquery_sql(groups)
        if not ids or not query_sql:
            return set()
        cursor.execute(f"SELECT id FROM {self._source(query_sql)} WHERE id = ANY(%s) AND tsv @@ q.query",
                       [*params, [int(i) for i in ids]])
        return {int(row[0]) for row in cursor.fetchall()}

    def count(self, cursor, groups, restrict=None, cap=COUNT_CAP):
        query_sql, where, params = self._where(groups, restrict)
        if not query_sql:
            return 0
        source = self._source(query_sql)
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
