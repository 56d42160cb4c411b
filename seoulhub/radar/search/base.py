"""What both full-text engines share. Each has `create_statements()`, `drop_statements()`,
`search(cursor, groups, limit, offset, restrict)` -> [(id, score)] best first (higher is better),
`count(cursor, groups, restrict)` capped at COUNT_CAP + 1, and `matching(cursor, groups, ids)`:
which of a handful of ids the query matches."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .query import Phrase


# BM25 needs every match scored; FTS5 scores about 150,000 matches a second here, so a query
# matching 200,000 of 1,000,000 documents took 1.6 s. Queries matching more than RANK_WINDOW
# documents therefore rank the newest RANK_WINDOW matches (ids grow with ingestion time), and
# counts stop at COUNT_CAP + 1 ("more than 10,000"). See docs/decisions.md, "Search".
RANK_WINDOW = 3_000
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Restriction:
    """Limit matches to the ids a SQL subquery returns: ("SELECT id FROM t WHERE ...", params)."""

    sql: str
    params: tuple = ()


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
        return (
            any(
                all(tokens[start + k : start + k + 1] == [w] for k, w in enumerate(words))
                for start in positions.get(words[0], [])
            )
            if words
            else False
        )

    return all(any(has(p) for p in group if p) for group in groups if group)
