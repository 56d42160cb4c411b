"""`seoulhub classify`: texts on stdin -> one JSON object per line on stdout.

Input lines are plain text, or JSON objects with "title" and "text". Output:
{"language", "digital", "relevance", "technologies": [{"slug", "score"}]}; a line that cannot
be read gives {"error": "..."} and the run goes on.
"""

import json
import sys

from django.core.management.base import BaseCommand

from seoulhub.radar.pipeline import classify_text


class Command(BaseCommand):
    help = "Classify texts from stdin (plain lines or JSON lines with title/text) into JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--evidence", action="store_true", help="include the aliases that fired")
        parser.add_argument("--min-score", type=float, default=0.0)

    def handle(self, *args, evidence, min_score, **options):
        out = self.stdout
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            title, text = line, ""
            if line.startswith("{"):
                try:
                    obj = json.loads(line)
                    title, text = str(obj.get("title") or ""), str(obj.get("text") or "")
                except (ValueError, AttributeError) as exc:
                    out.write(json.dumps({"error": f"not a JSON object: {exc}"}) + "\n")
                    continue
            verdict = classify_text(title, text)
            techs = [{"slug": m.slug, "score": m.score, **({"evidence": m.evidence} if evidence else {})}
                     for m in verdict["technologies"] if m.score >= min_score]
            out.write(json.dumps({"language": verdict["language"], "digital": verdict["digital"],
                                  "relevance": verdict["relevance"], "technologies": techs},
                                 ensure_ascii=False) + "\n")
