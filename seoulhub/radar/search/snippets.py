"""Highlighted snippets: the window of a text holding most query terms, terms wrapped in <mark>.

Returns HTML-safe text (everything escaped except the <mark> tags). Hangul terms match inside
an eojeol (인공지능 in 인공지능을); Latin terms match at a word start, case-insensitively, so the
normalised token "chip" marks "chips" and "Chip" but not "microchip".
"""

from __future__ import annotations

import html
import re
import unicodedata

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _term_pattern(terms: list[str]) -> re.Pattern | None:
    parts = []
    for term in sorted({unicodedata.normalize("NFKC", t).strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        escaped = r"\s*".join(re.escape(piece) for piece in term.split())
        parts.append(escaped if _HANGUL.search(term) else r"(?<![\w])" + escaped)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def highlight(text: str, terms: list[str], width: int = 220) -> str:
    text = unicodedata.normalize("NFKC", " ".join((text or "").split()))
    pattern = _term_pattern(terms)
    matches = list(pattern.finditer(text)) if pattern else []
    if len(text) <= width:
        start, end = 0, len(text)
    elif not matches:
        start, end = 0, width
    else:
        # The window start (at a match) that covers the most matches.
        best_start, best_hits = matches[0].start(), 0
        for first in matches:
            hits = sum(1 for m in matches if first.start() <= m.start() and m.end() <= first.start() + width)
            if hits > best_hits:
                best_start, best_hits = first.start(), hits
        start = max(0, best_start - width // 4)
        end = min(len(text), start + width)
        start = max(0, end - width)
    pieces, cursor = [], start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        pieces.append(html.escape(text[cursor:m.start()]))
        pieces.append("<mark>" + html.escape(m.group()) + "</mark>")
        cursor = m.end()
    pieces.append(html.escape(text[cursor:end]))
    return ("… " if start > 0 else "") + "".join(pieces) + (" …" if end < len(text) else "")
