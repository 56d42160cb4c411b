from .loaders import load_districts, load_ksic, load_technologies
from .models import District, KsicCode, Technology


def load(log) -> dict[str, int]:
    return {
        "technologies created": load_technologies(Technology),
        "KSIC codes created": load_ksic(KsicCode),
        "districts created": load_districts(District),
    }
