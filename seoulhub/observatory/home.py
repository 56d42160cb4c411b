from seoulhub.core.cards import shared_figures

from . import analysis
from .models import Policy


def figures() -> dict:
    table = analysis.indicator_table()
    top = sorted([r for r in table.rows if r["count"]], key=lambda r: -r["count"])[:3]
    return {"policies": Policy.objects.count(), "top": top, "source": table.source, "stat_years": analysis.stat_years()}


def home_card(request) -> dict:
    return shared_figures("observatory", figures)
