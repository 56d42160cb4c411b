"""What both full-text engines share. Each has
`search(cursor, groups, limit, offset, restrict)` -> [(id, score)] best first (higher is better),
and `count(cursor, groups, restrict)` capped at COUNT_CAP + 1."""

from __future__ import annotations

from dataclasses import dataclass


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
