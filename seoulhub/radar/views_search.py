from urllib.parse import quote

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seoulhub.core.params import parse_int
from seoulhub.taxonomy.models import Technology

from .models import Source
from .search import service

PAGE_SIZE = 20


def filters_from(request) -> tuple[service.SearchFilters, list[str]]:
    """Filters from the query string; unusable values are dropped with a message, never fatal."""
    problems = []
    tech = request.GET.get("tech", "").strip()
    if tech and not Technology.objects.filter(slug=tech).exists():
        problems.append(_("Unknown technology “%(tech)s” was ignored.") % {"tech": tech})
        tech = ""
    source = request.GET.get("source", "").strip()
    source_id = parse_int(source)
    if source_id is not None and not Source.objects.filter(id=source_id).exists():
        source_id = None
    if source and source_id is None:
        problems.append(_("Unknown source was ignored."))
    dates = {}
    for name in ("since", "until"):
        raw = request.GET.get(name, "").strip()
        try:
            dates[name] = parse_date(raw) if raw else None
        except ValueError:
            dates[name] = None
        if raw and dates[name] is None:
            problems.append(_("The date “%(date)s” is not YYYY-MM-DD and was ignored.") % {"date": raw})
    lang = request.GET.get("lang", "").strip()
    if lang not in ("", "ko", "en"):
        lang = ""
    return service.SearchFilters(tech=tech, lang=lang, source=source_id, **dates), problems


@require_GET
def search(request):
    q = request.GET.get("q", "")
    filters, problems = filters_from(request)
    try:
        ranking = service.rank(q, filters)
    except ValueError as exc:
        problems.append(str(exc))
        ranking = service.rank("", filters)
    paginator = Paginator(service.RankedPage(ranking), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "q": ranking.query,
        "q_url": quote(ranking.query, safe="/"),  # as |urlencode, once rather than per link
        "filters": filters,
        "problems": problems,
        "page": page,
        "rows": page.object_list,
        "ranking": ranking,
        "facets": service.facets(ranking),
        "params": params.urlencode(),
        "technology": Technology.objects.filter(slug=filters.tech).first() if filters.tech else None,
        "source": Source.objects.filter(id=filters.source).first() if filters.source else None,
    }
    context["filtered"] = bool(
        context["technology"] or context["source"] or filters.lang or filters.since or filters.until
    )
    template = "radar/search/_results.html" if request.htmx else "radar/search/search.html"
    return render(request, template, context)
