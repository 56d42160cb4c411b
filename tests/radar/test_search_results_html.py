"""The results page's rows and facets as the template writes them: escaping, links that keep
filters, translations and local dates."""

import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from tests.radar.search_factories import make_article, make_source

HOSTILE = '<script>alert("x")</script>'


def row(**overrides):
    values = {
        "id": 7,
        "language": "en",
        "url": "https://example.org/a",
        "title_html": mark_safe("<mark>AI</mark> chips"),
        "source": "Example Source",
        "published_at": datetime(2026, 1, 31, 20, 0, tzinfo=timezone.utc),
        "technologies": ["ai", "semiconductors"],
        "snippet_html": mark_safe("about <mark>AI</mark>"),
        "also_reported_by": [],
        "also_reported_more": 0,
    }
    return values | overrides


NO_FACETS = {"technology": [], "language": [], "source": [], "month": []}


def results(rows=(), q_url="q", facets=NO_FACETS, filters=None, filtered=False) -> str:
    """The results fragment, whitespace runs folded to one space."""
    page = Paginator(list(rows), 20).get_page(1)
    html = render_to_string(
        "radar/search/_results.html",
        {
            "q": "",
            "q_url": q_url,
            "rows": page.object_list,
            "page": page,
            "facets": facets,
            "filters": filters or SimpleNamespace(tech="", lang=""),
            "filtered": filtered,
            "ranking": SimpleNamespace(total_matches=len(rows)),
        },
    )
    return re.sub(r"\s+", " ", html)


def result_rows(rows, q_url):
    return results(rows, q_url)


def result_facets(facets, q_url, filters, filtered, language_code):
    return results(facets=facets, q_url=q_url, filters=filters, filtered=filtered)


@pytest.mark.django_db
def test_a_row_escapes_what_is_text_and_keeps_what_is_already_html():
    with translation.override("en"):
        html = result_rows(
            [row(source=HOSTILE, url='https://x.org/"onmouseover="steal()', language='en"><script>')], "AI%20chips"
        )
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="https://x.org/&quot;onmouseover=&quot;steal()"' in html
    assert "<mark>AI</mark> chips" in html and "<p>about <mark>AI</mark></p>" in html  # escaped by the service
    assert '<a class="tag" href="?q=AI%20chips&amp;tech=semiconductors">Semiconductors</a>' in html


@pytest.mark.django_db
def test_a_row_names_its_technologies_in_the_page_language_not_by_slug():
    with translation.override("ko"):
        html = result_rows([row(technologies=["ai", "semiconductors", "no-such-slug"])], "q")
    assert '<a class="tag" href="?q=q&amp;tech=ai">인공지능</a>' in html
    assert '<a class="tag" href="?q=q&amp;tech=semiconductors">반도체</a>' in html
    assert '<a class="tag" href="?q=q&amp;tech=no-such-slug">no-such-slug</a>' in html  # unknown: the slug


@pytest.mark.django_db
def test_a_row_shows_its_date_in_seoul_time_and_defaults_a_missing_url_and_language():
    html = result_rows([row(url="", language="")], "q")
    # 20:00 UTC on 31 January is 05:00 on 1 February in Seoul.
    assert '<time datetime="2026-02-01T05:00:00+09:00">2026-02-01</time>' in html
    assert '<article class="hit" lang="ko">' in html and '<a href="#" rel="noopener">' in html
    assert "<time" not in result_rows([row(published_at=None)], "q")


@pytest.mark.django_db
def test_other_sources_of_the_story_and_the_link_to_the_rest_in_both_languages():
    story = row(
        also_reported_by=[{"url": "https://b.org", "source": "B"}, {"url": "", "source": HOSTILE}], also_reported_more=3
    )
    with translation.override("en"):
        html = result_rows([story], "q")
    assert (
        'Also reported by: <a href="https://b.org" rel="noopener">B</a>, <a href="#" rel="noopener">&lt;script' in html
    )
    assert '<a href="/radar/articles/7/#also-reported">and 3 more</a>' in html
    with translation.override("ko"):
        korean = result_rows([story], "q")
    assert "Also reported by" not in korean and "and 3 more" not in korean
    assert "/radar/articles/7/#also-reported" in korean
    assert "also-reported" not in result_rows([row()], "q")


FACETS = {
    "technology": [{"value": "ai", "label_ko": "인공지능", "label_en": "Artificial intelligence", "count": 1234}],
    "language": [{"value": "en", "count": 1200}, {"value": "ko", "count": 34}, {"value": "", "count": 1}],
    "source": [{"value": 3, "label": HOSTILE, "count": 2}],
    "month": [{"value": "2026-06", "count": 5}],
}


def filters(tech="", lang=""):
    return SimpleNamespace(tech=tech, lang=lang)


def test_facet_links_keep_the_query_and_the_other_filter():
    with translation.override("en"):
        html = result_facets(FACETS, "AI%20chips", filters(tech="ai", lang="en"), True, "en")
    assert (
        '<a href="?q=AI%20chips&amp;tech=ai&amp;lang=en">Artificial intelligence</a> <span class="muted">1,234</span>'
        in html
    )
    assert '<a href="?q=AI%20chips&amp;lang=ko&amp;tech=ai">Korean</a>' in html
    assert '<a href="?q=AI%20chips&amp;lang=&amp;tech=ai">?</a>' in html
    assert '<a href="?q=AI%20chips">Clear filters</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<li>2026-06 <span class="muted">5</span></li>' in html


def test_facets_without_filters_or_technologies_in_korean():
    with translation.override("ko"):
        html = result_facets(FACETS | {"technology": []}, "q", filters(), False, "ko")
    assert '<a href="?q=q">' not in html  # no "clear filters" link
    assert '<li class="muted">' in html  # "none", translated
    assert "none" not in html and "Technology" not in html
    with translation.override("ko"):
        labelled = result_facets(FACETS, "q", filters(), False, "ko")
    assert '<a href="?q=q&amp;tech=ai">인공지능</a>' in labelled


@pytest.mark.django_db
def test_a_search_page_escapes_a_hostile_source_name_in_rows_and_facets(client):
    source = make_source(name=HOSTILE)
    make_article(
        source,
        "반도체 설계 지원 사업 공고",
        techs=["semiconductors"],
        published_at=datetime(2026, 6, 15, 9, tzinfo=timezone.utc),
    )
    html = client.get("/radar/search", {"q": "반도체"}).content.decode()
    assert "반도체</mark>" in html
    assert HOSTILE not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 2  # the row and the source facet
