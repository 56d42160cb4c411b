"""Korean queries find English articles about the same concept, end to end: articles stored by
the real ingestion pipeline (tokens, compound parts, embeddings) in the real database, ranked by
the hub's search (full text on SQLite FTS5 or PostgreSQL, vectors, fusion)."""

from datetime import datetime, timezone

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from seoulhub.core.localcache import clear_all
from seoulhub.radar.models import Article, Source
from seoulhub.radar.search import service

pytestmark = pytest.mark.django_db

ENGLISH = {
    "robot": "A Transformable Wheel-Legged Robot for Stair Climbing",
    "transformers": "Interpreting Transformers through Attention Head Attribution",
    "perovskite": "Stable Perovskite Solar Cells with Passivated Grain Boundaries",
    "lithium": "State-of-Health Estimation of Lithium-Ion Batteries with Neural Networks",
    "federated": "Communication-Efficient Federated Learning over Heterogeneous Clients",
    "on_device": "On-Device AI Inference for Low-Power Wearables",
    "generic_ai": "A Survey of AI Methods for Clinical Decision Support",
    "deepfake": "Detecting Deepfake Videos with Frequency Artifacts",
    "phone": "Phone Recognition from Raw Speech with Self-Supervised Models",
    "foldable": "Durability Testing of Foldable Smartphone Displays",
}
KOREAN = {
    "car": "서울시, 상암동 자율주행차 시범운행 구간 확대",
    "cobot": "중소 제조업체 협동로봇 도입 지원 사업 시작",
}


@pytest.fixture()
def articles():
    from seoulhub.radar.ingest.store import Ingestor
    from seoulhub.radar.ingest.items import ParsedItem
    from seoulhub.radar.tasks import embed_batch

    def reset():
        cache.clear()
        clear_all()

    reset()
    when = datetime(2026, 6, 1, 9, tzinfo=timezone.utc)
    english = Source.objects.create(name="arXiv (test)", url="test://arxiv-x", language_hint="en")
    korean = Source.objects.create(name="뉴스 (test)", url="test://news-x", language_hint="ko")
    ingestor = Ingestor()
    ingestor.ingest(
        english,
        [
            ParsedItem(title=t, link=f"https://arxiv.org/abs/x{i}", guid=f"x{i}", published_at=when, language="en")
            for i, t in enumerate(ENGLISH.values())
        ],
    )
    ingestor.ingest(
        korean,
        [ParsedItem(title=t, guid=f"k{i}", published_at=when, language="ko") for i, t in enumerate(KOREAN.values())],
    )
    while embed_batch(64):
        pass
    ids = {key: Article.objects.get(title=title).id for key, title in {**ENGLISH, **KOREAN}.items()}
    yield ids
    reset()


def ranked(query):
    return service.rank(query).ids


@pytest.mark.parametrize(
    "query, right, false_friend",
    [
        ("변신 로봇", "robot", "transformers"),
        ("페로브스카이트 전지", "perovskite", "lithium"),
        ("온디바이스 AI", "on_device", "generic_ai"),
        ("연합학습", "federated", None),
        ("딥페이크 탐지", "deepfake", None),
        ("접는 스마트폰", "foldable", "phone"),
    ],
)
def test_korean_query_ranks_the_english_concept_first(articles, query, right, false_friend):
    ids = ranked(query)
    if right:
        assert ids and ids[0] == articles[right], [Article.objects.get(id=i).title for i in ids]
    if false_friend and articles[false_friend] in ids:
        assert right and ids.index(articles[false_friend]) > ids.index(articles[right])


def test_a_compound_is_found_by_its_part(articles):
    assert articles["car"] in ranked("자율주행")[:3]
    assert articles["cobot"] in ranked("로봇")[:3]
    assert articles["car"] in ranked("자율주행차")[:3]


def test_the_parts_command_indexes_articles_stored_before_and_is_idempotent(articles):
    article = Article.objects.get(id=articles["car"])
    Article.objects.filter(id=article.id).update(search_text="서울시 상암동 자율주행차 시범 운행 구간 확대")
    cache.clear()
    clear_all()
    from seoulhub.radar.search.postgres_fts import engine_for

    engine = engine_for(connection.vendor)
    with connection.cursor() as cursor:
        assert article.id not in {i for i, _ in engine.search(cursor.cursor, [[("자율주행",)]], limit=100)}
    call_command("radar_search_parts")
    once = Article.objects.get(id=article.id).search_text
    assert "자율주행차 자율주행 차" in once
    call_command("radar_search_parts")
    assert Article.objects.get(id=article.id).search_text == once
    with connection.cursor() as cursor:
        assert article.id in {i for i, _ in engine.search(cursor.cursor, [[("자율주행",)]], limit=100)}


def test_an_untranslatable_word_does_not_keep_the_english_concept_out(articles):
    # 뭉게구름 has no English rendering: all concepts together match nothing, so the translated
    # concepts alone are ranked (the relaxed fallback) and the perovskite paper still leads.
    from seoulhub.radar.search.hybrid import HybridSearcher
    from seoulhub.radar.search.postgres_fts import engine_for
    from seoulhub.radar.search import textfns

    searcher = HybridSearcher(
        engine_for(connection.vendor), None, textfns.normalise, None, textfns.tagger(), lexicon=textfns.lexicon()
    )
    with connection.cursor() as cursor:
        result = searcher.search(cursor.cursor, "페로브스카이트 뭉게구름", depth=20)
    assert result.lexical_count == 0
    assert result.lexical_ids[:1] == [articles["perovskite"]]
    assert articles["lithium"] not in result.lexical_ids
