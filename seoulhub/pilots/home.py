from seoulhub.core.cards import shared_figures

from . import lifecycle as lc
from .models import Demand, PastPilot, Proposal


def home_card(request) -> dict:
    return shared_figures("pilots", figures)


def figures() -> dict:
    open_demands = list(Demand.objects.open())
    return {
        # Examples are shown beside the count, never inside it.
        "open_demands": sum(1 for d in open_demands if not d.is_example),
        "example_demands": sum(1 for d in open_demands if d.is_example),
        "pilots": Proposal.objects.real().filter(state__in=lc.PILOT_STATES).count(),
        "latest": open_demands[0] if open_demands else None,
        "past_pilots": PastPilot.objects.count(),
    }
