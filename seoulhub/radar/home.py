from seoulhub.core.cards import shared_figures

from .models import Article, Source


def figures() -> dict:
    return {
        "articles": Article.objects.count(),
        "digital": Article.objects.filter(is_digital=True).count(),
        "sources": Source.objects.filter(active=True).count(),
        "latest": list(Article.objects.filter(is_digital=True).select_related("source")
                       .order_by("-published_at", "-id")[:4]),
    }


def home_card(request) -> dict:
    return shared_figures("radar", figures)
