"""Multi-row INSERTs from plain tuples, for the few hot paths that write thousands of rows.

`QuerySet.bulk_create` builds a model instance per row and prepares every field of every row
through the field API; in the ingest benchmark that was about a quarter of the storing step.
Here rows are tuples in column order and only the columns whose fields change a value on its way
to the database (dates, JSON, ...) go through `get_db_prep_save`. No signals are sent, as with
bulk_create. Works on SQLite >= 3.35 and PostgreSQL, both of which return ids from a multi-row
INSERT in row order (Django's bulk_create relies on the same).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, models, router

# Fields whose Python values the database drivers take as they are.
_PASS_THROUGH = (models.CharField, models.TextField, models.FloatField, models.BooleanField,
                 models.IntegerField, models.BinaryField, models.ForeignKey)


def rows_per_statement(connection, columns: int) -> int:
    """How many rows of `columns` values fit in one statement's parameters."""
    # PostgreSQL sets no limit in Django; its wire protocol allows 65,535 parameters a statement.
    return max(1, (connection.features.max_query_params or 65_535) // columns)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence],
                *, return_ids: bool = False) -> list[int]:
    """INSERT `rows` (tuples of attribute values in `columns` order, e.g. "source_id") into
    `model`'s table in as few statements as the backend allows. Returns the new primary keys in
    row order when `return_ids`, else []."""
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [model._meta.get_field(name) for name in columns]
    adapters = [(i, field) for i, field in enumerate(fields)
                if not isinstance(field, _PASS_THROUGH) or isinstance(field, models.AutoField)]
    rows = [list(row) for row in rows]
    if not rows:
        return []
    for row in rows:
        for i, field in adapters:
            row[i] = field.get_db_prep_save(row[i], connection)
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if return_ids else ""
    per_statement = rows_per_statement(connection, len(fields))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            params = [value for row in chunk for value in row]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if return_ids:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids
