"""Home-page card: how many technologies rise worldwide now, and the largest gaps in Seoul."""

from django.utils.translation import gettext_lazy as _

from seoulhub.core.cards import shared_figures

from .models import TechnologyLandscape

# Title and description of the home page's landscape area (kept here so they live in this app's catalogue).
SECTION = (
    _("Landscape"),
    _("What rises in the world against what Seoul has: firms, programmes and pilots per technology."),
)


def home_card(request) -> dict:
    return shared_figures("landscape", figures)


def figures() -> dict:
    rows = TechnologyLandscape.objects.filter(technology__active=True).select_related("technology")
    rising = rows.filter(significant=True, rising__gt=0)
    return {
        "rising": rising.count(),
        "gaps": list(rising.filter(gap__gt=0).order_by("-gap")[:3]),
        "most_firms": list(rows.filter(firms__gt=0).order_by("-firms")[:3]),
        "subscribers": _briefing_subscribers(),
        "refreshed": rows.exclude(local_refreshed_at=None)
        .order_by("-local_refreshed_at")
        .values_list("local_refreshed_at", flat=True)
        .first(),
    }


def _briefing_subscribers() -> int:
    from seoulhub.alerts.models import Subscription

    return Subscription.objects.filter(briefings__isnull=False).distinct().count()
