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
ALL_INDUSTRIES = "all"
# KSIC section J (정보통신업) stands in for the digital industry where a year has only sections.
PROXY_SECTION = "J"
# 전국사업체조사 widened its scope from the 2020 reference year (household-based businesses,
# administrative data): Seoul's establishments jump by 47 % from 2019 to 2020, in every gu.
SURVEY_BREAK_YEAR = 2020
# Below these the registry view shows counts only: a share of "Seoul" computed from a handful of
# firms (1 firm = "100 % of Seoul", HHI 1.000) says nothing about Seoul.
MIN_REGISTRY_FIRMS = 30
MIN_REGISTRY_DISTRICTS = 5


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
    years: list[int] = field(default_factory=list)  # years with figures for this sector
    proxy: str = ""  # "J" when section J stands in for the digital industry
    series_break: bool = False  # growth compares years across the 2019->2020 survey change
    sources: list[dict] = field(default_factory=list)  # the imports the figures come from
    too_few: dict | None = None  # registry view below the minimum: counts only, no share or HHI

    def by_code(self) -> dict[str, dict]:
        return {row["adm_code"]: row for row in self.rows}


def find_district(code: str) -> District | None:
    """By administrative code (11680), else KOSTAT census code (where no administrative code has
    the same number: the schemes share 11140, 11170, 11200 and 11230), else Korean name."""
    return (
        District.objects.filter(adm_code=code).first()
        or District.objects.filter(kostat_code=code).first()
        or District.objects.filter(name_ko=code).first()
    )


def default_source() -> str:
    return STATS if IndustryStat.objects.exists() else REGISTRY


def stat_years() -> list[int]:
    # order_by() first: the model's default ordering would make DISTINCT return every row.
    return list(IndustryStat.objects.order_by("year").values_list("year", flat=True).distinct())


def proxy_label() -> str:
    return _("Information and communication (KSIC section J) as the digital industry")


def sector_choices(source: str) -> list[tuple[str, str]]:
    choices = [(ALL_DIGITAL, _("Digital industry (all sectors)"))]
    if source == STATS:
        choices.append((ALL_INDUSTRIES, _("All industries")))
    digital = [(f"digital:{s.slug}", s.name) for s in DigitalSector.objects.filter(active=True)]
    if source == STATS:  # a sector no imported file is fine enough for would be an empty map
        digital = [(key, label) for key, label in digital if sector_years(key)[0]]
    choices += digital
    if source == STATS:
        codes = (
            IndustryStat.objects.exclude(ksic_code=TOTAL)
            .values_list("revision", "ksic_code")
            .distinct()
            .order_by("revision", "ksic_code")
        )
        names = {(k.revision, k.code): k.name for k in KsicCode.objects.filter(level__lte=2)}
        for revision, code in codes:
            if len(code) <= 2:
                choices.append(
                    (f"ksic:{revision}:{code}", f"KSIC{revision} {code} {names.get((revision, code), '')}".strip())
                )
    return choices


def _prefixes_for(sector: str) -> dict[str, list[str]] | None:
    """revision -> prefixes for a digital sector key; None for a plain KSIC key."""
    if not sector.startswith("digital"):
        return None  # a plain KSIC key, or all industries
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
        "district_id", "revision", "ksic_code", measure
    ):
        values[district_id][(revision, code)] = value
    return values


