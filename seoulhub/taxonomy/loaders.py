"""Load the taxonomy, KSIC codes and Seoul's districts from the files in data/ (idempotent).

The functions take the model classes as arguments so that migrations can call them with
historical models.
"""

import csv
import json
from pathlib import Path

from django.conf import settings


def data_path(*parts: str) -> Path:
    return Path(settings.DATA_DIR, *parts)


def read_technologies(path: Path | None = None) -> list[dict]:
    path = path or data_path("taxonomy", "technologies.json")
    entries = json.loads(path.read_text(encoding="utf-8"))["technologies"]
    slugs = [entry["slug"] for entry in entries]
    duplicates = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicates:
        raise ValueError(f"{path}: duplicate technology slugs {sorted(duplicates)}")
    for entry in entries:
        if entry["parent"] is not None and entry["parent"] not in slugs:
            raise ValueError(f"{path}: {entry['slug']} names an unknown parent {entry['parent']!r}")
    return entries


def load_technologies(Technology, entries: list[dict] | None = None) -> int:
    """Create or update every technology in the file; returns the number created."""
    entries = entries if entries is not None else read_technologies()
    created = 0
    for entry in entries:
        _obj, was_created = Technology.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name_ko": entry["name_ko"],
                "name_en": entry["name_en"],
                "aliases_ko": entry.get("aliases_ko", []),
                "aliases_en": entry.get("aliases_en", []),
                "arxiv_categories": entry.get("arxiv", []),
                "ksic_codes": entry.get("ksic", []),
            },
        )
        created += was_created
    by_slug = {tech.slug: tech for tech in Technology.objects.all()}
    for entry in entries:
        tech = by_slug[entry["slug"]]
        parent = by_slug.get(entry["parent"]) if entry["parent"] else None
        if tech.parent_id != (parent.pk if parent else None):
            tech.parent = parent
            tech.save(update_fields=["parent"])
    return created


def load_ksic(KsicCode, path: Path | None = None) -> int:
    path = path or data_path("ksic", "ksicDB.csv")
    existing = set(KsicCode.objects.values_list("revision", "code"))
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            revision = row["ksic_C"].removeprefix("C")
            rows.append((revision, row["cd"].strip(), row["nm"].strip(), int(row["digit"])))
    new = [KsicCode(revision=r, code=c, name=n, level=lvl) for r, c, n, lvl in rows if (r, c) not in existing]
    KsicCode.objects.bulk_create(new, batch_size=500)
    # Parents: a code's parent is its longest proper prefix at the level above; sections
    # (letters) parent the two-digit divisions through their "(58~63)" range.
    by_key = {(k.revision, k.code): k for k in KsicCode.objects.all()}
    sections = {}
    for (revision, code), obj in by_key.items():
        if obj.level == 1:
            low, high = _section_range(obj.name)
            sections.setdefault(revision, []).append((low, high, obj))
    changed = []
    for (revision, code), obj in by_key.items():
        parent = None
        if obj.level == 2:
            for low, high, section in sections.get(revision, []):
                if low <= int(code) <= high:
                    parent = section
        elif obj.level > 2:
            parent = by_key.get((revision, code[:-1]))
        if parent is not None and obj.parent_id != parent.pk:
            obj.parent = parent
            changed.append(obj)
    KsicCode.objects.bulk_update(changed, ["parent"], batch_size=500)
    return len(new)


def _section_range(name: str) -> tuple[int, int]:
    # "정보통신업(58~63)" or "농업, 임업 및 어업 (01 ~ 03)" or "부동산업(68)"
    inside = name[name.rfind("(") + 1 : name.rfind(")")]
    parts = [p.strip() for p in inside.replace("~", " ").split()]
    numbers = [int(p) for p in parts if p.isdigit()]
    if not numbers:
        return (-1, -1)
    return (min(numbers), max(numbers))


def read_districts() -> list[dict]:
    """Seoul's 25 gu with both code schemes, joined on the Korean name."""
    juso = json.loads(data_path("seoul-maps", "juso2015_seoul_municipalities_geo_simple.json").read_text("utf-8"))
    kostat = json.loads(data_path("seoul-maps", "kostat2013_seoul_municipalities_geo_simple.json").read_text("utf-8"))
    kostat_by_name = {f["properties"]["name"]: f["properties"] for f in kostat["features"]}
    districts = []
    for feature in juso["features"]:
        props = feature["properties"]
        census = kostat_by_name[props["SIG_KOR_NM"]]
        districts.append(
            {
                "adm_code": props["SIG_CD"],
                "kostat_code": census["code"],
                "name_ko": props["SIG_KOR_NM"],
                "name_en": props["SIG_ENG_NM"],
            }
        )
    if len(districts) != 25:
        raise ValueError(f"expected Seoul's 25 districts, found {len(districts)}")
    return sorted(districts, key=lambda d: d["adm_code"])


def load_districts(District) -> int:
    created = 0
    for entry in read_districts():
        _obj, was_created = District.objects.update_or_create(adm_code=entry["adm_code"], defaults=entry)
        created += was_created
    return created
