from seoulhub.core.cards import shared_figures

from .models import Article, Source


def figures() -> dict:
    return {
        "articles": Article.objects.count(),
        "digital": Article.objects.filter(is_digital=True).count(),
        "pending": Article.objects.filter(embedding=None).count(),
        "sources": Source.objects.filter(active=True).count(),
        # Dated items only: an item of unknown date (backfill) is not news of the moment.
        "latest": list(
            Article.objects.filter(is_digital=True, published_at__isnull=False)
            .select_related("source")
            .order_by("-published_at", "-id")[:4]
        ),
    }


def home_card(request) -> dict:
    return shared_figures("radar", figures)
