"""Observatory: how fast statistics files are read and imported, indicators computed and the map
page served, plus what the digital-industry definition covers in the real KRX listing.

    seoulhub bench observatory --json [--years 10] [--codes 60]

The statistics file is GENERATED here in the sanup_num_wrk layout (25 gu x years x KSIC codes
with made-up counts): no real district x industry file is available. Its 2016 rows are
rejected by design (2016 was published under KSIC 9 and 10 and the file does not say which). Import and page timings
run inside a transaction that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _generated_file(districts, codes, years: int) -> bytes:
    rng = random.Random(7)
    lines = ["year,sgis_lv,sgis_cd,sgis_nm,sgis_si,sgis_gu,sgis_dong,indst_ctg,indst_cd,indst_nm,num_estbl,num_wrk"]
    for year in range(2019 - years + 1, 2020):
        for kostat, name in districts:
            lines.append(
                f"{year},2,{kostat},{name},서울특별시,{name},NULL,전체,NULL,전체,{rng.randint(10000, 80000)},{rng.randint(50000, 700000)}"
            )
            for code, label in codes:
                estbl = rng.randint(0, 3000)
                workers = "X" if estbl <= 2 else str(estbl * rng.randint(2, 12))
                lines.append(
                    f'{year},2,{kostat},{name},서울특별시,{name},NULL,소분류,{code},"{label}",{estbl},{workers}'
                )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _krx_coverage() -> dict:
    """Listed firms (real KRX KIND list) in the digital industry by the shipped definition,
    matching the listing's industry (a KSIC rev. 10 name) against the names under each prefix."""
    from seoulhub.observatory.definition import matches, read_definition
    from seoulhub.observatory.statsfile import normalise_name

    _rev, sectors = read_definition(REPO / "data" / "observatory" / "digital_industry.json")
    with (REPO / "data" / "ksic" / "ksicDB.csv").open(encoding="utf-8") as handle:
        names = [(row["cd"], normalise_name(row["nm"])) for row in csv.DictReader(handle) if row["ksic_C"] == "C10"]
    sector_of_name = {}
    for sector in sectors:
        for code, name in names:
            if matches(code, sector.codes):
                sector_of_name.setdefault(name, sector.slug)
    with (REPO / "data" / "krx" / "krx_listed_companies_2026-01_utf8.csv").open(encoding="utf-8") as handle:
        firms = list(csv.DictReader(handle))
    seoul = [f for f in firms if f["지역"].strip() == "서울특별시"]
    by_sector: dict[str, int] = {}
    for firm in seoul:
        slug = sector_of_name.get(normalise_name(firm["업종"]))
        if slug:
            by_sector[slug] = by_sector.get(slug, 0) + 1
    return {
        "listed_firms": len(firms),
        "listed_in_seoul": len(seoul),
        "seoul_digital": sum(by_sector.values()),
        "seoul_digital_by_sector": dict(sorted(by_sector.items())),
    }


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench observatory")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--codes", type=int, default=60, help="KSIC rev. 10 groups per gu and year")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from django.db import transaction
    from django.test import Client

    from seoulhub.observatory import indicators
    from seoulhub.observatory.importer import import_stats, section_names
    from seoulhub.observatory.sectors import load_definition
    from seoulhub.observatory.statsfile import parse_stats_file
    from seoulhub.taxonomy.models import District, KsicCode

    districts = list(District.objects.order_by("kostat_code").values_list("kostat_code", "name_ko"))
    codes = list(
        KsicCode.objects.filter(revision="10", level=3).order_by("code").values_list("code", "name")[: args.codes]
    )
    data = _generated_file(districts, codes, args.years)
    names = section_names()

    started = time.perf_counter()
    parsed = parse_stats_file(data, names)
    parse_seconds = time.perf_counter() - started

    rng = random.Random(3)
    counts = {str(i): rng.randint(0, 5000) for i in range(25)}
    totals = {d: v * 20 + 1000 for d, v in counts.items()}
    earlier = {d: max(v - rng.randint(-200, 200), 1) for d, v in counts.items()}
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        indicators.district_indicators(counts, totals, earlier)
        indicators.sector_summary(counts)
        timings.append(time.perf_counter() - started)

    result: dict = {
        "generated_file": {
            "rows": len(parsed.rows),
            "bytes": len(data),
            "years": args.years,
            "ksic_groups": len(codes),
            "note": "made-up counts in the sanup_num_wrk layout",
        },
        "parse_seconds": round(parse_seconds, 3),
        "parse_rows_per_second": round(len(parsed.rows) / parse_seconds),
        "indicators_25_gu_ms_median": round(statistics.median(timings) * 1000, 3),
        "krx_coverage": _krx_coverage(),
    }
    with transaction.atomic():
        load_definition()
        started = time.perf_counter()
        first = import_stats(data, "bench.csv")
        result["import_seconds"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        again = import_stats(data, "bench.csv")
        result["reimport_seconds"] = round(time.perf_counter() - started, 2)
        result["import"] = {
            "created": first.created,
            "rejected_lines": first.rejected,
            "reimport_created": again.created,
            "reimport_updated": again.updated,
            "reimport_unchanged": again.unchanged,
        }
        client = Client()
        page_times = {}
        for label, url in [
            ("map_page", "/observatory/?sector=digital&value=location_quotient"),
            ("district_profile", "/observatory/districts/11680/"),
            ("api_indicators", "/api/v1/indicators?sector=digital:software&limit=25"),
            ("xlsx_export", "/observatory/export.xlsx?sector=digital"),
        ]:
            samples = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
            page_times[label] = round(statistics.median(samples) * 1000, 1)
        result["response_ms_median"] = page_times
        transaction.set_rollback(True)
    return result
