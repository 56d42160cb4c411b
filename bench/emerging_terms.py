"""The judged development check of emerging keywords, on the database's trend counts (run it after
`seoulhub ingest --demo`): `seoulhub bench emerging_terms [--granularity month] [--top 20]`.

Reads data/trends/devcheck.json: `never` (genre words that must not appear), `known_rising`
(concepts that clearly rise in the demo corpus) and `judged` (term -> true if a technical term,
judged by hand). Reports the top emerging keywords as the radar's trend page ranks them, any
genre word among them, which known risers are found, and the precision of the top list over the
judged terms (unjudged terms are listed, never guessed).
"""

from __future__ import annotations

import argparse
import json

from django.conf import settings
from django.core.cache import cache

from seoulhub.radar import trend_figures
from seoulhub.trends import terms


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench emerging_terms")
    parser.add_argument("--granularity", default="month", choices=["month", "week"])
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    check = json.loads((settings.DATA_DIR / "trends" / "devcheck.json").read_text(encoding="utf-8"))
    cache.clear()  # the ranking is cached for ten minutes; measure the current lists
    figures = trend_figures.rising("keyword", args.granularity, limit=args.top)
    top = [item["term"] for item in figures["items"]]
    never = {terms.normalise(w) for w in check["never"]}
    judged = check["judged"]
    known = [t for t in top if t in judged]
    technical = [t for t in known if judged[t]]
    return {
        "granularity": args.granularity,
        "recent_periods": figures["recent_periods"],
        "history_periods": figures["history_periods"],
        "enough_history": figures["enough_history"],
        "top": [
            {"term": i["term"], "recent": i["recent"], "history": i["history"], "g2": i["g2"]} for i in figures["items"]
        ],
        "genre_words_in_top": [t for t in top if terms.normalise(t) in never],
        "known_rising_found": [t for t in check["known_rising"] if t in top],
        "known_rising_missed": [t for t in check["known_rising"] if t not in top],
        "judged_in_top": len(known),
        "precision_of_judged": round(len(technical) / len(known), 3) if known else None,
        "unjudged": [t for t in top if t not in judged],
    }
