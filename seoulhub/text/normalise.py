"""English/Latin normalisation into search tokens; shared by documents and queries.

NFKC, case-folded words of letters and digits, stop words dropped, a light plural/suffix
stemmer so "networks" meets "network" and "models" meets "model". The same function runs on
documents and on queries, so both search engines see the same token stream.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")  # _WORD on lower-cased ASCII text
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves also via using based use used show
    shows propose proposed paper approach method methods results however thus""".split()
)


def stem(word: str) -> str:
    """A deliberately light stemmer: plurals and a few suffixes, never below 4 letters."""
    if len(word) <= 4 or not word.isascii() or not word.isalpha():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("xes", "x")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _word_token(word: str, keep_stopwords: bool) -> str:
    """The token of one matched word, or "" when the word is dropped."""
    word = word.replace("'", "")
    if _HANGUL.search(word):
        return ""
    if not keep_stopwords and word in STOPWORDS:
        return ""
    if len(word) == 1 and not word.isdigit():
        return ""
    return stem(word)


# word -> token ("" = dropped), one cache per keep_stopwords value. The same few thousand words
# make up most of any corpus, so a hit saves the stop-word, Hangul and suffix checks.
# Emptied when full rather than evicting one by one: simple, and it refills within a few items.
_TOKEN_CACHE: dict[str, str] = {}
_TOKEN_CACHE_KEEP_STOPWORDS: dict[str, str] = {}
_TOKEN_CACHE_SIZE = 50_000


def latin_tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    """Normalised tokens of non-Korean text (Hangul runs are skipped; korean.tokens handles them)."""
    if text and text.isascii():
        # NFKC and casefold leave ASCII as lower(), and on ASCII [^\W_] is [a-z0-9] once lowered:
        # the same words as _WORD finds, at half the regex cost.
        words = _ASCII_WORD.findall(text.lower())
    else:
        words = _WORD.findall(clean(text).casefold())
    cache = _TOKEN_CACHE_KEEP_STOPWORDS if keep_stopwords else _TOKEN_CACHE
    tokens = list(map(cache.get, words))  # None where the word is not cached yet
    if None in tokens:
        if len(cache) >= _TOKEN_CACHE_SIZE:
            cache.clear()
        for i, token in enumerate(tokens):
            if token is None:
                tokens[i] = cache[words[i]] = _word_token(words[i], keep_stopwords)
    return list(filter(None, tokens))  # "" marks a dropped word
