"""Trends on the real arXiv stream: which technologies and keywords rose, and what the
incremental counters cost.

    seoulhub bench trends --json [--recent 3] [--history 6] [--until 2026-06]

Every paper of data/arxiv (74,728 cs.CV/cs.CL titles first seen 2025-03-18 .. 2026-07-01) is
tagged as the pipeline tags it (taxonomy aliases plus the paper's arXiv categories) and gets
the pipeline's keywords from its title; `seoulhub.trends.TrendCounter` counts them item by
item. The last `recent` complete months are scored against the `history` months before them.
2026-07 holds one day only, so it is left out by default.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TITLES = REPO / "data" / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench trends")
    parser.add_argument("--recent", type=int, default=3)
    parser.add_argument("--history", type=int, default=6)
    parser.add_argument("--until", default="2026-06")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from seoulhub.radar.ingest.process import merge_category_evidence, search_tokens
    from seoulhub.text.keywords import extract
    from seoulhub.text.techtag import default_tagger
    from seoulhub.trends import TrendCounter

    tagger = default_tagger()
    counter = TrendCounter()
    papers = 0
    tag_s = count_s = 0.0
    with gzip.open(TITLES, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            started = time.perf_counter()
            techs = merge_category_evidence(tagger.tag(record["title"]), record.get("categories", []), tagger)
            keywords = extract(search_tokens(record["title"]), [])
            tag_s += time.perf_counter() - started
            started = time.perf_counter()
            counter.add(
                date.fromisoformat(record["first_seen"]), {"tech": [m.slug for m in techs], "keyword": keywords}
            )
            count_s += time.perf_counter() - started
            papers += 1

    def top(kind: str) -> list[dict]:
        ranked = counter.rank("month", kind, args.recent, args.history, until=args.until, limit=args.top)
        return [
            {"term": e.term, "recent": e.recent, "history": e.history, "growth": e.growth, "g2": e.g2, "score": e.score}
            for e in ranked
        ]

    months = [p for p in counter.periods("month") if p <= args.until]
    tested = sum(1 for (g, k, _t) in counter.counts if g == "month" and k == "keyword")
    rising_keywords = counter.rank("month", "keyword", args.recent, args.history, until=args.until)
    return {
        "papers": papers,
        "recent_months": months[-args.recent :],
        "history_months": months[-args.recent - args.history : -args.recent],
        "keywords_tested": tested,
        "keywords_significant": len(rising_keywords),
        "rising_technologies": top("tech"),
        "rising_keywords": top("keyword"),
        "tagging_us_per_paper": round(tag_s / papers * 1e6, 1),
        "counter_update_us_per_paper": round(count_s / papers * 1e6, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False, indent=1))