def stat_counts(
    year: int, sector: str, measure: str, cache: dict | None = None
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
        if sector == ALL_INDUSTRIES:
            counts[district_id] = total
            continue
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


def _stat_keys(measure: str) -> dict[int, set[tuple[str, str]]]:
    keys: dict[int, set[tuple[str, str]]] = defaultdict(set)
    rows = IndustryStat.objects.filter(**{f"{measure}__isnull": False}).order_by()
    for year, revision, code in rows.values_list("year", "revision", "ksic_code").distinct():
        keys[year].add((revision, code))
    return keys


def sector_years(
    sector: str, measure: str = "establishments", cache: dict | None = None
) -> tuple[list[int], list[int]]:
    """(years with figures for the sector, years where only section J can stand in for it)."""
    keys = _memo(cache, ("keys", measure), lambda: _stat_keys(measure))
    prefixes = _memo(cache, ("prefixes", sector), lambda: _prefixes_for(sector))
    years, proxied = [], []
    for year in sorted(keys):
        codes = keys[year]
        if sector == ALL_INDUSTRIES:
            has = any(c == TOTAL or (len(c) == 1 and c.isalpha()) for _r, c in codes)
        elif prefixes is None:
            _kind, revision, code = sector.split(":")
            has = (revision, code) in codes
        else:
            has = any(c != TOTAL and any(c.startswith(p) for p in prefixes.get(r, [])) for r, c in codes)
            if not has and sector == ALL_DIGITAL and any(c == PROXY_SECTION for _r, c in codes):
                proxied.append(year)
                has = True
        if has:
            years.append(year)
    return years, proxied


def _proxy_key(year: int, measure: str, cache: dict | None) -> str:
    keys = _memo(cache, ("keys", measure), lambda: _stat_keys(measure))
    revision = next(r for r, c in sorted(keys[year]) if c == PROXY_SECTION)
    return f"ksic:{revision}:{PROXY_SECTION}"


def _sources(years: list[int]) -> list[dict]:
    from .models import StatImport

    ids = (
        IndustryStat.objects.filter(year__in=years)
        .exclude(source_import=None)
        .order_by()
        .values_list("source_import", flat=True)
        .distinct()
    )
    sources: dict[tuple[str, str], dict] = {}
    for run in StatImport.objects.filter(pk__in=list(ids)).order_by("-created_at"):
        sources.setdefault(
            (run.source or run.file_name, run.notes),
            {"source": run.source or run.file_name, "notes": run.notes, "imported": run.created_at},
        )
    return list(sources.values())


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
    rows = _memo(
        cache,
        "firms",
        lambda: list(Firm.objects.values_list("district_id", "ksic__revision", "ksic__code", "industry_text")),
    )
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


def indicator_table(
    source: str | None = None,
    year: int | None = None,
    sector: str = ALL_DIGITAL,
    measure: str = "establishments",
    cache: dict | None = None,
) -> IndicatorTable:
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
        years, proxied = sector_years(sector, measure, cache)
        table.years = years
        year = year if year in years else (years[-1] if years else None)
        table.year = year
        if year is None:
            counts, totals = {}, {}
        else:

            def counts_for(a_year):
                key = _proxy_key(a_year, measure, cache) if a_year in proxied else sector
                return stat_counts(a_year, key, measure, cache)

            counts, totals, incomplete = counts_for(year)
            if year in proxied:
                table.proxy = PROXY_SECTION
                table.sector_label = proxy_label()
            # Growth compares like with like: the previous year measured the same way.
            earlier_years = [y for y in years if y < year and (y in proxied) == (year in proxied)]
            if earlier_years:
                table.previous_year = earlier_years[-1]
                earlier, _t, _i = counts_for(table.previous_year)
                table.series_break = table.previous_year < SURVEY_BREAK_YEAR <= year
            table.sources = _memo(
                cache,
                ("sources", year, table.previous_year),
                lambda: _sources([y for y in (year, table.previous_year) if y]),
            )
    else:
        table.measure = "firms"
        counts, totals, facts = registry_counts(sector, cache)
        counts = {d.pk: counts.get(d.pk, 0) for d in districts}
        totals = {d.pk: totals.get(d.pk, 0) for d in districts}
        table.note = _(
            "Counts of firms in the hub's own registry, not official statistics: %(firms)s firms in the "
            "registry, %(without)s of them without a district (KRX listings give only a province), "
            "%(sector_without)s of those in this sector."
        ) % {
            "firms": facts["firms"],
            "without": facts["without_district"],
            "sector_without": facts["in_sector_without_district"],
        }
        in_sector = sum(counts.values())
        districts_in_sector = sum(1 for v in counts.values() if v)
        if in_sector < MIN_REGISTRY_FIRMS or districts_in_sector < MIN_REGISTRY_DISTRICTS:
            table.too_few = {
                "firms": facts["firms"],
                "with_district": facts["firms"] - facts["without_district"],
                "in_sector": in_sector,
                "districts": districts_in_sector,
                "min_firms": MIN_REGISTRY_FIRMS,
                "min_districts": MIN_REGISTRY_DISTRICTS,
            }
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
        table.rows.append(
            {
                **result.as_dict(),
                "adm_code": district.adm_code,
                "kostat_code": district.kostat_code,
                "name_ko": district.name_ko,
                "name_en": district.name_en,
                "name": district.name,
                "total": totals.get(district.pk),
                "incomplete": district.pk in incomplete,
            }
        )
    if sector == ALL_INDUSTRIES:  # the all-industry LQ is 1 everywhere by definition
        for row in table.rows:
            row["location_quotient"] = None
    if table.too_few:
        # Counts only: shares, LQ, ranks and concentration of a handful of firms would be noise.
        for row in table.rows:
            row.update(share_of_seoul=None, growth=None, annual_growth=None, location_quotient=None, rank=None)
        table.incomplete_districts = []
        return table
    table.summary = indicators.sector_summary({key[i]: v for i, v in counts.items() if i in by_id})
    table.incomplete_districts = [by_id[i].name for i in incomplete]
    return table


def plain_note(table: IndicatorTable) -> str:
    """The page's source caveats in one line, for API clients and exports."""
    parts = [table.note] if table.note else []
    parts += [f"source: {s['source']}" + (f" ({s['notes']})" if s["notes"] else "") for s in table.sources]
    if table.proxy:
        parts.append("only KSIC sections are available for this year: the digital industry is section J (정보통신업)")
    if table.series_break:
        parts.append(
            "growth crosses the 2019->2020 change of the 전국사업체조사 (household businesses counted from 2020)"
        )
    if table.too_few:
        parts.append(
            f"only {table.too_few['with_district']} of {table.too_few['firms']} firms have a district: "
            "counts only, no share, LQ, rank or concentration"
        )
    return "; ".join(parts)
