"""The search's article columns against the database: the same facets and stories as grouped SQL,
and kept current as articles arrive, join stories, change and go."""

from datetime import datetime, timezone

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth

from seoulhub.radar.models import Article, ArticleTechnology, StoryCluster
from seoulhub.radar.search import catalogue, rows, service

from .search_factories import make_article, make_source

pytestmark = pytest.mark.django_db


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.fixture
def articles():
    news, papers = make_source("연합뉴스 (KLUE-YNAT)"), make_source("arXiv cs")
    made = [
        # 15:30 UTC on 31 March is 00:30 on 1 April in Seoul: the month facet must say April.
        make_article(news, "인공지능 반도체 수출 늘어", techs=["ai-semiconductor"], published_at=utc(2026, 3, 31, 15, 30)),
        make_article(news, "스마트시티 실증 사업", techs=["smart-city", "iot"], published_at=utc(2026, 3, 31, 14, 30)),
        make_article(papers, "Edge AI accelerators for smart cities", techs=["ai-semiconductor", "smart-city"],
                     language="en", published_at=utc(2026, 1, 2)),
        make_article(papers, "Urban sensing with LoRa", techs=["iot"], language="en", published_at=utc(2025, 12, 31, 16)),
        make_article(papers, "A survey without a date", language="en"),
    ]
    Article.objects.filter(pk=made[-1].pk).update(published_at=None)
    return made


def grouped_sql_facets(ids):
    """The facets as the grouped queries computed them before the columns existed."""
    rows = Article.objects.filter(id__in=ids)
    technologies = (ArticleTechnology.objects.filter(article_id__in=ids).values("technology__slug")
                    .annotate(n=Count("article_id", distinct=True)).order_by("-n", "technology__slug"))
    months = (rows.exclude(published_at=None).annotate(month=TruncMonth("published_at"))
              .values("month").annotate(n=Count("id")).order_by("-month"))
    return {
        "technology": [(t["technology__slug"], t["n"]) for t in technologies],
        "language": [(r["language"], r["n"]) for r in rows.values("language").annotate(n=Count("id")).order_by("-n", "language")],
        "source": [(r["source__name"], r["n"]) for r in rows.values("source__name").annotate(n=Count("id")).order_by("-n", "source__name")],
        "month": [(r["month"].strftime("%Y-%m"), r["n"]) for r in months],
    }


def column_facets(ids):
    facets = service._facet_counts(ids)
    return {"technology": [(f["value"], f["count"]) for f in facets["technology"]],
            "language": [(f["value"], f["count"]) for f in facets["language"]],
            "source": [(f["label"], f["count"]) for f in facets["source"]],
            "month": [(f["value"], f["count"]) for f in facets["month"]]}


def test_facets_equal_the_grouped_queries_in_seoul_months(articles):
    ids = [a.id for a in articles]
    assert column_facets(ids) == grouped_sql_facets(ids)
    assert ("2026-04", 1) in column_facets(ids)["month"] and ("2026-01", 2) in column_facets(ids)["month"]
    assert column_facets(ids[1:3]) == grouped_sql_facets(ids[1:3])


def test_new_articles_are_appended_without_a_rebuild(articles):
    columns = catalogue.columns()
    later = make_article(articles[0].source, "양자암호 통신 시범", techs=["quantum"], published_at=utc(2026, 5, 1))
    assert catalogue.columns() is columns  # caught up in place
    assert column_facets([later.id])["technology"] == [("quantum", 1)]


def test_a_story_formed_later_collapses_its_older_articles(articles):
    first, second = articles[0], articles[1]
    ranked = [(first.id, 0.9), (second.id, 0.8)]
    assert service._collapse_clusters(ranked)[0] == [first.id, second.id]
    # What ingestion does when a new article repeats an older one: a new cluster for both.
    cluster = StoryCluster.objects.create(title=first.title, size=3)
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(cluster=cluster)
    newest = make_article(first.source, "인공지능 반도체 수출 증가 (재송)", cluster=cluster)
    ids, scores = service._collapse_clusters([*ranked, (newest.id, 0.7)])
    assert ids == [first.id] and scores == {first.id: 0.9}


def test_deleted_and_edited_articles_are_reloaded(articles):
    doomed, moved = articles[2].id, articles[3].id
    catalogue.columns()
    articles[2].delete()
    assert service._collapse_clusters([(doomed, 1.0), (moved, 0.5)])[0] == [moved]
    cluster = StoryCluster.objects.create(title="together", size=2)
    for article in articles[:2]:
        article.cluster = cluster
        article.save()  # an edit (the admin): no new article, no new id
    assert service._collapse_clusters([(articles[0].id, 1.0), (articles[1].id, 0.5)])[0] == [articles[0].id]


