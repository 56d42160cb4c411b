"""The rows and facets of a search results page, rendered in Python.

A fresh results page spent a quarter of its CPU in the template language's loops over its twenty
rows and its facets (about 500 variable lookups, each escaped through a lazy-string check). These
tags write the same HTML with plain string building; the template keeps the page's structure and
the `{% cache %}` around both, so a cached page does not call them at all (docs/decisions-search.md
section 13). Everything not already HTML is escaped here, as the template language would.
"""

from html import escape

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext

register = template.Library()


def _escape(value) -> str:
    """As the template language escapes a value: text and attribute values alike (quotes too)."""
    return escape(str(value))


def _row(row: dict, q: str, also_label: str, tech_names: dict) -> str:
    parts = [f'<article class="hit" lang="{_escape(row["language"] or "ko")}">\n',
             f'<h2><a href="{_escape(row["url"] or "#")}" rel="noopener">{row["title_html"]}</a></h2>\n',
             f'<p class="muted">{_escape(row["source"])}']
    published = row["published_at"]
    if published:
        # What the date filter writes for "c" and "Y-m-d", without its format lookup per call.
        local = template_localtime(published)
        parts.append(f' · <time datetime="{local.isoformat()}">{local.year:04d}-{local.month:02d}-{local.day:02d}</time>')
    for slug in row["technologies"]:
        label = _escape(tech_names.get(slug, slug))
        slug = _escape(slug)
        parts.append(f' <a class="tag" href="?q={q}&amp;tech={slug}">{label}</a>')
    parts.append(f'</p>\n<p>{row["snippet_html"]}</p>\n')
    if row["also_reported_by"]:
        parts.append(f'<p class="muted">{also_label}:\n{row["also_reported_html"]}\n')
        more = row["also_reported_more"]
        if more > 0:
            link = reverse("radar:article", args=[row["id"]])
            label = ngettext("and %(more)s more", "and %(more)s more", more) % {"more": more}
            parts.append(f'<a href="{link}#also-reported">{label}</a>')
        parts.append("</p>")
    parts.append("\n</article>\n")
    return "".join(parts)


@register.simple_tag
def result_rows(rows, q_url: str) -> str:
    """The <article> of each row; `title_html`, `snippet_html` and `also_reported_html` are
    already-escaped HTML made with the row (rows.py), everything else is escaped here."""
    q, also_label = _escape(q_url), _escape(gettext("Also reported by"))
    # Tags read as the technology's name in the page's language (as on the radar), not its slug.
    from seoulhub.taxonomy.models import Technology

    name_field = "name_en" if get_language() == "en" else "name_ko"
    tech_names = dict(Technology.objects.values_list("slug", name_field)) if rows else {}
    return mark_safe("".join(_row(row, q, also_label, tech_names) for row in rows))


def _facet_item(href: str, label: str, count: int) -> str:
    return f'<li><a href="{href}">{_escape(label)}</a> <span class="muted">{intcomma(count)}</span></li>'


@register.simple_tag
def result_facets(facets: dict, q_url: str, filters, filtered: bool, language_code: str) -> str:
    """The facet links beside the rows (technology, language, source, month), each keeping the
    query; a technology link keeps the language filter and a language link the technology."""
    q = _escape(q_url)
    lang = f"&amp;lang={_escape(filters.lang)}" if filters.lang else ""
    tech = f"&amp;tech={_escape(filters.tech)}" if filters.tech else ""
    # gettext outside the f-strings: makemessages (xgettext) does not look inside them.
    refine, clear, technology, none = gettext("Refine"), gettext("Clear filters"), gettext("Technology"), gettext("none")
    language, source, month = gettext("Language"), gettext("Source"), gettext("Month")
    parts = [f'<aside class="facets" aria-label="{_escape(refine)}">\n']
    if filtered:
        parts.append(f'<p><a href="?q={q}">{_escape(clear)}</a></p>\n')
    parts.append(f'<section class="facet"><h3>{_escape(technology)}</h3><ul>\n')
    for f in facets["technology"]:
        label = f["label_en"] if language_code == "en" else f["label_ko"]
        parts.append(_facet_item(f"?q={q}&amp;tech={_escape(f['value'])}{lang}", label, f["count"]))
    if not facets["technology"]:
        parts.append(f'<li class="muted">{_escape(none)}</li>')
    parts.append(f'</ul></section>\n<section class="facet"><h3>{_escape(language)}</h3><ul>\n')
    names = {"ko": gettext("Korean"), "en": gettext("English")}
    for f in facets["language"]:
        label = names.get(f["value"]) or f["value"] or "?"
        parts.append(_facet_item(f"?q={q}&amp;lang={_escape(f['value'])}{tech}", label, f["count"]))
    parts.append(f'</ul></section>\n<section class="facet"><h3>{_escape(source)}</h3><ul>\n')
    for f in facets["source"]:
        parts.append(_facet_item(f"?q={q}&amp;source={_escape(f['value'])}", f["label"], f["count"]))
    parts.append(f'</ul></section>\n<section class="facet"><h3>{_escape(month)}</h3><ul>\n')
    for f in facets["month"]:
        parts.append(f'<li>{_escape(f["value"])} <span class="muted">{intcomma(f["count"])}</span></li>')
    parts.append("</ul></section>\n</aside>\n")
    return mark_safe("".join(parts))
