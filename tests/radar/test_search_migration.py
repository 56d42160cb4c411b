"""Migration 0007 moves PostgreSQL's tsvectors from a generated column of radar_article to the
narrow radar_article_tsv table, and back when unapplied, keeping articles written before it
searchable; on SQLite it changes nothing and search keeps working."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from seoulhub.radar.search.postgres_fts import engine_for

from .search_factories import make_article, make_source

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, NARROW = ("radar", "0006_only_web_links"), ("radar", "0007_postgres_narrow_tsvector")


def migrate_radar_to(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def columns_of(table):
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def found(query):
    with connection.cursor() as cursor:
        return {i for i, _ in engine_for(connection.vendor).search(cursor, [[(query,)]], limit=100)}


def found_by_generated_column(query):
    """Before 0007 (and after unapplying it) PostgreSQL searches the generated column."""
    if connection.vendor != "postgresql":
        return found(query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM radar_article WHERE search_tsv @@ phraseto_tsquery('simple', %s)", [query])
        return {row[0] for row in cursor.fetchall()}


def test_articles_written_before_and_after_the_move_stay_searchable_both_ways():
    source = make_source()
    try:
        migrate_radar_to(BEFORE)
        old = make_article(source, "서울 자율주행 로봇 배송 시범사업", language="ko")
        if connection.vendor == "postgresql":
            assert "search_tsv" in columns_of("radar_article")
            assert "radar_article_tsv" not in connection.introspection.table_names()
        assert found_by_generated_column("배송") == {old.pk}
        migrate_radar_to(NARROW)
        new = make_article(source, "로봇 물류 센터 자동화", language="ko")
        if connection.vendor == "postgresql":
            assert "search_tsv" not in columns_of("radar_article")
            assert "radar_article_tsv" in connection.introspection.table_names()
        assert found("로봇") == {old.pk, new.pk}
        migrate_radar_to(BEFORE)
        assert found_by_generated_column("로봇") == {old.pk, new.pk}
    finally:
        # Every app back to its newest migration: unapplying 0007 also unapplied what depends on
        # radar (alerts, landscape 0002), whose tables the next test's flush must know.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert found("로봇") == {old.pk, new.pk}
    assert found("배송") == {old.pk}
