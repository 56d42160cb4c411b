from datetime import datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from .models import Article, ArticleTechnology, Source
from .ingest.process import classify_text, final_verdict

router = Router(tags=["radar"])


class TechnologyScoreOut(Schema):
    slug: str
    score: float
    evidence: list[str] = []


class AlsoReportedByOut(Schema):
    id: int
    title: str
    source: str
    url: str


class ArticleOut(Schema):
    id: int
    title: str
    url: str
    canonical_url: str
    source: str
    source_id: int
    language: str
    published_at: datetime | None
    summary_html: str
    keywords: list[str]
    relevance: float
    is_digital: bool
    cluster_id: int | None
    technologies: list[TechnologyScoreOut]
    also_reported_by: list[AlsoReportedByOut]


class SourceOut(Schema):
    id: int
    name: str
    url: str
    kind: str
    language_hint: str
    active: bool
    paused: bool
    last_success_at: datetime | None
    consecutive_errors: int
    last_error: str
    fetch_interval_minutes: int
    items_seen: int


class ClassifyIn(Schema):
    title: str = ""
    text: str = ""


class ClassifyOut(Schema):
    language: str
    digital: bool
    relevance: float
    technologies: list[TechnologyScoreOut]


@router.get(
    "/articles/{int:article_id}", response=ArticleOut, summary="One radar article with technologies and evidence"
)
def get_article(request, article_id: int):
    article = Article.objects.select_related("source").filter(pk=article_id).first()
    if article is None:
        raise Http404(f"No article {article_id}.")
    links = ArticleTechnology.objects.filter(article=article).select_related("technology").order_by("-score")
    also = []
    if article.cluster_id:
        also = [
            {"id": a.pk, "title": a.title, "source": a.source.name, "url": a.url}
            for a in Article.objects.filter(cluster_id=article.cluster_id)
            .exclude(pk=article.pk)
            .select_related("source")
            .order_by("published_at")
        ]
    return {
        "id": article.pk,
        "title": article.title,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source.name,
        "source_id": article.source_id,
        "language": article.language,
        "published_at": article.published_at,
        "summary_html": article.summary_html,
        "keywords": article.keywords,
        "relevance": article.relevance,
        "is_digital": article.is_digital,
        "cluster_id": article.cluster_id,
        "technologies": [
            {"slug": link.technology.slug, "score": link.score, "evidence": link.evidence} for link in links
        ],
        "also_reported_by": also,
    }


@router.get("/sources", response=list[SourceOut], summary="Radar sources with their health")
@paginate
def list_sources(request, paused: bool | None = None):
    sources = Source.objects.order_by("name")
    if paused is not None:
        sources = sources.filter(paused_at__isnull=not paused)
    return [
        {
            **{
                f: getattr(s, f)
                for f in (
                    "id",
                    "name",
                    "url",
                    "kind",
                    "language_hint",
                    "active",
                    "last_success_at",
                    "consecutive_errors",
                    "last_error",
                    "fetch_interval_minutes",
                    "items_seen",
                )
            },
            "paused": s.paused_at is not None,
        }
        for s in sources
    ]


@router.post("/classify", response=ClassifyOut, summary="Classify a text: language, digital relevance, technologies")
def classify(request, payload: ClassifyIn):
    from seoulhub.text import embed

    title, text = payload.title[:2000], payload.text[:20000]
    verdict = classify_text(title, text)
    # One vector (~10 ms) gives the final learned verdict, as `seoulhub classify` does.
    vector = embed.embed([f"{title}. {text[:300]}"])[0]
    verdict["relevance"], verdict["digital"] = final_verdict(
        verdict["evidence_features"], vector, verdict["language"], title=title, text=text
    )
    return {
        "language": verdict["language"],
        "digital": verdict["digital"],
        "relevance": verdict["relevance"],
        "technologies": [m.as_dict() for m in verdict["technologies"]],
    }


from .api_search import router as search_router  # noqa: E402  (search, trends)

router.add_router("", search_router)
