"""Counts per district from the database, handed to the pure indicator maths.

Two sources, never mixed: imported statistics (IndustryStat, establishments or workers), and —
until statistics are imported — the hub's own firm registry (support.Firm with a district),
which is labelled as such everywhere it is shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

from seoulhub.taxonomy.models import District, KsicCode

from . import indicators
from .definition import aggregate_by_prefixes, matches
from .models import DigitalSector, IndustryStat
from .sectors import sector_prefixes
from .statsfile import TOTAL, normalise_name

STATS, REGISTRY = "stats", "registry"
MEASURES = ("establishments", "workers")
ALL_DIGITAL = "digital"


@dataclass
class IndicatorTable:
    source: str
    year: int | None
    sector: str
    sector_label: str
    measure: str
    rows: list[dict] = field(default_factory=list)
    summary: indicators.SectorSummary | None = None
    incomplete_districts: list[str] = field(default_factory=list)
    note: str = ""
    previous_year: int | None = None

    def by_code(self) -> dict[str, dict]:
        return {row["adm_code"]: row for row in self.rows}


def find_district(code: str) -> District | None:
    """By administrative code (11680), else KOSTAT census code (where no administrative code has
    the same number: the schemes share 11140, 11170, 11200 and 11230), else Korean name."""
    return (District.objects.filter(adm_code=code).first() or District.objects.filter(kostat_code=code).first()
            or District.objects.filter(name_ko=code).first())


def default_source() -> str:
    return STATS if IndustryStat.objects.exists() else REGISTRY


def stat_years() -> list[int]:
    # order_by() first: the model's default ordering would make DISTINCT return every row.
    return list(IndustryStat.objects.order_by("year").values_list("year", flat=True).distinct())


def sector_choices(source: str) -> list[tuple[str, str]]:
    choices = [(ALL_DIGITAL, _("Digital industry (all sectors)"))]
    choices += [(f"digital:{s.slug}", s.name) for s in DigitalSector.objects.filter(active=True)]
    if source == STATS:
        codes = (IndustryStat.objects.exclude(ksic_code=TOTAL).values_list("revision", "ksic_code").distinct()
                 .order_by("revision", "ksic_code"))
        names = {(k.revision, k.code): k.name for k in KsicCode.objects.filter(level__lte=2)}
        for revision, code in codes:
            if len(code) <= 2:
                choices.append((f"ksic:{revision}:{code}", f"KSIC{revision} {code} {names.get((revision, code), '')}".strip()))
    return choices


def _prefixes_for(sector: str) -> dict[str, list[str]] | None:
    """revision -> prefixes for a digital sector key; None for a plain KSIC key."""
    if not sector.startswith("digital"):
        return None
    by_slug = sector_prefixes()
    slugs = list(by_slug) if sector == ALL_DIGITAL else [sector.split(":", 1)[1]]
    merged: dict[str, list[str]] = defaultdict(list)
    for slug in slugs:
        for revision, prefixes in by_slug.get(slug, {}).items():
            merged[revision].extend(prefixes)
    return merged


def _memo(cache: dict | None, key, compute):
    """Per-request memo: a page that shows several sectors or years reads each year once."""
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _year_values(year: int, measure: str) -> dict[int, dict[tuple[str, str], int | None]]:
    values: dict[int, dict[tuple[str, str], int | None]] = defaultdict(dict)
    for district_id, revision, code, value in IndustryStat.objects.filter(year=year).values_list(
            "district_id", "revision", "ksic_code", measure):
        values[district_id][(revision, code)] = value
    return values


def stat_counts(year: int, sector: str, measure: str, cache: dict | None = None
                ) -> tuple[dict[int, int | None], dict[int, int | None], set[int]]:
    """(sector counts, all-industry totals, districts with incomplete counts), by district id."""
    values = _memo(cache, ("year", year, measure), lambda: _year_values(year, measure))
    prefixes = _memo(cache, ("prefixes", sector), lambda: _prefixes_for(sector))
    counts, totals, incomplete = {}, {}, set()
    for district_id, by_code in values.items():
        total = next((v for (r, c), v in by_code.items() if c == TOTAL), None)
        if total is None:
            sections = [v for (r, c), v in by_code.items() if c.isalpha() and len(c) == 1 and c != TOTAL]
            total = sum(v for v in sections if v is not None) if sections and None not in sections else None
        totals[district_id] = total
        if prefixes is None:
            _kind, revision, code = sector.split(":")
            counts[district_id] = by_code.get((revision, code))
            continue
        count, complete, found = 0, True, False
        for revision, revision_prefixes in prefixes.items():
            codes = {c: v for (r, c), v in by_code.items() if r == revision and c != TOTAL}
            value, ok = aggregate_by_prefixes(codes, revision_prefixes)
            if value is not None:
                found = True
                count += value
                complete = complete and ok
        counts[district_id] = count if found else None
        if found and not complete:
            incomplete.add(district_id)
    return counts, totals, incomplete


def codes_wholly_inside(prefixes: list[str], codes: list[str]) -> set[str]:
    """Codes (any level) all of whose 5-digit descendants fall under the prefixes: a firm coded
    at division 62 is in a sector defined as group 620, since 62 has no other group."""
    leaves_by_division: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        if len(code) == 5:
            leaves_by_division[code[:2]].append(code)
    inside = set()
    for code in codes:
        if not code.isdigit():
            continue
        below = [leaf for leaf in leaves_by_division.get(code[:2], []) if leaf.startswith(code)]
        if below and all(matches(leaf, prefixes) for leaf in below):
            inside.add(code)
    return inside


def digital_firm_filter(prefixes: dict[str, list[str]]):
    """A predicate telling whether a firm (its KSIC code, else its industry text) is in the sector."""
    inside: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for revision in ("9", "10"):
        revision_prefixes = prefixes.get(revision, [])
        rows = list(KsicCode.objects.filter(revision=revision).values_list("code", "name"))
        inside[revision] = codes_wholly_inside(revision_prefixes, [code for code, _name in rows])
        # Sources spell names with or without spaces ("전자부품 제조업" vs KSIC's "전자 부품 제조업").
        names[revision] = {normalise_name(name) for code, name in rows if code in inside[revision]}

    def is_in(ksic_revision: str | None, ksic_code: str | None, industry_text: str) -> bool:
        if ksic_code:
            revision = ksic_revision or "10"
            return matches(ksic_code, prefixes.get(revision, [])) or ksic_code in inside.get(revision, set())
        return bool(industry_text) and normalise_name(industry_text) in names["10"]
    return is_in


def registry_counts(sector: str, cache: dict | None = None) -> tuple[dict[int, int], dict[int, int], dict]:
    """Firms of the registry per district id in the sector, all registry firms per district,
    and facts about the registry (total, without district)."""
    Firm = apps.get_model("support", "Firm")
    rows = _memo(cache, "firms", lambda: list(Firm.objects.values_list("district_id", "ksic__revision", "ksic__code", "industry_text")))
    prefixes = _prefixes_for(sector) if sector.startswith("digital") else None
    is_in = digital_firm_filter(prefixes) if prefixes is not None else None
    counts: dict[int, int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    facts = {"firms": 0, "without_district": 0, "in_sector_without_district": 0}
    for district_id, revision, code, text in rows:
        facts["firms"] += 1
        inside = is_in(revision, code, text) if is_in else False
        if district_id is None:
            facts["without_district"] += 1
            facts["in_sector_without_district"] += inside
            continue
        totals[district_id] += 1
        counts[district_id] += inside
    return counts, totals, facts


def indicator_table(source: str | None = None, year: int | None = None, sector: str = ALL_DIGITAL,
                    measure: str = "establishments", cache: dict | None = None) -> IndicatorTable:
    source = source if source in (STATS, REGISTRY) else _memo(cache, "source", default_source)
    measure = measure if measure in MEASURES else "establishments"
    labels = dict(_memo(cache, ("choices", source), lambda: sector_choices(source)))
    if sector not in labels:
        sector = ALL_DIGITAL
    districts = _memo(cache, "districts", lambda: list(District.objects.order_by("adm_code")))
    table = IndicatorTable(source=source, year=None, sector=sector, sector_label=labels[sector], measure=measure)
    earlier: dict[int, int | None] = {}
    incomplete: set[int] = set()
    if source == STATS:
        years = _memo(cache, "years", stat_years)
        year = year if year in years else (years[-1] if years else None)
        table.year = year
        if year is None:
            counts, totals = {}, {}
        else:
            counts, totals, incomplete = stat_counts(year, sector, measure, cache)
            earlier_years = [y for y in years if y < year]
            if earlier_years:
                table.previous_year = earlier_years[-1]
                earlier, _t, _i = stat_counts(table.previous_year, sector, measure, cache)
    else:
        table.measure = "firms"
        counts, totals, facts = registry_counts(sector, cache)
        counts = {d.pk: counts.get(d.pk, 0) for d in districts}
        totals = {d.pk: totals.get(d.pk, 0) for d in districts}
        table.note = _(
            "Counts of firms in the hub's own registry, not official statistics: %(firms)s firms in the "
            "registry, %(without)s of them without a district (KRX listings give only a province), "
            "%(sector_without)s of those in this sector."
        ) % {"firms": facts["firms"], "without": facts["without_district"], "sector_without": facts["in_sector_without_district"]}
    by_id = {d.pk: d for d in districts}
    key = {d.pk: d.adm_code for d in districts}
    results = indicators.district_indicators(
        {key[d.pk]: counts.get(d.pk) for d in districts},
        {key[d.pk]: totals.get(d.pk) for d in districts},
        {key[d.pk]: earlier.get(d.pk) for d in districts},
        years_between=(table.year - table.previous_year) if table.previous_year and table.year else 1,
    )
    by_code = {d.adm_code: d for d in districts}
    for result in results:
        district = by_code[result.district]
        table.rows.append({**result.as_dict(), "adm_code": district.adm_code, "kostat_code": district.kostat_code,
                           "name_ko": district.name_ko, "name_en": district.name_en, "name": district.name,
                           "total": totals.get(district.pk), "incomplete": district.pk in incomplete})
    table.summary = indicators.sector_summary({key[i]: v for i, v in counts.items() if i in by_id})
    table.incomplete_districts = [by_id[i].name for i in incomplete]
    return table
