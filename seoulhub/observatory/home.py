from seoulhub.core.cards import shared_figures

from . import analysis
from .models import Policy


def figures() -> dict:
    table = analysis.indicator_table()
    top = [] if table.too_few else sorted([r for r in table.rows if r["count"]], key=lambda r: -r["count"])[:3]
    return {
        "policies": Policy.objects.count(),
        "top": top,
        "source": table.source,
        "stat_years": analysis.stat_years(),
        "proxy": table.proxy,
        "year": table.year,
    }


def home_card(request) -> dict:
    return shared_figures("observatory", figures)
