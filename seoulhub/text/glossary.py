"""Concepts of a Korean query and their English renderings, for cross-lingual search.

A query is read as a sequence of concepts, longest first: "검색 증강 생성 평가" is [검색 증강 생성]
[평가], "온디바이스 AI" is [온디바이스] [AI]. Each concept carries its English terms from

1. the curated glossary data/glossary/ko_en_tech.tsv (a hand-written translation dictionary:
   연합학습 -> federated learning, 초해상도 -> super-resolution);
2. the taxonomy's Korean and English aliases of one technology (data/taxonomy/technologies.json),
   for Korean terms the glossary does not have;
3. back-transliteration of a loanword against the corpus's English vocabulary (transliterate.py:
   온디바이스 -> on-device, 하이브리드 -> hybrid);
4. the parts of a compound token (compounds.py: ai반도체 -> ai + 반도체), looked up again.

Everything is precomputed into one dict keyed by normalised token tuples when the lexicon is
built (once per process); reading a query costs a few dict lookups per token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import compounds
from .transliterate import Transliterator, default_transliterator

GLOSSARY_PATH = Path(__file__).resolve().parents[2] / "data" / "glossary" / "ko_en_tech.tsv"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
MAX_CONCEPT_TOKENS = 6
MAX_ENGLISH_PER_CONCEPT = 4

Phrase = tuple[str, ...]


@lru_cache(maxsize=2)
def glossary_rows(path: Path = GLOSSARY_PATH) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """(Korean term, English terms, optional) rows of the glossary file."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.startswith("#") or not line.strip():
                continue
            korean, sep, rest = line.rstrip("\n").partition("\t")
            english, _, flag = rest.partition("\t")
            terms = tuple(t.strip() for t in english.split("|") if t.strip())
            if not sep or not korean.strip() or not terms or flag.strip() not in ("", "optional"):
                raise ValueError(f"{path.name} line {number}: expected 'Korean<TAB>English[|English][<TAB>optional]'")
            rows.append((korean.strip(), terms, flag.strip() == "optional"))
    return tuple(rows)


