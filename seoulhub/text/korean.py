"""Korean morphological analysis with kiwipiepy, for search tokens and keywords.

The taxonomy's Korean terms are registered as user words (NNP), so 인공지능, 자율주행차 or
AI반도체 stay one token instead of being split into 인공+지능. One Kiwi per process, built lazily
(about 2 s and 100 MB), single-threaded so the worker's core budget is honest.
"""

from __future__ import annotations

import threading
import warnings
from functools import lru_cache

from .normalise import STOPWORDS, clean, stem

# Morpheme tags kept for search: nouns, roots, foreign words, Hanja, numbers, verb/adjective stems.
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SH", "SN", "XR", "VV", "VA"})
NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})

_lock = threading.Lock()


@lru_cache(maxsize=1)
def kiwi():
    from kiwipiepy import Kiwi

    from .techtag import default_tagger

    with warnings.catch_warnings():
        # 0 = no worker threads (kiwipiepy >= 0.21 warns that this changed from "all cores").
        warnings.simplefilter("ignore", DeprecationWarning)
        analyser = Kiwi(num_workers=0)
    for term in default_tagger().korean_terms():
        # A high score so the user word beats Kiwi's own split (인공+지능) inside eojeol.
        analyser.add_user_word(term, "NNP", 10.0)
    return analyser


def morphemes(text: str) -> list[tuple[str, str]]:
    """(form, tag) pairs of `text` as Kiwi analyses it."""
    text = clean(text)
    if not text.strip():
        return []
    with _lock:  # Kiwi objects are not documented as thread-safe for add_user_word + tokenize
        return [(t.form, t.tag) for t in kiwi().tokenize(text)]


def _token(form: str, tag: str) -> str | None:
    if tag not in CONTENT_TAGS:
        return None
    if tag == "SL":
        word = form.casefold()
        if word in STOPWORDS or len(word) == 1:
            return None
        return stem(word)
    if tag in ("VV", "VA"):
        return form + "다" if len(form) >= 2 else None
    return form.casefold()


def tokens_of_parts(title: str, body: str) -> tuple[list[str], list[str]]:
    """tokens(title), tokens(body) from one analysis of both (half the calls for a headline
    and its lead; NFKC never joins across the newline, so the title's length marks the split)."""
    title, body = clean(title), clean(body)
    with _lock:
        analysed = kiwi().tokenize(f"{title}\n{body}")
    split = len(title)
    head: list[str] = []
    rest: list[str] = []
    for t in analysed:
        if tok := _token(t.form, t.tag):
            (head if t.start < split else rest).append(tok)
    return head, rest


def tokens(text: str) -> list[str]:
    """Content tokens of Korean (or mixed) text: nouns, roots, stems, normalised foreign words."""
    return [tok for form, tag in morphemes(text) if (tok := _token(form, tag))]


def nouns(text: str) -> list[str]:
    return [
        form.casefold() if tag == "SL" else form for form, tag in morphemes(text) if tag in NOUN_TAGS and len(form) >= 2
    ]
