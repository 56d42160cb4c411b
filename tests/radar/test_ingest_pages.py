"""Radar pages and API of ingestion: latest list, article detail, OPML, source health, classify."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from seoulhub.radar.models import Article, Source
from seoulhub.radar.opml import OpmlError, parse_opml
from seoulhub.radar.tasks import run_source

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def slashdot():
    source = Source.objects.create(name="Slashdot", url=str(FIXTURES / "newsblur/slashdot1.xml"), kind="file")
    run_source(source)
    return source


def test_index_lists_latest_digital_articles(client, slashdot):
    response = client.get("/radar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "latest-articles" in html
    digital = Article.objects.filter(is_digital=True).order_by("-published_at").first()
    assert digital.title in html


def test_index_filters_by_technology(client, slashdot):
    link_slug = Article.objects.filter(is_digital=True).first().technology_links.first().technology.slug
    html = client.get(f"/radar/?technology={link_slug}").content.decode()
    for article in Article.objects.filter(is_digital=True).exclude(technology_links__technology__slug=link_slug)[:3]:
        assert f'/radar/articles/{article.pk}/"' not in html


def test_article_detail_shows_evidence_and_also_reported_by(client, slashdot):
    first, second = Article.objects.filter(title__icontains="uzbl").order_by("id")
    html = client.get(f"/radar/articles/{first.pk}/").content.decode()
    assert "also-reported" in html and f"/radar/articles/{second.pk}/" in html
    tagged = Article.objects.filter(technology_links__isnull=False).first()
    html = client.get(f"/radar/articles/{tagged.pk}/").content.decode()
    link = tagged.technology_links.first()
    assert 'id="technologies"' in html and link.evidence[0] in html
    assert client.get("/radar/articles/999999/").status_code == 404


def test_sources_opml_round_trips():
    Source.objects.create(
        name="Google Cloud Blog",
        url="https://cloudblog.withgoogle.com/rss/",
        kind="rss",
        site_url="https://cloud.google.com/blog/",
        language_hint="en",
    )
    Source.objects.create(name="local file", url="/tmp/x.xml", kind="file")
    from django.test import Client

    response = Client().get("/radar/sources.opml")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/x-opml")
    feeds = parse_opml(response.content)
    assert [(f.title, f.xml_url, f.language) for f in feeds] == [
        ("Google Cloud Blog", "https://cloudblog.withgoogle.com/rss/", "en")
    ]


def test_import_opml_is_idempotent(tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
      <outline text="Tech"><outline type="rss" text="A" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
      <outline type="rss" text="B" xmlUrl="https://b.example/atom" language="ko"/></outline>
      <outline type="rss" text="local" xmlUrl="file:///etc/passwd"/></body></opml>""",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_opml", str(opml), stdout=out, stderr=io.StringIO())
    assert "2 sources added" in out.getvalue()
    call_command("import_opml", str(opml), stdout=out, stderr=io.StringIO())
    assert Source.objects.count() == 2 and Source.objects.get(url="https://b.example/atom").language_hint == "ko"


