"""Quality and speed of the per-item classification (`seoulhub classify --fast`, the ingest
pipeline's pass) on real labelled data: precision, recall, F1, seconds.

    seoulhub bench classify --json [--tag-threshold 0.4] [--final]

1. KLUE-YNAT (4,554 Yonhap headlines, data/relevance/klue-ynat-dev-odd-rows.csv): predicted
   `digital` against the gold label IT과학 (all other six sections negative). IT과학 also holds
   science and medicine headlines. The verdict timed here is the provisional one (alias
   evidence, text.relevance), which the ingest pipeline stores per item. The final
   verdict needs the sentence vector, which the radar computes in its embedding job (its cost is
   in `bench ingest --embed-sample`); --final adds it here (embedding timed apart, `embed_seconds`).
   The shipped model was trained on this file, so these rows are in-sample; the held-out figures
   are the ones `seoulhub train-relevance` prints (docs/quality.md).
2. arXiv (the 4,732 records of 2025-10 with abstracts, data/arxiv): for every technology with an
   arXiv category in the taxonomy, predicted tag (title + abstract only; the categories are not
   shown to the classifier) against "the paper carries that category". Micro and macro averages
   over technologies with at least 30 gold papers. Also the share of papers called digital.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KLUE_PATH = REPO / "data" / "relevance" / "klue-ynat-dev-odd-rows.csv"


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _counts(predicted: list[bool], gold: list[bool]) -> dict:
    counts = {"all": [0, 0, 0], "even_positions": [0, 0, 0], "odd_positions": [0, 0, 0]}
    for n, (p, g) in enumerate(zip(predicted, gold)):
        for key in ("all", "even_positions" if n % 2 == 0 else "odd_positions"):
            c = counts[key]
            c[0] += p and g
            c[1] += p and not g
            c[2] += g and not p
    return {k: prf(*v) for k, v in counts.items()}


def klue(final: bool = False) -> dict:
    from seoulhub.radar.ingest.process import classify_text, final_verdict

    with open(KLUE_PATH, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    t0 = time.perf_counter()
    verdicts = [classify_text(title) for _guid, _section, _label, title in rows]
    classify_seconds = time.perf_counter() - t0
    gold = [label == "IT과학" for _guid, _section, label, _title in rows]
    result = {
        "items": len(rows),
        "gold_positive": sum(gold),
        "in_sample": True,
        "classify_seconds": round(classify_seconds, 2),
        "classify_per_s": round(len(rows) / classify_seconds),
        "provisional": _counts([v["digital"] for v in verdicts], gold),
    }
    if final:
        import numpy as np

        from seoulhub.text import embed

        t0 = time.perf_counter()
        vectors = np.vstack([embed.embed([f"{r[3]}. " for r in rows[i : i + 256]]) for i in range(0, len(rows), 256)])
        result["embed_seconds"] = round(time.perf_counter() - t0, 1)
        result["final"] = _counts(
            [
                final_verdict(v["evidence_features"], vec, v["language"], title=r[3])[1]
                for v, vec, r in zip(verdicts, vectors, rows)
            ],
            gold,
        )
    return result


def arxiv(threshold: float) -> dict:
    from seoulhub.radar.ingest.process import classify_text
    from seoulhub.text.techtag import load_entries

    category_to_slugs: dict[str, list[str]] = {}
    for entry in load_entries():
        for category in entry.get("arxiv", []):
            category_to_slugs.setdefault(category, []).append(entry["slug"])
    stats: dict[str, list[int]] = {}
    digital = n = 0
    for line in gzip.open(REPO / "data" / "arxiv" / "arxiv_cs_full_2025-10.jsonl.gz", "rt", encoding="utf-8"):
        record = json.loads(line)
        gold = {slug for c in record["categories"] for slug in category_to_slugs.get(c, [])}
        verdict = classify_text(record["title"], record.get("summary") or "")
        predicted = {m.slug for m in verdict["technologies"] if m.score >= threshold}
        n += 1
        digital += verdict["digital"]
        for slug in {s for slugs in category_to_slugs.values() for s in slugs}:
            c = stats.setdefault(slug, [0, 0, 0])
            c[0] += slug in predicted and slug in gold
            c[1] += slug in predicted and slug not in gold
            c[2] += slug in gold and slug not in predicted
    per_tech = {slug: prf(*c) for slug, c in stats.items() if c[0] + c[2] >= 30}
    micro = prf(*[sum(stats[s][i] for s in per_tech) for i in range(3)])
    macro = {k: round(sum(v[k] for v in per_tech.values()) / len(per_tech), 3) for k in ("precision", "recall", "f1")}
    return {
        "papers": n,
        "digital_share": round(digital / n, 3),
        "technologies_evaluated": len(per_tech),
        "micro": micro,
        "macro": macro,
        "per_technology": per_tech,
    }


def main(argv: list[str]) -> dict:
    p = argparse.ArgumentParser(prog="seoulhub bench classify")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--tag-threshold",
        type=float,
        default=0.4,
        help="score from which a technology counts as predicted (0.4: one alias, or two cue words)",
    )
    p.add_argument(
        "--final", action="store_true", help="also embed the KLUE headlines and score the final verdict (timed apart)"
    )
    args = p.parse_args(argv)
    t0, cpu0 = time.perf_counter(), time.process_time()
    result = {
        "tag_threshold": args.tag_threshold,
        "klue_ynat_digital_vs_it_science": klue(args.final),
        "arxiv_technology_vs_category": arxiv(args.tag_threshold),
    }
    result["seconds"] = round(time.perf_counter() - t0, 1)
    result["cpu_seconds"] = round(time.process_time() - cpu0, 2)  # steadier than seconds on a busy machine
    if args.final:  # the per-item work alone, comparable with a run without --final
        result["seconds_without_embedding"] = round(
            result["seconds"] - result["klue_ynat_digital_vs_it_science"]["embed_seconds"], 1
        )
    return result
