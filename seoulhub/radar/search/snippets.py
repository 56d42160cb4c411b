"""Highlighted snippets: the window of a text holding most query terms, terms wrapped in <mark>.

Returns HTML-safe text (everything escaped except the <mark> tags). Hangul terms match inside
an eojeol (인공지능 in 인공지능을); Latin terms match at a word start, case-insensitively, so the
normalised token "chip" marks "chips" and "Chip" but not "microchip".
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@functools.lru_cache(maxsize=512)  # a results page highlights forty texts with the same terms
def _pattern_of(terms: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for term in sorted(
        {unicodedata.normalize("NFKC", t).strip() for t in terms if t and t.strip()}, key=len, reverse=True
    ):
        escaped = r"\s*".join(re.escape(piece) for piece in term.split())
        parts.append(escaped if _HANGUL.search(term) else r"(?<![\w])" + escaped)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _densest_window_start(matches: list[re.Match], width: int) -> int:
    """The start of the match from which a window of `width` characters covers the most matches
    (the first such). Matches of one pattern do not overlap, so their starts and ends both grow
    and the matches a window covers are a run: one pass instead of one count per match."""
    best_start, best_hits, end = matches[0].start(), 0, 0
    for first, match in enumerate(matches):
        limit = match.start() + width
        end = max(end, first)
        while end < len(matches) and matches[end].end() <= limit:
            end += 1
        if end - first > best_hits:
            best_start, best_hits = match.start(), end - first
    return best_start


def highlight(text: str, terms: list[str], width: int = 220) -> str:
    text = unicodedata.normalize("NFKC", " ".join((text or "").split()))
    pattern = _pattern_of(tuple(terms))
    matches = list(pattern.finditer(text)) if pattern else []
    if len(text) <= width:
        start, end = 0, len(text)
    elif not matches:
        start, end = 0, width
    else:
        best_start = _densest_window_start(matches, width)
        start = max(0, best_start - width // 4)
        end = min(len(text), start + width)
        start = max(0, end - width)
    pieces, cursor = [], start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        pieces.append(html.escape(text[cursor : m.start()]))
        pieces.append("<mark>" + html.escape(m.group()) + "</mark>")
        cursor = m.end()
    pieces.append(html.escape(text[cursor:end]))
    return ("… " if start > 0 else "") + "".join(pieces) + (" …" if end < len(text) else "")