def test_import_opml_refuses_entities_and_garbage(tmp_path):
    with pytest.raises(OpmlError, match="DOCTYPE"):
        parse_opml(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>')
    bad = tmp_path / "bad.opml"
    bad.write_text("<html></html>")
    with pytest.raises(CommandError, match="<opml>이어야 합니다"):
        call_command("import_opml", str(bad))


def test_source_health_page_is_for_operators(client, operator, make_user):
    Source.objects.create(
        name="Broken feed",
        url="https://x.example/f",
        paused_at="2026-01-01T00:00:00Z",
        consecutive_errors=9,
        last_error="HTTP 503 for 4 days",
    )
    assert client.get("/radar/sources/health/").status_code in (302, 403)
    client.force_login(make_user("someone"))
    assert client.get("/radar/sources/health/").status_code == 403
    client.force_login(operator)
    html = client.get("/radar/sources/health/").content.decode()
    assert "Broken feed" in html and "HTTP 503 for 4 days" in html


def test_api_article_and_sources(client, slashdot):
    article = Article.objects.filter(title__icontains="uzbl").first()
    data = client.get(f"/api/v1/articles/{article.pk}").json()
    assert data["title"] == article.title and len(data["also_reported_by"]) == 1
    assert client.get("/api/v1/articles/999999").json() == {"message": "No article 999999."}
    sources = client.get("/api/v1/sources?limit=5").json()
    assert sources["count"] == 1 and sources["items"][0]["name"] == "Slashdot"


def test_api_classify(client):
    data = client.post("/api/v1/classify", {"title": "인공지능 반도체 개발"}, content_type="application/json").json()
    assert data["language"] == "ko" and data["digital"] is True
    assert data["technologies"][0]["slug"] == "ai-semiconductor"


def test_classify_command_reads_plain_and_json_lines(monkeypatch):
    lines = (
        "드론으로 택배 배송\n" + json.dumps({"title": "Deep learning for object detection", "text": ""}) + "\n{bad\n"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    out = io.StringIO()
    call_command("classify", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["language"] == "ko" and rows[0]["technologies"][0]["slug"] == "drones"
    assert {t["slug"] for t in rows[1]["technologies"]} >= {"machine-learning", "computer-vision"}
    assert "error" in rows[2]
    assert set(rows[0]) == {"language", "digital", "relevance", "verdict", "technologies"}
    assert rows[0]["verdict"] == "final"  # the default embeds; --fast gives "provisional"


def test_home_card_shows_counts_and_latest(client, slashdot):
    import re

    html = client.get("/").content.decode()
    digital = Article.objects.filter(is_digital=True).count()
    assert re.search(rf"(?<!\d){digital}(?!\d)", html)
    latest = Article.objects.filter(is_digital=True).order_by("-published_at", "-id").first()
    assert f"/radar/articles/{latest.pk}/" in html


def test_index_hides_non_digital_unless_asked(client):
    src = Source.objects.create(name="k", url="data/feeds/klue-ynat-it-economy.xml", kind="file")
    run_source(src)
    bond = Article.objects.filter(title__startswith="국고채 금리", is_digital=False).first()
    assert bond is not None
    assert f"/radar/articles/{bond.pk}/" not in client.get("/radar/?language=ko").content.decode()
    pages = [client.get(f"/radar/?all=1&page={n}").content.decode() for n in range(1, 40)]
    assert any(f"/radar/articles/{bond.pk}/" in page for page in pages)


@pytest.mark.django_db
def test_a_feed_item_with_a_javascript_link_is_never_rendered_as_one(client, tmp_path):
    from seoulhub.radar.models import Article, Source
    from seoulhub.radar.tasks import run_source

    feed = tmp_path / "evil.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>evil</title>'
        "<item><title>Drone delivery pilot in Seoul</title><link>javascript:alert(document.cookie)</link>"
        "<guid>evil-1</guid><description>drones</description></item></channel></rss>",
        encoding="utf-8",
    )
    run_source(Source.objects.create(name="evil", url=str(feed), kind=Source.Kind.FILE))
    article = Article.objects.get(title="Drone delivery pilot in Seoul")
    assert article.url == ""
    for page in (f"/radar/articles/{article.pk}/", "/radar/search?q=drone+delivery", "/radar/"):
        assert "javascript:" not in client.get(page).content.decode()


@pytest.mark.django_db
def test_the_migration_drops_stored_non_web_links():
    import importlib

    from django.apps import apps

    from seoulhub.radar.models import Article

    from .search_factories import make_article, make_source

    source = make_source("older feed")
    evil = make_article(source, "stored before the fix", url="javascript:alert(1)")
    good = make_article(source, "a web link", url="https://example.org/ok")
    Article.objects.filter(pk=evil.pk).update(canonical_url="javascript:alert(1)")
    importlib.import_module("seoulhub.radar.migrations.0006_only_web_links").drop_non_web_links(apps, None)
    evil.refresh_from_db(), good.refresh_from_db()
    assert (evil.url, evil.canonical_url) == ("", "") and good.url == "https://example.org/ok"


def test_a_title_only_article_says_why_it_has_no_text_and_names_its_language_in_korean(client, slashdot, settings):
    settings.LANGUAGE_CODE = "ko"
    article = Article.objects.first()
    Article.objects.filter(pk=article.pk).update(summary_html="", text="", language="en")
    html = client.get(f"/radar/articles/{article.pk}/").content.decode()
    assert 'id="no-summary"' in html and "이 출처는 제목만 제공하고" in html
    assert " · 영어</p>" in html and " · en</p>" not in html


def test_index_and_home_say_how_many_items_await_their_final_verdict(client, slashdot):
    from seoulhub.text import embed

    waiting = Article.objects.filter(embedding=None).count()
    assert waiting  # run_source stores first verdicts; the embedding job settles them later
    index = client.get("/radar/").content.decode()
    assert f"{waiting}건은 1차 분류 결과이며" in index
    assert f"{waiting}건은 아직 분류 중입니다" in client.get("/").content.decode()
    for article in Article.objects.all():
        article.embedding = embed.to_bytes(embed.embed([article.title])[0])
        article.save(update_fields=["embedding"])
    from django.core.cache import cache

    from seoulhub.core.localcache import clear_all

    cache.clear()  # the home page's figures are cached, shared and per process
    clear_all()
    assert "1차 분류 결과" not in client.get("/radar/").content.decode()
    assert "아직 분류 중" not in client.get("/").content.decode()
