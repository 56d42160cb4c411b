"""Keywords of one document from its tokens: frequency x position x length, no corpus needed.

A token counts more in the title (x3) and when longer; Korean one-syllable nouns and pure
numbers are skipped. English bigrams of adjacent content tokens are candidates too, so
"language model" can be a keyword, not only "language" and "model".
"""

from __future__ import annotations

from collections import Counter


def _usable(token: str) -> bool:
    return len(token) >= 2 and not token.isdigit()


def extract(title_tokens: list[str], body_tokens: list[str], k: int = 8) -> list[str]:
    scores: Counter[str] = Counter()
    for weight, toks in ((3.0, title_tokens), (1.0, body_tokens)):
        for tok in toks:
            if _usable(tok):
                scores[tok] += weight * min(len(tok), 8) / 4
        for a, b in zip(toks, toks[1:]):
            if _usable(a) and _usable(b) and a.isascii() and b.isascii() and a != b:
                scores[f"{a} {b}"] += weight * 1.4
    # A bigram seen once is noise; keep bigrams only when they repeat or sit in the title.
    ranked = [t for t, s in scores.most_common() if " " not in t or s >= 2.8]
    out: list[str] = []
    for tok in ranked:
        if " " not in tok and any(tok in kept.split(" ") for kept in out if " " in kept):
            continue
        if " " in tok:  # a bigram replaces its words already kept
            out = [kept for kept in out if kept not in tok.split(" ")]
        out.append(tok)
        if len(out) == k:
            break
    return out
