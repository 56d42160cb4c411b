"""SQLite FTS5 engine: BM25 over the space-joined normalised token stream.

An external-content FTS5 table over radar_article.search_text, kept in step by triggers in the
same transaction as every write. The stream is already normalised, so the tokenizer only
splits at spaces (unicode61, diacritics kept, "." inside tokens as in "2.5").
"""

from __future__ import annotations

from .base import COUNT_CAP, RANK_WINDOW, Restriction
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
    """Reads radar_article_fts, which migrations 0003 and 0004 create with its triggers."""

    vendor = "sqlite"
    fts = "radar_article_fts"

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
