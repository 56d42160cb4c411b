"""A ranking's facets, stories and result rows, read from the database as it is now: the same
facets as grouped SQL, stories collapsed as articles join them, deleted articles left out."""

from datetime import datetime, timezone

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth

from seoulhub.radar.models import Article, ArticleTechnology, StoryCluster
from seoulhub.radar.search import service

from .search_factories import make_article, make_source

pytestmark = pytest.mark.django_db


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.fixture
def articles():
    news, papers = make_source("연합뉴스 (KLUE-YNAT)"), make_source("arXiv cs")
    made = [
        # 15:30 UTC on 31 March is 00:30 on 1 April in Seoul: the month facet must say April.
        make_article(
            news, "인공지능 반도체 수출 늘어", techs=["ai-semiconductor"], published_at=utc(2026, 3, 31, 15, 30)
        ),
        make_article(news, "스마트시티 실증 사업", techs=["smart-city", "iot"], published_at=utc(2026, 3, 31, 14, 30)),
        make_article(
            papers,
            "Edge AI accelerators for smart cities",
            techs=["ai-semiconductor", "smart-city"],
            language="en",
            published_at=utc(2026, 1, 2),
        ),
        make_article(
            papers, "Urban sensing with LoRa", techs=["iot"], language="en", published_at=utc(2025, 12, 31, 16)
        ),
        make_article(papers, "A survey without a date", language="en"),
    ]
    Article.objects.filter(pk=made[-1].pk).update(published_at=None)
    return made


def grouped_sql_facets(ids):
    """The facets as grouped queries compute them."""
    rows = Article.objects.filter(id__in=ids)
    technologies = (
        ArticleTechnology.objects.filter(article_id__in=ids)
        .values("technology__slug")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "technology__slug")
    )
    months = (
        rows.exclude(published_at=None)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-month")
    )
    return {
        "technology": [(t["technology__slug"], t["n"]) for t in technologies],
        "language": [
            (r["language"], r["n"]) for r in rows.values("language").annotate(n=Count("id")).order_by("-n", "language")
        ],
        "source": [
            (r["source__name"], r["n"])
            for r in rows.values("source__name").annotate(n=Count("id")).order_by("-n", "source__name")
        ],
        "month": [(r["month"].strftime("%Y-%m"), r["n"]) for r in months],
    }


def ranking_facets(ids):
    facets = service._facet_counts(ids)
    return {
        "technology": [(f["value"], f["count"]) for f in facets["technology"]],
        "language": [(f["value"], f["count"]) for f in facets["language"]],
        "source": [(f["label"], f["count"]) for f in facets["source"]],
        "month": [(f["value"], f["count"]) for f in facets["month"]],
    }


def test_facets_equal_the_grouped_queries_in_seoul_months(articles):
    ids = [a.id for a in articles]
    assert ranking_facets(ids) == grouped_sql_facets(ids)
    assert ("2026-04", 1) in ranking_facets(ids)["month"] and ("2026-01", 2) in ranking_facets(ids)["month"]
    assert ranking_facets(ids[1:3]) == grouped_sql_facets(ids[1:3])


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


def test_deleted_and_edited_articles_count_as_they_are_now(articles):
    doomed, moved = articles[2].id, articles[3].id
    articles[2].delete()
    assert service._collapse_clusters([(doomed, 1.0), (moved, 0.5)])[0] == [moved]
    cluster = StoryCluster.objects.create(title="together", size=2)
    for article in articles[:2]:
        article.cluster = cluster
        article.save()  # an edit (the admin): no new article, no new id
    assert service._collapse_clusters([(articles[0].id, 1.0), (articles[1].id, 0.5)])[0] == [articles[0].id]


def test_a_story_of_many_sources_lists_five_on_its_row_and_counts_the_rest(
    articles, client, django_assert_max_num_queries
):
    cluster = StoryCluster.objects.create(title="NPU 수출", size=10)
    story = [
        make_article(
            make_source(f"매체 {n}"), f"NPU 수출 급증 보도 {n}", cluster=cluster, published_at=utc(2026, 4, 1, n)
        )
        for n in range(10)
    ]
    ranking = service.Ranking("npu", [story[3].id, articles[0].id], {}, 2)
    with django_assert_max_num_queries(4):  # rows, technology slugs, story members, the shown members
        row = service.page_rows(ranking, ranking.ids)[0]
    others = [a for a in story if a.id != story[3].id]  # oldest first, the row's own article left out
    assert [o["id"] for o in row["also_reported_by"]] == [a.id for a in others[:5]]
    assert [o["source"] for o in row["also_reported_by"]] == [f"매체 {n}" for n in (0, 1, 2, 4, 5)]
    assert row["also_reported_count"] == 9 and row["also_reported_more"] == 4

    page = client.get("/radar/search", {"q": "NPU 수출 급증"}, HTTP_COOKIE="django_language=ko")
    assert "외 4곳" in page.content.decode()  # 9 other sources, 5 listed
    api = client.get("/api/v1/articles", {"q": "NPU 수출 급증", "limit": 5}).json()
    hit = next(item for item in api["items"] if item["cluster_id"] == cluster.id)
    assert len(hit["also_reported_by"]) == 5 and hit["also_reported_count"] == 9
