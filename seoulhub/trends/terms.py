"""Which keywords may trend: technical terms and noun phrases, grouped into concepts.

A keyword counter holds every word an item's keyword extractor picked, genre words included
(종합, 출시, 작년 in Korean news; towards, novel, framework in paper titles). A rise of such a word
says something about the feed's mix, not about technology, so before ranking:

* genre words go: the curated list in data/trends/genre_words.txt (news and paper words, each
  checked against the demo corpus), and any Korean word that is common in a background corpus of
  general news (data/trends/background_ko.json: document frequency in 4,554 Yonhap headlines of
  all sections; a word in at least BACKGROUND_MAX_DF of them is everyday news vocabulary) unless
  it is a technical concept below;
* a lone English word stays only when the hub knows it as a technical term (a taxonomy alias or
  a concept spelling below; words with a digit too): most lone words of titles are everyday ones;
* a noun phrase (two words) stays unless both of its words are genre words or it starts or ends
  with a function word of paper titles ("towards x", "x via");
* spellings and languages of one concept are merged (LLM = large language model = 대형 언어 모델 =
  거대언어모델): the synonym groups of data/trends/concepts.json, and each taxonomy technology's
  Korean and English names with its aliases that name the same thing.

Framework-free; the radar's `trend_figures` applies it to the stored counts at read time, so a
change of lists needs no recount.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
GENRE_PATH = DATA_DIR / "trends" / "genre_words.txt"
BACKGROUND_PATH = DATA_DIR / "trends" / "background_ko.json"
CONCEPTS_PATH = DATA_DIR / "trends" / "concepts.json"
TAXONOMY_PATH = DATA_DIR / "taxonomy" / "technologies.json"
BACKGROUND_MAX_DF = 0.005  # 0.5 % of general news headlines: 종합 6 %, 출시 1.2 %, 인공지능 0.1 %
MIN_RECENT_KEYWORD = 10  # minimum support: items with the concept in the recent window

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SPACES = re.compile(r"[\s\-_/·]+")


def normalise(term: str) -> str:
    """The form keywords and list entries are compared in: case-folded, hyphens and runs of
    spaces as one space, an English plural s dropped (the tokenizer's light stemmer does the same)."""
    words = _SPACES.sub(" ", term.casefold()).strip().split(" ")
    out = []
    for word in words:
        if (
            word.isascii()
            and word.isalpha()
            and len(word) > 4
            and word.endswith("s")
            and not word.endswith(("ss", "us", "is"))
        ):
            word = word[:-1]
        out.append(word)
    return " ".join(w for w in out if w)


@lru_cache(maxsize=1)
def genre_words() -> frozenset[str]:
    words: set[str] = set()
    for line in GENRE_PATH.read_text(encoding="utf-8").splitlines():
        words.update(normalise(word) for word in line.split("#", 1)[0].split())
    return frozenset(words)


@lru_cache(maxsize=1)
def _background() -> tuple[int, dict[str, int]]:
    data = json.loads(BACKGROUND_PATH.read_text(encoding="utf-8"))
    return data["documents"], data["df"]


def background_share(word: str) -> float:
    documents, df = _background()
    return df.get(word, 0) / documents if documents else 0.0


@lru_cache(maxsize=1)
def concepts() -> dict[str, str]:
    """normalised spelling -> concept label (the label is how the concept is shown)."""
    mapping: dict[str, str] = {}
    for group in json.loads(CONCEPTS_PATH.read_text(encoding="utf-8"))["groups"]:
        for spelling in [group["label"], *group["spellings"]]:
            mapping.setdefault(normalise(spelling), group["label"])
    taxonomy = json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))["technologies"]
    for tech in taxonomy:
        label = tech["name_ko"]
        for spelling in (tech["name_ko"], tech["name_en"]):
            mapping.setdefault(normalise(spelling), label)
    return mapping


def spellings_of(concept: str) -> set[str]:
    """Every stored spelling that counts for a concept (the concept's own name included)."""
    key = normalise(concept)
    return {concept, key} | {spelling for spelling, label in concepts().items() if label == concept or label == key}


@lru_cache(maxsize=1)
def technical_words() -> frozenset[str]:
    """Single-word technical terms the hub knows: taxonomy aliases and concept spellings."""
    taxonomy = json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))["technologies"]
    aliases = {normalise(a) for t in taxonomy for a in [*t.get("aliases_ko", []), *t.get("aliases_en", [])]}
    return frozenset(w for w in aliases | set(concepts()) if " " not in w)


def concept_of(term: str) -> str:
    """The concept a keyword belongs to: its group's label, or the keyword itself."""
    key = normalise(term)
    return concepts().get(key, key)


def is_genre(term: str) -> bool:
    """True for words that must not trend (see the module docstring)."""
    key = normalise(term)
    if not key:
        return True
    if key in concepts():
        return False
    words = key.split(" ")
    genre = genre_words()
    if len(words) == 1:
        word = words[0]
        if word in genre or word.isdigit() or len(word) < 2:
            return True
        if _HANGUL.search(word):
            return background_share(word) >= BACKGROUND_MAX_DF
        # A lone English word is a technical term only when the hub knows it as one (a taxonomy
        # alias or a concept spelling) or it carries a digit (5g, h100); otherwise it is usually
        # an everyday word of paper titles (frontier, stability, alternative), and its phrases
        # ("fluid antenna", "agent memory") say what is new.
        return word not in technical_words() and not any(c.isdigit() for c in word)
    if all(w in genre or background_share(w) >= BACKGROUND_MAX_DF for w in words):
        return True
    return words[0] in FUNCTION_WORDS or words[-1] in FUNCTION_WORDS


# Words that never start or end a technical noun phrase in a title ("towards robust", "model via").
FUNCTION_WORDS = frozenset(
    [
        "towards",
        "toward",
        "via",
        "using",
        "based",
        "beyond",
        "through",
        "across",
        "from",
        "into",
        "with",
        "without",
        "for",
        "and",
        "or",
        "not",
        "new",
        "novel",
    ]
)


def group_series(series_by_term: dict[str, dict[str, int]], totals: dict[str, int]) -> dict[str, dict[str, int]]:
    """Drop genre words and merge the spellings of one concept: {concept: {period: items}}. Two
    spellings of one concept in the same item would count it twice, so each period is capped at
    that period's number of items."""
    grouped: dict[str, dict[str, int]] = {}
    for term, series in series_by_term.items():
        if is_genre(term):
            continue
        concept = concept_of(term)
        target = grouped.setdefault(concept, {})
        for period, count in series.items():
            target[period] = min(target.get(period, 0) + count, totals.get(period, 0))
    return grouped
