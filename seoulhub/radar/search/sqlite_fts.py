"""SQLite FTS5 engine: BM25 over the space-joined normalised token stream.

The FTS5 table is an external-content index of `content_table.content_column`: it stores only
the inverted index, reads text from the content table, and three triggers keep it in step with
every INSERT, UPDATE and DELETE of that table, inside the same transaction. An article write
and its index entry therefore commit or roll back together, with no call from the pipeline.

The tokenizer is unicode61 with diacritics kept and "." as a token character: the stream is
already normalised (Korean morphemes, lower-cased English words in which the normaliser keeps
inner dots, as in "2.5" or "e.g"), so FTS5 splits where the normaliser put spaces.
"""

from __future__ import annotations

from .base import COUNT_CAP, RANK_WINDOW, Restriction, matching_ids
from .query import Phrase


def _quote(phrase: Phrase) -> str:
    return '"' + " ".join(phrase).replace('"', '""') + '"'


def match_expression(groups: list[list[Phrase]]) -> str:
    """FTS5 MATCH syntax: (alt OR alt) AND (alt OR alt); every token is quoted, so no user text
    is ever read as FTS5 syntax."""
    parts = []
    for group in groups:
        alternatives = [_quote(p) for p in group if p]
        if alternatives:
            parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


class Fts5Engine:
    vendor = "sqlite"

    def __init__(self, fts_table: str = "radar_article_fts", content_table: str = "radar_article",
                 content_column: str = "search_text", id_column: str = "id"):
        self.fts, self.content, self.column, self.id = fts_table, content_table, content_column, id_column

    def create_statements(self) -> list[str]:
        fts, content, column, id_ = self.fts, self.content, self.column, self.id
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, content='{content}', "
            f"content_rowid='{id_}', tokenize=\"unicode61 remove_diacritics 0 tokenchars '.'\")",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {content} BEGIN "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.{id_}, new.{column}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {content} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{id_}, old.{column}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {column} ON {content} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{id_}, old.{column}); "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.{id_}, new.{column}); END",
            # Index rows that existed before the table was created.
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]

    def drop_statements(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.fts}_{suffix}" for suffix in ("ai", "ad", "au")] + [
            f"DROP TABLE IF EXISTS {self.fts}"]

    def _where(self, groups, restrict: Restriction | None) -> tuple[str, list]:
        sql = f"{self.fts} MATCH ?"
        params: list = [match_expression(groups)]
        if restrict is not None:
            sql += f" AND rowid IN ({restrict.sql})"
            params.extend(restrict.params)
        return sql, params

    def _window_floor(self, cursor, where: str, params: list, window: int) -> int | None:
        """The rowid above which the newest `window` matches lie, or None if there are fewer.
        Walking matches in rowid order is cheap; scoring each one with bm25() is not."""
        cursor.execute(f"SELECT rowid FROM {self.fts} WHERE {where} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                       [*params, window - 1])
        row = cursor.fetchone()
        return int(row[0]) if row else None

    def _ranked(self, cursor, where: str, params: list, limit: int, offset: int) -> list[tuple[int, float]]:
        # bm25() in the ORDER BY, not FTS5's `rank` column: the same order (all 397 load-test
        # queries), a third less time. ORDER BY rank makes FTS5 run the query a second time in a
        # nested statement (docs/decisions-search.md section 13).
        cursor.execute(f"SELECT rowid, -bm25({self.fts}) AS score FROM {self.fts} WHERE {where} "
                       "ORDER BY score DESC LIMIT ? OFFSET ?", [*params, limit, offset])
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def search(self, cursor, groups, limit, offset=0, restrict=None, window=RANK_WINDOW):
        """BM25 order over the matches. When a query matches more than `window` documents, the
        newest `window` of them are ranked (see RANK_WINDOW)."""
        if not match_expression(groups):
            return []
        where, params = self._where(groups, restrict)
        if window:
            floor = self._window_floor(cursor, where, params, max(window, offset + limit))
            if floor is not None:
                where += " AND rowid >= ?"
                params = [*params, floor]
        return self._ranked(cursor, where, params, limit, offset)

    def count(self, cursor, groups, restrict=None, cap=COUNT_CAP):
        """Number of matches, counted up to `cap` + 1 (a bigger total is shown as "more than cap")."""
        if not match_expression(groups):
            return 0
        where, params = self._where(groups, restrict)
        if cap:
            cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM {self.fts} WHERE {where} LIMIT ?)", [*params, cap + 1])
        else:
            cursor.execute(f"SELECT count(*) FROM {self.fts} WHERE {where}", params)
        return int(cursor.fetchone()[0])

    def matching(self, cursor, groups, ids: list[int]) -> set[int]:
        """Which of a handful of `ids` the query matches. Read from the content rows and checked in
        Python: asking FTS5 with `rowid IN (...)` runs the whole query first (19 ms against a few,
        docs/decisions-search.md 13)."""
        return matching_ids(cursor, self, groups, ids, "?")

    def optimise(self, cursor) -> None:
        """Merge index segments (after bulk loads); searches get faster, results do not change."""
        cursor.execute(f"INSERT INTO {self.fts}({self.fts}) VALUES ('optimize')")
