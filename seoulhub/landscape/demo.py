"""Demo data of the landscape: nothing of its own — it counts what the other apps loaded (real
firms, programmes, the example demands) and whatever articles the radar holds. A second run
finds nothing new to count, so the figures stay the same."""

from .models import TechnologyLandscape, TechnologyPair
from .refresh import refresh_landscape


def load(log) -> dict[str, int]:
    # load-demo runs alone, so articles need not settle before they are counted.
    refresh_landscape(log=lambda line: None, settle_seconds=0)
    return {
        "technologies": TechnologyLandscape.objects.count(),
        "with firms": TechnologyLandscape.objects.filter(firms__gt=0).count(),
        "technology pairs": TechnologyPair.objects.count(),
    }
