"""SQLite FTS5 engine: BM25 over the space-joined normalised token stream.

An external-content FTS5 table over `content_table.content_column`, kept in step by triggers in
the same transaction as every write. The stream is already normalised, so the tokenizer only
splits at spaces (unicode61, diacritics kept, "." inside tokens as in "2.5").
"""

from __future__ import annotations

from .base import COUNT_CAP, RANK_WINDOW, Restriction, stream_matches
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

    def __init__(
        self,
        fts_table: str = "radar_article_fts",
        content_table: str = "radar_article",
        content_column: str = "search_text",
        id_column: str = "id",
    ):
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
            f"DROP TABLE IF EXISTS {self.fts}"
        ]

    def _where(self, groups, restrict: Restriction | None) -> tuple[str, list]:
        if restrict is None:
            return f"{self.fts} MATCH ?", [match_expression(groups)]
        return f"{self.fts} MATCH ? AND rowid IN ({restrict.sql})", [match_expression(groups), *restrict.params]

    def search(self, cursor, groups, limit, offset=0, restrict=None, window=RANK_WINDOW):
        """BM25 order over the matches. When a query matches more than `window` documents, the
        newest `window` of them are ranked (see RANK_WINDOW): walking matches in rowid order is
        cheap, scoring each one with bm25() is not."""
        if not match_expression(groups):
            return []
        where, params = self._where(groups, restrict)
        if window:
            cursor.execute(
                f"SELECT rowid FROM {self.fts} WHERE {where} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                [*params, max(window, offset + limit) - 1],
            )
            floor = cursor.fetchone()
            if floor is not None:
                where, params = where + " AND rowid >= ?", [*params, floor[0]]
        # bm25() in the ORDER BY, not FTS5's `rank` column, which makes FTS5 run the query a second
        # time in a nested statement (the same order, a third less time).
        cursor.execute(
            f"SELECT rowid, -bm25({self.fts}) AS score FROM {self.fts} WHERE {where} "
            "ORDER BY score DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def count(self, cursor, groups, restrict=None, cap=COUNT_CAP):
        """Number of matches, counted up to `cap` + 1 (a bigger total is shown as "more than cap")."""
        if not match_expression(groups):
            return 0
        where, params = self._where(groups, restrict)
        limit, params = (" LIMIT ?", [*params, cap + 1]) if cap else ("", params)
        cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM {self.fts} WHERE {where}{limit})", params)
        return int(cursor.fetchone()[0])

    def matching(self, cursor, groups, ids: list[int]) -> set[int]:
        """Which of a handful of `ids` the query matches. Read from the content rows and checked in
        Python: asking FTS5 with `rowid IN (...)` runs the whole query first."""
        if not ids:
            return set()
        cursor.execute(
            f"SELECT {self.id}, {self.column} FROM {self.content} WHERE {self.id} IN ({','.join('?' * len(ids))})",
            [int(i) for i in ids],
        )
        return {int(doc_id) for doc_id, text in cursor.fetchall() if stream_matches(text, groups)}

    def optimise(self, cursor) -> None:
        """Merge index segments (after bulk loads); searches get faster, results do not change."""
        cursor.execute(f"INSERT INTO {self.fts}({self.fts}) VALUES ('optimize')")
