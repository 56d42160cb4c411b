from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seoulhub.accounts.roles import is_operator
from seoulhub.core.params import parse_int
from seoulhub.taxonomy.models import Technology

from .models import Article, ArticleTechnology, Source
from .opml import OpmlFeed, build_opml

PAGE_SIZE = 30


def _with_technologies(queryset):
    links = ArticleTechnology.objects.select_related("technology").order_by("-score")
    return queryset.select_related("source").prefetch_related(Prefetch("technology_links", queryset=links))


@require_GET
def index(request):
    """Latest articles; digital-technology items only unless ?all=1; filters by language, technology, source."""
    articles = Article.objects.all()
    show_all = request.GET.get("all") == "1"
    if not show_all:
        articles = articles.filter(is_digital=True)
    language = request.GET.get("language", "")
    if language in ("ko", "en"):
        articles = articles.filter(language=language)
    tech = None
    if slug := request.GET.get("technology", ""):
        tech = Technology.objects.filter(slug=slug).first()
        if tech:
            articles = articles.filter(technology_links__technology=tech)
    source = None
    if (source_id := parse_int(request.GET.get("source"))) is not None:
        source = Source.objects.filter(pk=source_id).first()
        if source:
            articles = articles.filter(source=source)
    page = Paginator(
        _with_technologies(articles.order_by(F("published_at").desc(nulls_last=True), "-id")), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "radar/index.html",
        {
            "page": page,
            "show_all": show_all,
            "language": language,
            "technology": tech,
            "source": source,
            "technologies": Technology.objects.filter(active=True).order_by("slug"),
            "total": Article.objects.count(),
            "digital": Article.objects.filter(is_digital=True).count(),
            "pending": Article.objects.filter(embedding=None).count(),
            "sources": Source.objects.count(),
        },
    )


@require_GET
def article_detail(request, pk: int):
    article = get_object_or_404(_with_technologies(Article.objects.all()), pk=pk)
    also = []
    if article.cluster_id:
        also = list(
            Article.objects.filter(cluster_id=article.cluster_id)
            .exclude(pk=article.pk)
            .select_related("source")
            .order_by("published_at", "id")
        )
    # The story's reports in the other of Korean / English (joined by the cross-lingual story join).
    also_in_languages = [
        (label, [other for other in also if other.language == code])
        for code, label in (("ko", _("Also reported in Korean")), ("en", _("Also reported in English")))
        if code != article.language and any(other.language == code for other in also)
    ]
    return render(
        request, "radar/article_detail.html", {"article": article, "also": also, "also_in_languages": also_in_languages}
    )


def opml_download(sources, filename: str, disposition: str = "inline") -> HttpResponse:
    """The web feeds among `sources` as an OPML 2.0 file (local demo files are not feeds)."""
    feeds = [
        OpmlFeed(
            title=s.name,
            xml_url=s.url,
            html_url=s.site_url,
            language=s.language_hint,
            kind=s.kind if s.kind != Source.Kind.FILE else "rss",
        )
        for s in sources
        if s.url.startswith(("http://", "https://"))
    ]
    response = HttpResponse(build_opml(feeds), content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def sources_opml(request):
    """Every active feed source as OPML 2.0."""
    return opml_download(Source.objects.filter(active=True).order_by("name"), "seoulhub-radar-sources.opml")


@require_GET
def source_health(request):
    """Operators: every source with its health; paused and failing ones first."""
    if not is_operator(request.user):
        raise PermissionDenied(_("Only operators can see source health."))
    sources = list(Source.objects.all())
    sources.sort(key=lambda s: (s.paused_at is None, s.consecutive_errors == 0, s.name))
    return render(
        request,
        "radar/source_health.html",
        {
            "sources": sources,
            "paused": sum(1 for s in sources if s.paused_at),
            "failing": sum(1 for s in sources if s.consecutive_errors),
        },
    )
