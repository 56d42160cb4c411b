"""insert_rows: multi-row INSERTs from tuples, the ids back in row order, values as the ORM stores them."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from seoulhub.core.bulkinsert import _dump_json, insert_rows
from seoulhub.radar.ingest import ARTICLE_COLUMNS
from seoulhub.radar.models import Article, Source, TrendMark


def _row(source, n: int) -> tuple:
    when = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30) + datetime.timedelta(hours=n), datetime.timezone.utc)
    return (source.pk, f"https://example.org/{n}", f"https://example.org/{n}", f"guid-{n}", f"title {n}", "<p>x</p>",
            f"text {n}", "", when, when, "en", f"token{n} other", [f"kw{n}", "공통"], n / 1000, n % 2 == 0,
            f"{n:064d}", bytes([n % 256]) * 8)


@pytest.mark.django_db
def test_ids_come_back_in_row_order_across_several_statements():
    source = Source.objects.create(name="example", url="https://example.org/feed")
    rows = [_row(source, n) for n in range(150)]
    assert len(rows) * len(ARTICLE_COLUMNS) > (connection.features.max_query_params or 0)  # several statements on SQLite
    ids = insert_rows(Article, ARTICLE_COLUMNS, rows, return_ids=True)
    assert len(ids) == 150 and len(set(ids)) == 150
    for n in (0, 57, 58, 149):
        article = Article.objects.get(pk=ids[n])
        assert article.title == f"title {n}"
        assert article.keywords == [f"kw{n}", "공통"]
        assert article.published_at == rows[n][8]
        assert bytes(article.minhash) == bytes([n % 256]) * 8
        assert article.is_digital is (n % 2 == 0)


@pytest.mark.django_db
def test_dates_and_json_are_stored_as_the_orm_would():
    source = Source.objects.create(name="example", url="https://example.org/feed")
    [article_id] = insert_rows(Article, ARTICLE_COLUMNS, [_row(source, 1)], return_ids=True)
    insert_rows(TrendMark, ("article_id", "day", "terms"), [(article_id, datetime.date(2026, 3, 1), {"tech": ["ai"]})])
    mark = TrendMark.objects.get(article_id=article_id)
    assert mark.day == datetime.date(2026, 3, 1) and mark.terms == {"tech": ["ai"]}
    # Lookups the ORM builds must find what insert_rows wrote.
    assert TrendMark.objects.filter(day=datetime.date(2026, 3, 1), terms__tech__0="ai").count() == 1
    assert Article.objects.filter(published_at__date=datetime.date(2026, 3, 1)).count() == 1


@pytest.mark.django_db
def test_no_rows_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Article, ARTICLE_COLUMNS, [], return_ids=True) == []


@pytest.mark.django_db
def test_a_clash_raises_djangos_integrity_error_and_the_transaction_stays_usable():
    from django.db import IntegrityError, transaction

    source = Source.objects.create(name="example", url="https://example.org/feed")
    [article_id] = insert_rows(Article, ARTICLE_COLUMNS, [_row(source, 1)], return_ids=True)
    insert_rows(TrendMark, ("article_id", "day", "terms"), [(article_id, datetime.date(2026, 3, 1), {})])
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            insert_rows(TrendMark, ("article_id", "day", "terms"), [(article_id, datetime.date(2026, 3, 2), {})])
    assert TrendMark.objects.get(article_id=article_id).day == datetime.date(2026, 3, 1)


@pytest.mark.django_db
def test_statements_are_counted_when_django_records_queries(django_assert_num_queries):
    source = Source.objects.create(name="example", url="https://example.org/feed")
    statements = -(-150 * len(ARTICLE_COLUMNS) // (connection.features.max_query_params or 65_535))
    with django_assert_num_queries(statements):
        ids = insert_rows(Article, ARTICLE_COLUMNS, [_row(source, n) for n in range(150)], return_ids=True)
    assert Article.objects.filter(pk__in=ids).count() == 150


@pytest.mark.django_db
def test_json_columns_read_back_as_the_orm_wrote_them():
    """The shortcut for JSON on SQLite must give what JSONField.get_db_prep_save gives."""
    source = Source.objects.create(name="example", url="https://example.org/feed")
    values = [[], ["인공지능", "a \"quoted\" word", "\\"], [1.5, None, {"k": ["v"]}]]
    rows = []
    for n, keywords in enumerate(values):
        row = list(_row(source, n))
        row[ARTICLE_COLUMNS.index("keywords")] = keywords
        rows.append(row)
    ids = insert_rows(Article, ARTICLE_COLUMNS, rows, return_ids=True)
    for article_id, keywords in zip(ids, values):
        assert Article.objects.get(pk=article_id).keywords == keywords
    if connection.vendor != "sqlite":
        return  # the shortcut is SQLite's alone; PostgreSQL keeps Django's Jsonb adapter
    field = Article._meta.get_field("keywords")
    with connection.cursor() as cursor:
        cursor.execute("SELECT keywords FROM radar_article WHERE id = %s", [ids[1]])
        assert cursor.fetchone()[0] == field.get_db_prep_save(values[1], connection)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@given(st.lists(st.text()) | st.dictionaries(st.text(), st.lists(st.text())) | json_values)
def test_json_is_written_as_json_dumps_writes_it(value):
    # Keywords, evidence and trend terms take a shortcut past json.dumps; every value, in
    # those shapes (any Unicode, quotes, control characters, surrogates) or not, must read the same.
    assert _dump_json(value) == (None if value is None else json.dumps(value))
