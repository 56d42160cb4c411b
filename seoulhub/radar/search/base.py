"""The contract both full-text engines keep, so the rest of the hub does not care which runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from .query import Phrase


# BM25 needs every match scored; FTS5 scores about 150,000 matches a second here, so a query
# matching 200,000 of 1,000,000 documents took 1.6 s. Queries matching more than RANK_WINDOW
# documents therefore rank the newest RANK_WINDOW matches (ids grow with ingestion time), and
# counts stop at COUNT_CAP + 1 ("more than 10,000"). See docs/decisions-search.md.
RANK_WINDOW = 3_000
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Restriction:
    """Limit matches to the ids a SQL subquery returns: ("SELECT id FROM t WHERE ...", params)."""

    sql: str
    params: tuple = ()


class TextEngine(Protocol):
    vendor: str

    def create_statements(self) -> list[str]:
        """DDL that creates the index over the content table and keeps it in step with it."""

    def drop_statements(self) -> list[str]: ...

    def search(self, cursor, groups: list[list[Phrase]], limit: int, offset: int = 0,
               restrict: Restriction | None = None) -> list[tuple[int, float]]:
        """[(id, score)] best first; a higher score is a better match (BM25-like)."""

    def count(self, cursor, groups: list[list[Phrase]], restrict: Restriction | None = None) -> int: ...

    def matching(self, cursor, groups: list[list[Phrase]], ids: list[int]) -> set[int]:
        """Which of a handful of `ids` the query matches (ids that do not exist do not match)."""


_SPLIT = re.compile(r"[^\w.]+")


def stream_matches(search_text: str, groups: list[list[Phrase]]) -> bool:
    """Whether a token stream satisfies the query the way the engines read it: every group has
    an alternative whose tokens occur consecutively."""
    tokens = [t for t in _SPLIT.split((search_text or "").casefold()) if t]
    positions: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        positions.setdefault(token, []).append(i)

    def has(phrase: Phrase) -> bool:
        words = [w.casefold() for w in phrase]
        return any(all(tokens[start + k:start + k + 1] == [w] for k, w in enumerate(words))
                   for start in positions.get(words[0], [])) if words else False

    return all(any(has(p) for p in group if p) for group in groups if group)


def matching_ids(cursor, engine, groups: list[list[Phrase]], ids: list[int], placeholder: str) -> set[int]:
    """Which of `ids` the query matches, read by primary key from the content table (a handful of
    rows) rather than by walking the index for a common term."""
    if not ids:
        return set()
    marks = ",".join([placeholder] * len(ids))
    cursor.execute(f"SELECT {engine.id}, {engine.column} FROM {engine.content} WHERE {engine.id} IN ({marks})",
                   [int(i) for i in ids])
    return {int(doc_id) for doc_id, text in cursor.fetchall() if stream_matches(text, groups)}
