"""Figures shown to everyone on the home page, cached for a minute.

With a million articles, counting them on every home-page request cost more than the rest of the
page (docs/quality.md, load test). A card's shared figures may be a minute old; anything about
the signed-in user is always computed live by the card itself.
"""

from django.core.cache import cache
from django.utils import translation

HOME_FIGURES_SECONDS = 60


def shared_figures(name: str, compute):
    """compute() once a minute per language (the cache is shared by all processes with Redis)."""
    key = f"home-figures:{name}:{translation.get_language() or ''}"
    return cache.get_or_set(key, compute, HOME_FIGURES_SECONDS)
