"""Result rows of one page of a ranking: what a row shows of each article, with its snippet, its
technologies and the other sources of its story ("also reported by").

The queries here run for every page that is not cached, so they are plain SQL (sql.py). Dates
still go through the ORM's own converters, so a row's `published_at` is what `Article.objects`
would give.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

import numpy as np
from django.db import connection
from django.db.models.expressions import Col
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from seoulhub.radar.models import Article

from . import catalogue
from .snippets import highlight
from .sql import fetch, marks

# Other sources of a story listed on its result row; the article's own page lists them all.
ALSO_SHOWN = 5


@lru_cache(maxsize=None)
def _published_at_converters(vendor: str):
    field = Article._meta.get_field("published_at")
    expression = Col(Article._meta.db_table, field)
    return expression, connection.ops.get_db_converters(expression) + field.get_db_converters(connection)


def _published_at(value):
    expression, converters = _published_at_converters(connection.vendor)
    for convert in converters:
        value = convert(value, expression, connection)
    return value


def page_rows(ranking, ids: list[int]) -> list[dict]:
    """Rows for `ids` (one page of `ranking`), in that order; ids deleted since are left out."""
    if not ids:
        return []
    articles = {row[0]: row for row in fetch(
        "SELECT a.id, a.title, a.url, a.text, a.summary_html, a.language, a.published_at, a.source_id, s.name, "
        f"a.cluster_id FROM radar_article a JOIN radar_source s ON s.id = a.source_id WHERE a.id IN ({marks(ids)})",
        ids)}
    technologies = technology_slugs(list(articles))
    also, also_count = also_reported(ids, [row[9] for row in articles.values() if row[9]])
    terms = ranking.highlight_terms
    rows = []
    for doc_id in ids:
        if doc_id not in articles:
            continue
        _, title, url, text, summary_html, language, published_at, source_id, source_name, cluster_id = articles[doc_id]
        shown = also.get(cluster_id, []) if cluster_id else []
        count = also_count.get(cluster_id, 0) if cluster_id else 0
        rows.append({
            "id": doc_id,
            "title": title,
            "title_html": highlight(title, terms, width=1000),
            "snippet_html": highlight(text or strip_tags(summary_html or ""), terms),
            "url": url,
            "source": source_name,
            "source_id": source_id,
            "language": language,
            "published_at": _published_at(published_at),
            "technologies": technologies.get(doc_id, []),
            "score": round(ranking.scores.get(doc_id, 0.0), 6),
            "cluster_id": cluster_id,
            "also_reported_by": shown,
            "also_reported_count": count,
            "also_reported_more": count - len(shown),
            # The links as HTML, made once with the (cached) row: the template loop over them was
            # a third of the results fragment's rendering.
            "also_reported_html": _links(shown),
        })
    return rows


def _links(others: list[dict]) -> str:
    """The other sources as links, escaped as format_html_join would, with plain string building
    (format_html_join took ~1 ms of a page's 100 links)."""
    return mark_safe(", ".join(f'<a href="{escape(str(other["url"] or "#"))}" rel="noopener">{escape(str(other["source"]))}</a>'
                               for other in others))


def also_reported(page_ids: list[int], clusters: list[int]) -> tuple[dict[int, list[dict]], dict[int, int]]:
    """The first ALSO_SHOWN other articles of each story (oldest first, as the ORM orders
    published_at on each database) and how many others there are. Members are walked in the
    (cluster, published_at) index alone and only the shown ones are read: a story covered by a
    hundred sources costs five rows, not a hundred."""
    if not clusters:
        return {}, {}
    on_page = set(page_ids)
    shown: dict[int, list[int]] = {}
    counts: dict[int, int] = {}
    for member_id, cluster_id in fetch(f"SELECT id, cluster_id FROM radar_article WHERE cluster_id IN ({marks(clusters)}) "
                                       "ORDER BY cluster_id, published_at, id", clusters):
        if member_id in on_page:
            continue
        counts[cluster_id] = counts.get(cluster_id, 0) + 1
        if counts[cluster_id] <= ALSO_SHOWN:
            shown.setdefault(cluster_id, []).append(member_id)
    wanted = [i for members in shown.values() for i in members]
    details = {row[0]: row for row in fetch(
        "SELECT a.id, s.name, a.title, a.url FROM radar_article a JOIN radar_source s ON s.id = a.source_id "
        f"WHERE a.id IN ({marks(wanted)})", wanted)} if wanted else {}
    also = {cluster_id: [{"id": i, "source": details[i][1], "title": details[i][2], "url": details[i][3]}
                         for i in members if i in details]
            for cluster_id, members in shown.items()}
    return also, counts


def technology_slugs(ids: list[int]) -> dict[int, list[str]]:
    """Technology slugs of each article, highest score first: from the article columns, and from
    the database for ids the columns do not hold."""
    columns = catalogue.columns(refresh=False)
    known = columns.knows(np.asarray(ids, np.int64))
    by_article = {doc_id: columns.technologies_of(doc_id).tolist() for doc_id, k in zip(ids, known) if k}
    unknown = [doc_id for doc_id, k in zip(ids, known) if not k]
    if unknown:
        for article_id, technology_id in fetch(
                f"SELECT article_id, technology_id FROM radar_articletechnology WHERE article_id IN ({marks(unknown)}) "
                "ORDER BY article_id, score DESC, id", unknown):
            by_article.setdefault(article_id, []).append(technology_id)
    wanted = sorted({t for techs in by_article.values() for t in techs})
    slug = dict(fetch(f"SELECT id, slug FROM taxonomy_technology WHERE id IN ({marks(wanted)})", wanted)) if wanted else {}
    return {doc_id: [slug[t] for t in techs if t in slug] for doc_id, techs in by_article.items()}
