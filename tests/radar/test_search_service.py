"""Radar search over articles stored by the real pipeline: cross-lingual retrieval by both
mechanisms (taxonomy aliases, multilingual embeddings), filters, facets, clusters, snippets,
the index following article writes, and the API/page contract."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from seoulhub.core.localcache import clear_all
from seoulhub.radar.models import Article, StoryCluster
from seoulhub.radar.search import service, textfns
from seoulhub.radar.search.hybrid import HybridSearcher
from seoulhub.radar.search.postgres_fts import engine_for

pytestmark = pytest.mark.django_db

AI_CHIP_WORDS = ("accelerator", "npu", "fpga", "chip")


def english_ai_chip(article):
    return article.language == "en" and any(w in article.title.lower() for w in AI_CHIP_WORDS)


def lexical_only(text, expand=True):
    searcher = HybridSearcher(
        engine_for(connection.vendor), None, textfns.normalise, None, textfns.tagger() if expand else None
    )
    with connection.cursor() as cursor:
        return searcher.search(cursor, text, depth=200)


def vectors_only(text, k=20):
    index = service.vector_index()
    return index.search(textfns.embed(text), k, min_similarity=-1)


def test_korean_query_finds_english_ai_chip_papers_through_taxonomy_aliases(corpus):
    result = lexical_only("인공지능 반도체")
    found = Article.objects.filter(id__in=result.lexical_ids)
    assert any(english_ai_chip(a) for a in found), [a.title for a in found][:10]
    without_aliases = lexical_only("인공지능 반도체", expand=False)
    assert not any(a.language == "en" for a in Article.objects.filter(id__in=without_aliases.lexical_ids))


def test_korean_query_finds_english_ai_chip_papers_through_embeddings(corpus):
    nearest = Article.objects.in_bulk([doc_id for doc_id, _ in vectors_only("인공지능 반도체", k=30)])
    assert any(english_ai_chip(a) for a in nearest.values()), [a.title for a in nearest.values()]


def test_english_query_finds_korean_smart_city_headlines_through_aliases(corpus):
    result = lexical_only("smart city")
    korean = [a for a in Article.objects.filter(id__in=result.lexical_ids) if a.language == "ko"]
    assert any("스마트시티" in a.title for a in korean), [a.title for a in korean]


def test_english_query_finds_korean_smart_city_headlines_through_embeddings(corpus):
    nearest = Article.objects.in_bulk([doc_id for doc_id, _ in vectors_only("smart city", k=30)])
    assert any(a.language == "ko" and "스마트" in a.title for a in nearest.values()), [
        a.title for a in nearest.values()
    ]


def test_fused_ranking_puts_both_languages_on_the_first_page(corpus):
    ranking = service.rank("인공지능 반도체")
    first_page = Article.objects.in_bulk(ranking.ids[:20])
    languages = {first_page[i].language for i in ranking.ids[:20]}
    assert languages == {"ko", "en"}
    assert ranking.total_matches >= len(ranking.ids) > 0


def test_filters_narrow_results_and_facets_count_them(corpus):
    arxiv, ynat = corpus
    everything = service.rank("smart city")
    only_korean = service.rank("smart city", service.SearchFilters(lang="ko"))
    assert only_korean.ids and set(only_korean.ids) <= set(everything.ids)
    assert all(a.language == "ko" for a in Article.objects.filter(id__in=only_korean.ids))
    facets = service.facets(everything)
    by_language = {f["value"]: f["count"] for f in facets["language"]}
    assert sum(by_language.values()) == len(everything.ids)
    assert by_language.get("ko") == len(only_korean.ids)
    by_source = {f["value"]: f["count"] for f in facets["source"]}
    assert set(by_source) <= {arxiv.id, ynat.id}
    assert facets["month"] and all(len(f["value"]) == 7 for f in facets["month"])


def test_technology_and_date_filters(corpus):
    ranking = service.rank("", service.SearchFilters(tech="smart-city"))
    assert ranking.ids
    for article in Article.objects.filter(id__in=ranking.ids).prefetch_related("technology_links__technology"):
        assert "smart-city" in {link.technology.slug for link in article.technology_links.all()} | {
            link.technology.parent.slug for link in article.technology_links.all() if link.technology.parent
        }
    from datetime import date

    dated = service.rank("smart city", service.SearchFilters(since=date(2025, 8, 1), until=date(2025, 12, 31)))
    for article in Article.objects.filter(id__in=dated.ids):
        assert date(2025, 8, 1) <= article.published_at.date() <= date(2025, 12, 31)


def test_one_row_per_story_cluster_with_the_other_sources(corpus):
    arxiv, ynat = corpus
    ranking = service.rank("smart city")
    first, second = Article.objects.filter(id__in=ranking.ids[:2])
    with transaction.atomic():
        cluster = StoryCluster.objects.create(title=first.title, size=2)
        Article.objects.filter(id__in=[first.id, second.id]).update(cluster=cluster)
    try:
        cache.clear()  # rankings are cached until a new article arrives; clusters here changed without one
        clear_all()  # and the process keeps what it read from the cache for a few seconds
        collapsed = service.rank("smart city")
        assert len({first.id, second.id} & set(collapsed.ids)) == 1
        row = service.page_rows(collapsed, [i for i in collapsed.ids if i in (first.id, second.id)])[0]
        assert [other["id"] for other in row["also_reported_by"]] == [({first.id, second.id} - {row["id"]}).pop()]
    finally:
        Article.objects.filter(cluster=cluster).update(cluster=None)
        cluster.delete()


def test_snippets_mark_the_matched_words(corpus):
    ranking = service.rank("스마트시티")
    rows = service.page_rows(ranking, ranking.ids[:10])
    assert any("<mark>" in row["title_html"] for row in rows)


def test_index_follows_article_writes_in_the_same_transaction(corpus):
    arxiv, _ = corpus
    groups = [[("양자내성암호",)]]
    engine = engine_for(connection.vendor)
    article = Article.objects.create(
        source=arxiv,
        title="양자내성암호 시범 사업",
        search_text="양자내성암호 시범 사업",
        content_hash="test-pqc-1",
        language="ko",
    )
    with connection.cursor() as cursor:
        assert [i for i, _ in engine.search(cursor, groups, 10)] == [article.id]
        Article.objects.filter(id=article.id).update(search_text="다른 내용")
        assert engine.search(cursor, groups, 10) == []
        article.delete()
        assert engine.count(cursor, [[("다른",), ("내용",)]]) == 0


def test_a_write_rolled_back_leaves_the_index_untouched(corpus):
    arxiv, _ = corpus
    engine = engine_for(connection.vendor)
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.create(
            source=arxiv, title="롤백 시험", search_text="롤백시험토큰", content_hash="test-rollback"
        )
        raise RuntimeError("crash mid-item")
    with connection.cursor() as cursor:
        assert engine.search(cursor, [[("롤백시험토큰",)]], 10) == []


def test_new_embedded_articles_are_found_at_once_then_from_the_index_file(corpus, settings):
    from seoulhub.text.embed import embed, to_bytes

    arxiv, _ = corpus
    index = service.vector_index()
    embedded = Article.objects.exclude(embedding=None)
    assert (
        service.refresh_vector_index(min_tail=embedded.count() + 1) == 0 and not settings.SEARCH_VECTOR_INDEX.exists()
    )
    assert service.refresh_vector_index(min_tail=1) == embedded.count()  # the first file
    written = index.largest()
    title = "Neural processing unit for on-device inference"
    vector = embed([title])[0]
    # Stored in id order, embedded out of it (two embedding workers): the file must not pass the
    # article still waiting, or it would never be searched.
    waiting = Article.objects.create(source=arxiv, title="대기 중인 기사", content_hash="test-vector-0", language="ko")
    article = Article.objects.create(
        source=arxiv, title=title, content_hash="test-vector-1", language="en", embedding=to_bytes(vector)
    )
    try:
        assert article.id > written == index.largest()
        assert index.search(vector, 1)[0][0] == article.id  # from the exact tail, at once
        assert service.refresh_vector_index(min_tail=1) == 0  # above an article still waiting
        Article.objects.filter(pk=waiting.pk).update(embedding=to_bytes(embed(["대기 중인 기사"])[0]))
        assert service.refresh_vector_index(min_tail=3) == 0  # two waiting: they stay in the tail
        assert service.refresh_vector_index(min_tail=1) == 2
        assert index.largest() == article.id and not len(index.snapshot().tail_ids)
        assert index.search(vector, 1)[0][0] == article.id  # now from the file
    finally:
        article.delete()
        waiting.delete()
    assert article.id not in service._collapse_clusters([(article.id, 1.0)])[0]  # deleted: never shown
    assert service.refresh_vector_index(rebuild=True) == embedded.count()
    assert len(index.snapshot()) == embedded.count()  # the rebuilt file drops it


def test_the_embedding_task_writes_new_articles_into_the_vector_file(corpus, settings, monkeypatch):
    from seoulhub.radar.tasks import embed_batch

    arxiv, _ = corpus
    monkeypatch.setattr(service, "INDEX_TAIL", 2)
    made = [
        Article.objects.create(
            source=arxiv,
            title=f"Edge NPU benchmark {n}",
            content_hash=f"test-embed-{n}",
            language="en",
            search_text="edge npu benchmark",
        )
        for n in range(2)
    ]
    try:
        assert not settings.SEARCH_VECTOR_INDEX.exists()
        assert embed_batch(2) == 2
        assert service.vector_index().largest() == made[-1].id
    finally:
        for article in made:
            article.delete()


def test_search_api_pages_deep_results_and_explains_bad_input(corpus, client):
    first = client.get("/api/v1/articles", {"q": "smart city", "limit": 3}).json()
    assert first["count"] >= 6 and len(first["items"]) == 3
    item = first["items"][0]
    assert {"title_html", "snippet_html", "source", "technologies", "also_reported_by", "score"} <= set(item)
    second = client.get("/api/v1/articles", {"q": "smart city", "limit": 3, "offset": 3}).json()
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    korean = client.get("/api/v1/articles", {"q": "smart city", "lang": "ko", "limit": 50}).json()
    assert korean["items"] and all(i["language"] == "ko" for i in korean["items"])
    assert (
        client.get("/api/v1/articles", {"q": "x", "tech": "no-such"}).json()["message"].startswith("Unknown technology")
    )
    too_long = client.get("/api/v1/articles", {"q": "가" * 400})
    assert too_long.status_code == 422 and "too long" in too_long.json()["message"]
    bad_dates = client.get("/api/v1/articles", {"since": "2026-05-01", "until": "2026-01-01"})
    assert bad_dates.status_code == 422
    facets = client.get("/api/v1/articles/facets", {"q": "인공지능 반도체"}).json()
    assert {f["value"] for f in facets["language"]} == {"ko", "en"}
    assert facets["total_matches"] >= sum(f["count"] for f in facets["language"])


def test_search_page_renders_results_facets_and_the_htmx_fragment(corpus, client):
    page = client.get("/radar/search", {"q": "스마트시티"})
    html = page.content.decode()
    assert page.status_code == 200 and "<mark>" in html and 'data-testid="result-count"' in html
    assert "<html" in html
    fragment = client.get("/radar/search", {"q": "스마트시티"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "<mark>" in fragment
    odd = client.get("/radar/search", {"q": "smart city", "since": "not-a-date", "tech": "nope"})
    assert odd.status_code == 200 and len(odd.context["problems"]) == 2  # both shown, neither fatal
    assert odd.context["filters"].tech == "" and odd.context["filters"].since is None


def test_search_works_with_debug_query_logging_on(corpus, client, settings):
    # DEBUG wraps cursors to log SQL by %-formatting it; the engines' SQL must not go through that.
    settings.DEBUG = True
    from django.db import connection

    connection.force_debug_cursor = True
    try:
        response = client.get("/radar/search", {"q": "스마트시티"})
        api = client.get("/api/v1/articles", {"q": "smart city"})
    finally:
        connection.force_debug_cursor = False
    assert response.status_code == 200 and "<mark>" in response.content.decode()
    assert api.status_code == 200 and api.json()["count"] >= 1
