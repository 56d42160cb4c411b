"""Keywords of one document from its tokens: frequency x position x length, no corpus needed.

A token counts more in the title (x3) and when longer; Korean one-syllable nouns and pure
numbers are skipped. English bigrams of adjacent content tokens are candidates too, so
"language model" can be a keyword, not only "language" and "model".
"""

from __future__ import annotations

from collections import Counter

BIGRAM_MIN_SCORE = 2.8  # a bigram seen once in the body (1.4) is noise; twice, or in the title, counts


def extract(title_tokens: list[str], body_tokens: list[str], k: int = 8) -> list[str]:
    # Speed matters (once per ingested item), hence the shape: each distinct token is scored
    # once with its count, in order of first occurrence so the dict's insertion order (which
    # breaks ties in the sort below) is the same as adding occurrence by occurrence. A repeated
    # gain is added repeatedly rather than multiplied so the float sums round the same way.
    scores: dict[str, float] = {}
    get = scores.get
    for weight, toks in ((3.0, title_tokens), (1.0, body_tokens)):
        pairable = set()  # usable ASCII tokens: the words of English bigrams
        for tok, times in Counter(toks).items():
            n = len(tok)
            if n >= 2 and not tok.isdigit():  # skip one-letter tokens and pure numbers
                gain = weight * (n if n < 8 else 8) / 4  # min(n, 8) without the call
                if times == 1:  # most tokens
                    scores[tok] = get(tok, 0) + gain
                else:
                    score = get(tok, 0)
                    for _ in range(times):
                        score += gain
                    scores[tok] = score
                if tok.isascii():
                    pairable.add(tok)
        gain = weight * 1.4
        for a, b in zip(toks, toks[1:]):
            if a != b and a in pairable and b in pairable:
                bigram = f"{a} {b}"
                scores[bigram] = get(bigram, 0) + gain
    out: list[str] = []
    bigram_words: set[str] = set()  # the words of the bigrams kept so far
    # Best first; Python's sort is stable, so equal scores keep their insertion order.
    for tok in sorted(scores, key=scores.__getitem__, reverse=True):
        if " " in tok:
            if scores[tok] < BIGRAM_MIN_SCORE:
                continue
            words = tok.split(" ")  # a bigram replaces its words already kept, and keeps them out later
            out = [kept for kept in out if kept not in words]
            bigram_words.update(words)
        elif tok in bigram_words:
            continue
        out.append(tok)
        if len(out) == k:
            break
    return out
