"""Article co-occurrence counted incrementally from real arXiv titles tagged by the hub's tagger,
and the recent window's clusters, sources and languages."""

import datetime
import gzip
import json
from itertools import islice

import pytest
from django.conf import settings
from django.utils import timezone

from seoulhub.landscape import scoring, worldwide
from seoulhub.landscape.local import ensure_rows
from seoulhub.landscape.models import CountCursor, TechnologyLandscape, TechnologyPair
from seoulhub.radar.models import Article, ArticleTechnology, Source, StoryCluster
from seoulhub.taxonomy.models import Technology
from seoulhub.text.techtag import default_tagger

pytestmark = pytest.mark.django_db

ARXIV = settings.DATA_DIR / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"


def real_titles(start: int, count: int) -> list[dict]:
    with gzip.open(ARXIV, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in islice(lines, start, start + count)]


@pytest.fixture
def source(db):
    return Source.objects.create(name="arXiv cs (test)", url="file:///arxiv-test", kind=Source.Kind.ARXIV)


def add_articles(source, records, settled: bool = True, cluster=None) -> list[Article]:
    by_slug = dict(Technology.objects.values_list("slug", "pk"))
    tagger = default_tagger()
    articles = []
    for record in records:
        published = datetime.datetime.fromisoformat(record["first_seen"]).replace(tzinfo=datetime.UTC)
        article = Article.objects.create(
            source=source,
            guid=record["id"],
            title=record["title"],
            language="en",
            published_at=published,
            content_hash=record["id"],
            cluster=cluster,
        )
        for match in tagger.tag(record["title"]):
            ArticleTechnology.objects.create(article=article, technology_id=by_slug[match.slug], score=match.score)
        articles.append(article)
    if settled:
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(fetched_at=timezone.now() - worldwide.SETTLE * 2)
    return articles


def stored() -> tuple[int, dict, dict]:
    pairs = {
        (a, b): n
        for a, b, n in TechnologyPair.objects.filter(context="articles").values_list(
            "tech_a_id", "tech_b_id", "together"
        )
    }
    singles = {a: n for (a, b), n in pairs.items() if a == b}
    return CountCursor.objects.get(context="articles").items, singles, {k: n for k, n in pairs.items() if k[0] != k[1]}


def expected_from_database() -> scoring.Cooccurrence:
    sets: dict[int, set] = {a: set() for a in Article.objects.values_list("pk", flat=True)}
    for article, tech in ArticleTechnology.objects.values_list("article_id", "technology_id"):
        sets[article].add(tech)
    return scoring.Cooccurrence.of(sets.values())


def test_counting_in_batches_then_more_articles_equals_one_full_count(source):
    ensure_rows()
    add_articles(source, real_titles(0, 300))
    worldwide.count_new_articles(batch_ids=37)
    add_articles(source, real_titles(300, 200))
    result = worldwide.count_new_articles(batch_ids=50)
    assert result["articles_counted"] == 200
    expected = expected_from_database()
    items, singles, pairs = stored()
    assert items == 500 == expected.items
    assert singles == dict(expected.singles) and pairs == dict(expected.pairs)
    assert sum(singles.values()) > 100  # the real titles do get tagged


def test_a_second_count_with_nothing_new_changes_nothing(source):
    add_articles(source, real_titles(0, 120))
    worldwide.count_new_articles()
    before = stored()
    assert worldwide.count_new_articles()["articles_counted"] == 0
    assert stored() == before


def test_articles_fetched_moments_ago_wait_for_the_next_refresh(source):
    add_articles(source, real_titles(0, 50))
    add_articles(source, real_titles(50, 10), settled=False)
    assert worldwide.count_new_articles()["articles_counted"] == 50
    Article.objects.update(fetched_at=timezone.now() - worldwide.SETTLE * 2)
    assert worldwide.count_new_articles()["articles_counted"] == 10


def test_full_recount_repairs_counts_after_an_article_is_deleted(source):
    articles = add_articles(source, real_titles(0, 150))
    worldwide.count_new_articles()
    tagged = next(a for a in articles if a.technology_links.exists())
    tagged.delete()
    worldwide.count_new_articles(full=True)
    expected = expected_from_database()
    items, singles, pairs = stored()
    assert (items, singles, pairs) == (expected.items, dict(expected.singles), dict(expected.pairs))


def test_recent_window_lists_clusters_sources_and_languages_of_the_technology(source):
    ensure_rows()
    cluster = StoryCluster.objects.create(title="real arXiv story (test cluster)", size=3)
    records = [r for r in real_titles(74_000, 728) if "language model" in r["title"].lower()][:6]
    assert len(records) >= 3
    add_articles(source, records, cluster=cluster)
    worldwide.refresh_recent_window()
    nlp = TechnologyLandscape.objects.get(technology__slug="nlp")
    assert nlp.top_clusters[0]["title"] == "real arXiv story (test cluster)"
    assert nlp.top_clusters[0]["article_id"] == max(a.pk for a in cluster.articles.all())
    assert nlp.top_sources[0]["name"] == "arXiv cs (test)"
    assert nlp.languages == {"en": nlp.top_sources[0]["articles"]}


def test_a_crash_in_the_middle_of_a_count_keeps_the_batches_before_it_and_the_rerun_completes(source, monkeypatch):
    add_articles(source, real_titles(1000, 200))
    real_store = worldwide.store_pairs
    calls = {"n": 0}

    def store_then_crash(context, counts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash in the second batch")
        return real_store(context, counts)

    monkeypatch.setattr(worldwide, "store_pairs", store_then_crash)
    first_id = Article.objects.order_by("id").values_list("id", flat=True).first()
    with pytest.raises(RuntimeError):
        worldwide.count_new_articles(batch_ids=first_id + 99)  # first batch: ids up to first_id + 99
    cursor = CountCursor.objects.get(context="articles")
    assert cursor.position == first_id + 99
    assert cursor.items == Article.objects.filter(id__lte=cursor.position).count()
    monkeypatch.setattr(worldwide, "store_pairs", real_store)
    worldwide.count_new_articles()
    expected = expected_from_database()
    assert stored() == (expected.items, dict(expected.singles), dict(expected.pairs))


def test_technology_page_links_each_top_story_to_an_article_of_it(client, source):
    ensure_rows()
    cluster = StoryCluster.objects.create(title="real arXiv story (test cluster)", size=2)
    records = [r for r in real_titles(74_000, 728) if "language model" in r["title"].lower()][:3]
    articles = add_articles(source, records, cluster=cluster)
    worldwide.refresh_recent_window()
    html = client.get("/tech/nlp/").content.decode()
    assert f'href="/radar/articles/{max(a.pk for a in articles)}/"' in html


def test_refresh_command_counts_fresh_articles_with_settle_zero_and_refuses_bad_options(source):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    add_articles(source, real_titles(0, 40), settled=False)
    call_command("refresh_landscape")
    assert CountCursor.objects.get(context="articles").items == 0
    call_command("refresh_landscape", "--settle", "0")
    assert CountCursor.objects.get(context="articles").items == 40
    with pytest.raises(CommandError, match="2025-W31"):
        call_command("refresh_landscape", "--as-of-week", "July")
    with pytest.raises(CommandError, match="settle"):
        call_command("refresh_landscape", "--settle", "-1")
