import json

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seoulhub.taxonomy.models import Technology
from seoulhub.trends import terms

from . import trend_figures
from .models import Granularity, TrendKind


def _granularity(request) -> str:
    value = request.GET.get("granularity", Granularity.MONTH)
    return value if value in Granularity.values else Granularity.MONTH


def _chart(periods, series: dict[str, list[int]]) -> str:
    """Plotly figure data as JSON for the page's script (no server-side plotly needed)."""
    return json.dumps(
        [
            {"type": "scatter", "mode": "lines+markers", "name": name, "x": periods, "y": values}
            for name, values in series.items()
        ],
        ensure_ascii=False,
    )


@require_GET
def rising(request):
    granularity = _granularity(request)
    technologies = trend_figures.rising(TrendKind.TECHNOLOGY, granularity, limit=15)
    keywords = trend_figures.rising(TrendKind.KEYWORD, granularity, limit=25)
    names = {t.slug: t for t in Technology.objects.filter(slug__in=[i["term"] for i in technologies["items"]])}
    for item in technologies["items"]:
        item["technology"] = names.get(item["term"])
    return render(
        request,
        "radar/trends/rising.html",
        {
            "granularity": granularity,
            "technologies": technologies,
            "keywords": keywords,
            "min_keyword": terms.MIN_RECENT_KEYWORD,
            # Shares (items per 1,000), not counts: the newest period is often partial, and a count
            # would show its few days as a fall.
            "tech_chart": _chart(
                technologies["periods"],
                {
                    (names[i["term"]].name if i["term"] in names else i["term"]): i["shares"]
                    for i in technologies["items"][:8]
                },
            ),
            "keyword_chart": _chart(keywords["periods"], {i["term"]: i["shares"] for i in keywords["items"][:8]}),
        },
    )


@require_GET
def technology(request, slug: str):
    tech = get_object_or_404(Technology, slug=slug, active=True)
    granularity = _granularity(request)
    line = trend_figures.timeline(TrendKind.TECHNOLOGY, slug, granularity)
    return render(
        request,
        "radar/trends/technology.html",
        {
            "technology": tech,
            "granularity": granularity,
            "timeline": line,
            "chart": _chart(line["periods"], {tech.name: line["counts"]}),
            "rows": list(zip(line["periods"], line["counts"], line["shares"])),
            "stories": trend_figures.top_stories(slug),
        },
    )


@require_GET
def keyword(request):
    term = request.GET.get("term", "").strip()[:100]
    if not term:
        raise Http404(_("Name a keyword with ?term="))
    granularity = _granularity(request)
    line = trend_figures.timeline(TrendKind.KEYWORD, term, granularity)
    return render(
        request,
        "radar/trends/keyword.html",
        {
            "term": term,
            "granularity": granularity,
            "timeline": line,
            "chart": _chart(line["periods"], {term: line["counts"]}),
            "rows": list(zip(line["periods"], line["counts"], line["shares"])),
        },
    )