def test_ids_the_columns_do_not_know_are_read_from_the_database(articles):
    columns = catalogue.columns()
    late = make_article(articles[0].source, "늦게 커밋된 기사", techs=["quantum"], published_at=utc(2026, 2, 1))
    # As if `late` had committed after a newer id was loaded (PostgreSQL commits out of id order).
    catalogue._state["newest"] = late.id
    assert not columns.knows([late.id])[0]
    assert service._collapse_clusters([(late.id, 1.0)])[0] == [late.id]
    ids = [a.id for a in articles] + [late.id]
    assert column_facets(ids) == grouped_sql_facets(ids)  # its facets counted from its row
    assert rows.page_rows(service.Ranking("x", ids, {}, len(ids)), [late.id])[0]["id"] == late.id


def test_background_rebuilds_serve_the_old_columns_until_the_new_ones_are_ready(articles, monkeypatch):
    started = []

    class InlineThread:  # the in-memory test database is not shared with other threads
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            started.append(self.target)

    monkeypatch.setattr(catalogue.threading, "Thread", InlineThread)
    monkeypatch.setattr(catalogue, "background_rebuilds", True)
    before = catalogue.columns()
    monkeypatch.setattr(catalogue.connections, "close_all", lambda: None)  # the test's own connection
    doomed = articles[2].id
    articles[2].delete()  # bumps the version
    assert catalogue.columns() is before and len(started) == 1
    assert catalogue.columns() is before and len(started) == 1  # one rebuild at a time
    started[0]()
    after = catalogue.columns()
    assert after is not before and not after.knows([doomed])[0] and after.articles == 4


BACKGROUND_SCRIPT = """
import threading, time
from seoulhub.radar.models import Article, Source
from seoulhub.radar.search import catalogue, rows, service
source = Source.objects.create(name="news", url="test://news")
ids = [Article.objects.create(source=source, title=f"t{n}", content_hash=f"h{n}", search_text=f"t{n}").id
       for n in range(5)]
catalogue.background_rebuilds = True
before = catalogue.columns()
Article.objects.filter(pk=ids[0]).delete()
assert catalogue.columns() is before  # served from the old columns while the rebuild runs
for thread in threading.enumerate():
    if thread.name == "article-columns":
        thread.join(30)
after = catalogue.columns()
assert after is not before and not after.knows([ids[0]])[0] and after.articles == 4
assert service._collapse_clusters([(i, 1.0) for i in ids])[0] == ids[1:]
print("BACKGROUND-OK")
"""


@pytest.mark.slow
def test_a_background_rebuild_uses_its_own_connection_to_a_file_database(tmp_path):
    """A real thread and its own connection, as in a gunicorn worker (the test database of the
    other tests lives in memory and cannot be shared with another thread)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'hub.sqlite3'}", DJANGO_SETTINGS_MODULE="seoulhub.settings")
    cli = [sys.executable, "-m", "seoulhub.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, cwd=settings.REPO_DIR, check=True, timeout=300)
    done = subprocess.run([*cli, "shell", "-c", BACKGROUND_SCRIPT], env=env, cwd=settings.REPO_DIR,
                          capture_output=True, text=True, timeout=300)
    assert "BACKGROUND-OK" in done.stdout, done.stdout + done.stderr


def test_a_story_of_many_sources_lists_five_on_its_row_and_counts_the_rest(articles, client, django_assert_max_num_queries):
    cluster = StoryCluster.objects.create(title="NPU 수출", size=10)
    story = [make_article(make_source(f"매체 {n}"), f"NPU 수출 급증 보도 {n}", cluster=cluster,
                          published_at=utc(2026, 4, 1, n)) for n in range(10)]
    ranking = service.Ranking("npu", [story[3].id, articles[0].id], {}, 2)
    catalogue.columns()  # built once per process, not per page
    with django_assert_max_num_queries(4):  # rows, technology slugs, story members, the shown members
        row = rows.page_rows(ranking, ranking.ids)[0]
    others = [a for a in story if a.id != story[3].id]  # oldest first, the row's own article left out
    assert [o["id"] for o in row["also_reported_by"]] == [a.id for a in others[:5]]
    assert [o["source"] for o in row["also_reported_by"]] == [f"매체 {n}" for n in (0, 1, 2, 4, 5)]
    assert row["also_reported_count"] == 9 and row["also_reported_more"] == 4

    page = client.get("/radar/search", {"q": "NPU 수출 급증"}, HTTP_COOKIE="django_language=ko")
    assert "외 4곳" in page.content.decode()  # 9 other sources, 5 listed
    api = client.get("/api/v1/articles", {"q": "NPU 수출 급증", "limit": 5}).json()
    hit = next(item for item in api["items"] if item["cluster_id"] == cluster.id)
    assert len(hit["also_reported_by"]) == 5 and hit["also_reported_count"] == 9
