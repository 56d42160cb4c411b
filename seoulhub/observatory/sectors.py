"""The digital-industry definition in the database: load the shipped file, derive rev. 9 codes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from seoulhub.taxonomy.models import KsicCode

from .definition import fold_prefixes, read_concordance, read_definition, translate
from .models import DigitalSector, DigitalSectorCode


def definition_path() -> Path:
    return Path(settings.DATA_DIR, "observatory", "digital_industry.json")


@lru_cache(maxsize=1)
def concordance_10_to_9() -> tuple[tuple[str, str], ...]:
    return tuple(read_concordance(Path(settings.DATA_DIR, "ksic", "ksic_10_to_9.csv")))


def load_definition(path: Path | None = None) -> dict[str, int]:
    """Create the sectors and rev. 10 codes of the file that are missing (operators' edits are
    kept), then rebuild the derived rev. 9 codes. Idempotent."""
    revision, sectors = read_definition(path or definition_path())
    created_sectors = created_codes = 0
    with transaction.atomic():
        for order, entry in enumerate(sectors):
            sector, was_created = DigitalSector.objects.get_or_create(
                slug=entry.slug,
                defaults={"name_ko": entry.name_ko, "name_en": entry.name_en, "note": entry.note, "order": order},
            )
            created_sectors += was_created
            if not was_created:
                continue
            for code in entry.codes:
                _c, made = DigitalSectorCode.objects.get_or_create(
                    revision=revision, code=code, defaults={"sector": sector}
                )
                created_codes += made
        derived = rebuild_derived_codes()
    return {"sectors created": created_sectors, "codes created": created_codes, "rev. 9 codes derived": derived}


def rebuild_derived_codes() -> int:
    """Replace every sector's derived rev. 9 codes by the translation of its rev. 10 codes.
    Returns the number of derived codes created (0 when nothing changed)."""
    rev9_codes = list(KsicCode.objects.filter(revision="9", level=5).values_list("code", flat=True))
    created = 0
    for sector in DigitalSector.objects.prefetch_related("codes"):
        prefixes = [c.code for c in sector.codes.all() if c.revision == "10"]
        wanted = set(translate(prefixes, concordance_10_to_9(), rev9_codes).compact) if prefixes else set()
        have = {c.code: c for c in sector.codes.all() if c.revision == "9" and c.derived}
        for code in set(have) - wanted:
            have[code].delete()
        for code in sorted(wanted - set(have)):
            # A code entered by hand in rev. 9 wins over a derived one.
            if not DigitalSectorCode.objects.filter(revision="9", code=code).exists():
                DigitalSectorCode.objects.create(sector=sector, revision="9", code=code, derived=True)
                created += 1
    return created


def partial_codes(sector: DigitalSector) -> list[str]:
    """Rev. 9 codes only partly in the sector (shown on the definition page, not counted)."""
    prefixes = sector.prefixes("10")
    return translate(prefixes, concordance_10_to_9()).partial if prefixes else []


def sector_prefixes() -> dict[str, dict[str, list[str]]]:
    """slug -> revision -> prefixes, for every active sector."""
    result: dict[str, dict[str, list[str]]] = {}
    for code in DigitalSectorCode.objects.filter(sector__active=True).select_related("sector"):
        result.setdefault(code.sector.slug, {}).setdefault(code.revision, []).append(code.code)
    return result


__all__ = ["fold_prefixes", "load_definition", "rebuild_derived_codes", "partial_codes", "sector_prefixes"]
