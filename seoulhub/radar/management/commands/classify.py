"""`seoulhub classify`: texts on stdin -> one JSON object per line on stdout.

Input lines are plain text, or JSON objects with "title" and "text". Output:
{"language", "digital", "relevance", "verdict", "technologies": [{"slug", "score"}]}; a line that
cannot be read gives {"error": "..."} and the run goes on.

Which verdict (text.relevance), named in each line's "verdict":
* "final" (default): alias evidence + the n-gram score + the multilingual sentence vector, the verdict
  the radar keeps once its embedding job has run. Texts are embedded in batches of BATCH lines
  (~10 ms a text).
* "provisional" (--fast): alias evidence alone, no vector: what the ingest pipeline
  stores per item before the embedding job, and what `seoulhub bench classify` times.
--evidence adds the aliases that fired and the model's evidence features.
"""

import json
import sys

from django.core.management.base import BaseCommand

from seoulhub.radar.ingest.process import classify_text, final_verdict
from seoulhub.text.relevance import EVIDENCE_FEATURES as EVIDENCE_NAMES

BATCH = 64


class Command(BaseCommand):
    help = "Classify texts from stdin (plain lines or JSON lines with title/text) into JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--evidence", action="store_true", help="include the aliases that fired")
        parser.add_argument("--min-score", type=float, default=0.0)
        parser.add_argument(
            "--fast", action="store_true", help="no sentence vector: the provisional verdict (alias evidence only)"
        )

    def handle(self, *args, evidence, min_score, fast, **options):
        pending: list[tuple[tuple[str, str], dict | None, str]] = []  # ((title, text), verdict or None, error)
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
                    pending.append((("", ""), None, f"not a JSON object: {exc}"))
                    continue
            pending.append(((title, text), classify_text(title, text), ""))
            if len(pending) >= BATCH:
                self._write(pending, evidence, min_score, fast)
                pending = []
        self._write(pending, evidence, min_score, fast)

    def _write(self, pending, evidence, min_score, fast):
        out = self.stdout
        verdicts = [(t, v) for t, v, _error in pending if v is not None]
        if verdicts and not fast:
            from seoulhub.text import embed

            vectors = embed.embed([f"{title}. {text[:300]}" for (title, text), _v in verdicts])
            for ((title, text), verdict), vector in zip(verdicts, vectors):
                verdict["relevance"], verdict["digital"] = final_verdict(
                    verdict["evidence_features"], vector, verdict["language"], title=title, text=text
                )
        for _t, verdict, error in pending:
            if verdict is None:
                out.write(json.dumps({"error": error}) + "\n")
                continue
            techs = [
                {"slug": m.slug, "score": m.score, **({"evidence": m.evidence} if evidence else {})}
                for m in verdict["technologies"]
                if m.score >= min_score
            ]
            row = {
                "language": verdict["language"],
                "digital": verdict["digital"],
                "relevance": verdict["relevance"],
                "verdict": "provisional" if fast else "final",
                "technologies": techs,
            }
            if evidence:
                row["context"] = verdict["context"]
                row["evidence_features"] = dict(zip(EVIDENCE_NAMES, verdict["evidence_features"]))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
