"""Plain SQL on Django's cursor for the queries every uncached search page runs: the ORM took
0.2-0.6 ms to build each of them, several times what the database needs to answer (measured in
docs/decisions-search.md, 11). Placeholders are %s, as everywhere in Django."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def marks(values: Sequence) -> str:
    """Placeholders for an IN list (callers never pass an empty one)."""
    return ", ".join(["%s"] * len(values))