def curated_entries(path: Path = GLOSSARY_PATH) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(Korean term, English terms) of the glossary."""
    return tuple((korean, english) for korean, english, _optional in glossary_rows(path))


@dataclass
class Concept:
    tokens: Phrase  # the query tokens this concept covers
    english: list[Phrase] = field(default_factory=list)  # normalised English renderings
    source: str = ""  # glossary | taxonomy | transliteration | compound | "" (none)
    english_text: list[str] = field(default_factory=list)  # the English terms as written
    optional: bool = False  # a head noun (모델, 영상): not required when other concepts are present


class ConceptLexicon:
    def __init__(self, normalise: Callable[[str], list[str]], entries=(), taxonomy_entries=(),
                 transliterator: Transliterator | None = None):
        self.normalise = normalise
        self.transliterator = transliterator
        # normalised Korean phrase -> (English phrases, English as written, source)
        self.phrases: dict[Phrase, tuple[list[Phrase], list[str], str]] = {}
        self.optional: set[Phrase] = set()
        # A term the normaliser shortens (양자화 -> 양자), by its written form: the query's own
        # words say which of the two was meant.
        self.shortened: dict[str, tuple[Phrase, tuple[list[Phrase], list[str], str]]] = {}
        # Terms the normaliser reads whole first: 양자화 normalises to 양자 (the suffix is not
        # kept), and must not make 양자 mean "quantization" where the glossary says quantum.
        entries = list(entries)
        for lossless in (True, False):
            for korean, english, *flags in entries:
                if self._lossless(korean) == lossless:
                    self._add(korean, english, "glossary")
                    if not lossless:
                        self._add_shortened(korean, english)
                    if flags and flags[0]:
                        self.optional.add(tuple(self.normalise(korean)))
        for entry in taxonomy_entries:
            latin = [a for a in [entry.get("name_en", ""), *entry.get("aliases_en", [])] if a]
            for korean in [entry.get("name_ko", ""), *entry.get("aliases_ko", [])]:
                # One-token terms only: a multi-word alias (온디바이스 AI) is read as its concepts,
                # each of which must match, not as one phrase OR-ed with the alias's loose names.
                if korean and _HANGUL.search(korean) and len(self.normalise(korean)) == 1:
                    self._add(korean, latin, "taxonomy")
        self.longest = max((len(p) for p in self.phrases), default=1)

    def _add_shortened(self, korean: str, english) -> None:
        rendered = list(dict.fromkeys(p for p in (tuple(self.normalise(e)) for e in english) if p))
        key = tuple(self.normalise(korean))
        if rendered and key:
            self.shortened[korean.replace(" ", "")] = (key, (rendered[:MAX_ENGLISH_PER_CONCEPT], list(english),
                                                             "glossary"))

    def _lossless(self, korean: str) -> bool:
        return "".join(self.normalise(korean)) == korean.replace(" ", "").casefold()

    def _add(self, korean: str, english, source: str) -> None:
        rendered = list(dict.fromkeys(p for p in (tuple(self.normalise(e)) for e in english) if p))
        if not rendered:
            return
        for variant in dict.fromkeys((korean, korean.replace(" ", ""))):
            key = tuple(self.normalise(variant))
            if len(key) < len(variant.split()):
                continue  # a word the normaliser drops (접는 스마트폰) would make 스마트폰 mean "foldable"
            if key and key not in self.phrases:  # the curated glossary, read first, wins
                self.phrases[key] = (rendered[:MAX_ENGLISH_PER_CONCEPT], list(english), source)

    def lookup(self, tokens: Phrase) -> Concept | None:
        found = self.phrases.get(tokens)
        if found is not None:
            return Concept(tokens, list(found[0]), found[2], list(found[1]), tokens in self.optional)
        return None

    def _single(self, token: str) -> Concept:
        if _HANGUL.search(token):
            split = compounds.parts(token)
            if split:
                # ai반도체 -> the glossary's "ai 반도체", else each part's own renderings ANDed
                # as one phrase is too strict; the whole part tuple is looked up first.
                whole = self.lookup(split)
                if whole is not None:
                    return Concept((token,), whole.english, "compound", whole.english_text)
            if self.transliterator is not None and token.isalpha() and not token.isascii():
                english = self.transliterator.english(token)
                if english:
                    rendered = tuple(self.normalise(english))
                    if rendered:
                        return Concept((token,), [rendered], "transliteration", [english])
        return Concept((token,))

    def concepts(self, tokens: list[str] | tuple[str, ...], longest: int = MAX_CONCEPT_TOKENS,
                 text: str = "") -> list[Concept]:
        """Segment normalised query tokens into concepts, longest glossary match first (at most
        `longest` tokens a concept: len - 1 reads a multi-word term as its parts). `text`, the
        query as written, tells a shortened term (양자화) from the term it shortens to (양자)."""
        written = {}
        words = text.split()
        for start in range(len(words)):
            for end in range(start + 1, min(start + 4, len(words)) + 1):  # 깊이 추정 -> 깊이추정
                short = self.shortened.get("".join(words[start:end]))
                if short is not None:
                    written[short[0]] = short[1]
        out: list[Concept] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest, longest, len(tokens) - i), 0, -1):
                span = tuple(tokens[i:i + size])
                found: Concept | None
                if span in written:
                    rendering = written[span]
                    found = Concept(span, list(rendering[0]), rendering[2], list(rendering[1]))
                else:
                    found = self.lookup(span)
                if found is not None:
                    out.append(found)
                    i += size
                    break
            else:
                out.append(self._single(tokens[i]))
                i += 1
        return out


@lru_cache(maxsize=4)
def lexicon_for(normalise: Callable[[str], list[str]]) -> ConceptLexicon:
    from .techtag import load_entries

    return ConceptLexicon(normalise, glossary_rows(), load_entries(), default_transliterator())
