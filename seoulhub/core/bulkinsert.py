"""Multi-row INSERTs from plain tuples, for the few hot paths that write thousands of rows.

`QuerySet.bulk_create` builds a model instance per row and prepares every field of every row
through the field API; in the ingest benchmark that was about a quarter of the storing step.
Here rows are tuples in column order and only the columns whose fields change a value on its way
to the database (dates, JSON, ...) are adapted. No signals are sent, as with bulk_create. Works on
SQLite >= 3.35 and PostgreSQL, both of which return ids from a multi-row INSERT in row order
(Django's bulk_create relies on the same).

Statements are written in the driver's own parameter style and sent to the driver's cursor, with
Django's error translation kept (an IntegrityError is still django.db.IntegrityError). Django's
SQLite wrapper rewrites every statement's "%s" into "?" with a regular expression, and JSON went
through four layers of field methods per value: together 0.4-0.6 s of the ingest benchmark's
13.7 s. When Django records queries (DEBUG, or a test counting them) the statements go through
Django's cursor instead, so they are counted like any other. (Larger statements than Django's 999
parameters on SQLite made no difference there: 999, 5,000, 30,000 and 100,000 measured alike.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring_ascii as _encode_string

from django.db import connections, models, router

# Fields whose Python values the database drivers take as they are.
_PASS_THROUGH = (models.CharField, models.TextField, models.FloatField, models.BooleanField,
                 models.IntegerField, models.BinaryField, models.ForeignKey)


def rows_per_statement(connection, columns: int) -> int:
    """How many rows of `columns` values fit in one statement's parameters."""
    # PostgreSQL sets no limit in Django; its wire protocol allows 65,535 parameters a statement.
    return max(1, (connection.features.max_query_params or 65_535) // columns)


def placeholder(connection) -> str:
    """The driver's parameter marker: what `execute_native` expects in its SQL."""
    return "?" if connection.vendor == "sqlite" else "%s"


def execute_native(connection, sql: str, params: Sequence) -> list[tuple]:
    """Run one statement written with `placeholder(connection)` markers; returns fetched rows
    if the statement returns any (RETURNING), else []."""
    if connection.queries_logged:
        sql = sql.replace("?", "%s") if connection.vendor == "sqlite" else sql
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()


def _dump_json(value) -> str | None:
    """json.dumps(value), None for None. Lists of strings (keywords, evidence) and dicts of
    such lists (trend terms) are most of what ingestion stores, and json.dumps builds a new
    encoder for each call: written here from its own string encoder, they cost half as much
    (0.17 -> 0.10 s in the ingest benchmark) and come out the same (tests/test_bulkinsert.py)."""
    if value is None:
        return None
    kind = type(value)
    if kind is list:
        if all(type(item) is str for item in value):
            return "[" + ", ".join(map(_encode_string, value)) + "]"
    elif kind is dict:
        parts = []
        for key, items in value.items():
            if type(key) is not str or type(items) is not list or not all(type(i) is str for i in items):
                return json.dumps(value)
            parts.append(f"{_encode_string(key)}: [{', '.join(map(_encode_string, items))}]")
        return "{" + ", ".join(parts) + "}"
    return json.dumps(value)


def _adapter(field: models.Field, connection):
    """A function preparing one value of `field` for the database, or None if it needs none."""
    if isinstance(field, models.JSONField) and field.encoder is None and connection.vendor == "sqlite":
        # What JSONField.get_db_prep_save gives on SQLite (json.dumps; None stays NULL), without
        # its layers per value.
        return _dump_json
    if not isinstance(field, _PASS_THROUGH) or isinstance(field, models.AutoField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence],
                *, return_ids: bool = False) -> list[int]:
    """INSERT `rows` (tuples of attribute values in `columns` order, e.g. "source_id") into
    `model`'s table in as few statements as the backend allows. Returns the new primary keys in
    row order when `return_ids`, else []."""
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [model._meta.get_field(name) for name in columns]
    adapters = [(i, adapt) for i, field in enumerate(fields) if (adapt := _adapter(field, connection))]
    rows = [list(row) for row in rows]
    if not rows:
        return []
    for i, adapt in adapters:
        for row in rows:
            row[i] = adapt(row[i])
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join([placeholder(connection)] * len(fields)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if return_ids else ""
    per_statement = rows_per_statement(connection, len(fields))
    ids: list[int] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        params = [value for row in chunk for value in row]
        returned = execute_native(connection, head + ", ".join([one] * len(chunk)) + tail, params)
        if return_ids:
            ids.extend(row[0] for row in returned)
    return ids
