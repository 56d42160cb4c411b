"""Parts of Korean compound tokens, so a document's 자율주행차 is also found by 자율주행.

Kiwi keeps the taxonomy's terms whole (korean.py registers them as user words), and writes many
compounds as one noun, so 자율주행차, AI반도체, 협동로봇 and 양자컴퓨터 are single tokens. Documents
index such a token whole AND followed by its parts (`with_parts`); a query keeps the whole token,
so 자율주행 meets 자율주행차 through the part, and 자율주행차 meets it whole.

A token is split only where a known term starts or ends it: a term of the taxonomy or of the
glossary (data/glossary/ko_en_tech.tsv), or a Latin run (ai반도체 -> ai + 반도체). Known terms are
read once; each token's split is cached, so indexing pays a dict lookup per token.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LATIN_HANGUL = re.compile(r"^([a-z0-9]+)([\uac00-\ud7a3]{2,})$|^([\uac00-\ud7a3]{2,})([a-z0-9]{2,})$")
_HANGUL_ONLY = re.compile(r"^[\uac00-\ud7a3]+$")
MIN_PREFIX = 2
MAX_CACHE = 100_000


@lru_cache(maxsize=1)
def known_terms() -> frozenset[str]:
    """Hangul terms (no spaces, >= 2 syllables) that may start or end a compound."""
    from .glossary import curated_entries
    from .techtag import default_tagger

    terms = set(default_tagger().korean_terms())
    for korean, _english in curated_entries():
        terms.add(korean.replace(" ", ""))
        terms.update(word for word in korean.split() if len(word) >= 2)
    return frozenset(t.casefold() for t in terms if len(t) >= 2 and _HANGUL_ONLY.match(t))


_cache: dict[str, tuple[str, ...]] = {}


def parts(token: str) -> tuple[str, ...]:
    """The parts of a compound token, () if it is not one (see the module docstring)."""
    found = _cache.get(token)
    if found is None:
        found = _split(token)
        if len(_cache) >= MAX_CACHE:
            _cache.clear()
        _cache[token] = found
    return found


def _split(token: str) -> tuple[str, ...]:
    mixed = _LATIN_HANGUL.match(token)
    if mixed:
        return tuple(p for p in mixed.groups() if p)
    if len(token) < 3 or not _HANGUL_ONLY.match(token):
        return ()
    known = known_terms()
    # The longest known term that starts the token (자율주행|차) or ends it (협동|로봇); the rest
    # must be at least one syllable after a prefix and two before a suffix (초|해상도 is not split:
    # a lone Sino-Korean prefix is no word of its own).
    for size in range(len(token) - 1, MIN_PREFIX - 1, -1):
        if token[:size] in known:
            return token[:size], token[size:]
        if len(token) - size >= 2 and token[len(token) - size :] in known:
            return token[: len(token) - size], token[len(token) - size :]
    return ()


def with_parts(tokens: list[str]) -> list[str]:
    """`tokens` with each compound followed by its parts. Idempotent: parts already following
    their compound are not added again (re-indexing stored token streams is safe)."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        out.append(token)
        i += 1
        split = parts(token) if len(token) >= 3 else ()
        if split:
            out.extend(split)
            if tuple(tokens[i : i + len(split)]) == split:
                i += len(split)
    return out
