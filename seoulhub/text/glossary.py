"""Concepts of a Korean query and their English renderings, for cross-lingual search.

A query is read as a sequence of concepts, longest first: "검색 증강 생성 평가" is [검색 증강 생성]
[평가], "온디바이스 AI" is [온디바이스] [AI]. Each concept carries its English terms from

1. the curated glossary data/glossary/ko_en_tech.tsv (a hand-written translation dictionary:
   연합학습 -> federated learning, 초해상도 -> super-resolution);
2. the taxonomy's Korean and English aliases of one technology (data/taxonomy/technologies.json),
   for Korean terms the glossary does not have;
3. back-transliteration of a loanword against the corpus's English vocabulary (transliterate.py:
   온디바이스 -> on-device, 하이브리드 -> hybrid);
4. the parts of a compound token (compounds.py: ai반도체 -> ai + 반도체), looked up again as a
   phrase, else composed from each part's own rendering (양자 + 컴퓨터 -> quantum computer);
5. the nearest English words of the corpus by the multilingual encoder, when close enough
   (neighbours.py: 치과 -> dental), for a Hangul word nothing above renders.

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
MAX_SPACED_WORDS = 4  # terms of up to this many words are also registered with any spacing
MAX_PART_RENDERINGS = 2  # renderings of one part of a compound tried in combination

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
    def __init__(
        self,
        normalise: Callable[[str], list[str]],
        entries=(),
        taxonomy_entries=(),
        transliterator: Transliterator | None = None,
        neighbours=None,
    ):
        self.normalise = normalise
        self.transliterator = transliterator
        self.neighbours = neighbours  # neighbours.EnglishNeighbours: the encoder's last resort
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
        self.split_compositional = True
        self._parts_cache: dict[Phrase, list[Concept]] = {}

    def _add_shortened(self, korean: str, english) -> None:
        rendered = list(dict.fromkeys(p for p in (tuple(self.normalise(e)) for e in english) if p))
        key = tuple(self.normalise(korean))
        if rendered and key:
            self.shortened[korean.replace(" ", "")] = (
                key,
                (rendered[:MAX_ENGLISH_PER_CONCEPT], list(english), "glossary"),
            )

    def _lossless(self, korean: str) -> bool:
        return "".join(self.normalise(korean)) == korean.replace(" ", "").casefold()

    def _add(self, korean: str, english, source: str) -> None:
        rendered = list(dict.fromkeys(p for p in (tuple(self.normalise(e)) for e in english) if p))
        if not rendered:
            return
        if 2 * len("".join(self.normalise(korean))) <= len(korean.replace(" ", "")):
            # The normaliser keeps half the term or less (홀로그램 -> 그램, 깊이 추정 -> 추정): the
            # fragment must not mean the term; written so, `shortened` still reads it.
            return
        if len(self.normalise(korean)) < len(korean.split()):
            # A word the normaliser drops (접는 스마트폰, 긴 문맥) would make 스마트폰 mean "foldable"
            # and 문맥 "long context"; the spaceless form (긴문맥 -> 문맥) is dropped with it.
            return
        for variant in _spacings(korean):
            key = tuple(self.normalise(variant))
            if key and key not in self.phrases:  # the curated glossary, read first, wins
                self.phrases[key] = (rendered[:MAX_ENGLISH_PER_CONCEPT], list(english), source)

    def lookup(self, tokens: Phrase) -> Concept | None:
        found = self.phrases.get(tokens)
        if found is not None:
            return Concept(tokens, list(found[0]), found[2], list(found[1]), tokens in self.optional)
        return None

    def _single(self, token: str) -> Concept:
        if _HANGUL.search(token):
            words = tuple(token.split())
            split = words if len(words) > 1 else compounds.parts(token)  # a user word may hold a space
            if split:
                # ai반도체 -> the glossary's "ai 반도체" when it has it ...
                whole = self.lookup(split)
                if whole is not None:
                    return Concept((token,), whole.english, "compound", whole.english_text)
            english = self._transliterate(token)
            if english:
                return Concept((token,), [tuple(self.normalise(english))], "transliteration", [english])
            if split:
                # ... else the parts' renderings in order, as phrases: 양자컴퓨터 -> quantum computer,
                # 강화학습 -> reinforcement learning (a compound is the English words side by side).
                composed = self._compose(split)
                if composed:
                    return Concept((token,), [tuple(self.normalise(e)) for e in composed], "compound", composed)
            if self.neighbours is not None:
                nearest = [w for w in self.neighbours.nearest(token) if self.normalise(w)]
                if nearest:
                    return Concept(
                        (token,), list(dict.fromkeys(tuple(self.normalise(w)) for w in nearest)), "encoder", nearest
                    )
        return Concept((token,))

    def _as_parts(self, concept: Concept) -> list[Concept]:
        """A multi-word term whose English is just its words' renderings side by side (시계열 예측 =
        time series + forecasting, 의료 대형 언어 모델 = medical + large language model) as those
        concepts, each required on its own: English titles seldom keep the words adjacent
        ("Large Language Models for Clinical ..."), and an adjacent phrase found too rarely
        sends the search to its fallback. An idiom (사고의 사슬 = chain of thought) stays whole."""
        found = self._parts_cache.get(concept.tokens)
        if found is None:
            parts = self.concepts(concept.tokens, longest=len(concept.tokens) - 1)
            # Every rendering must be spelled so, or the split would lose one (OCR of 광학 문자 인식).
            composed = (
                bool(concept.english)
                and all(p.english for p in parts)
                and all(_spells(english, parts) for english in concept.english)
            )
            found = self._parts_cache[concept.tokens] = parts if composed else []
        if not found:
            return [concept]
        # A head noun of the term is required like its other words (연합 학습 = federated AND learning).
        return [Concept(p.tokens, list(p.english), p.source, list(p.english_text)) for p in found]

    def _written_loanword(self, word: str, tokens: Phrase):
        """A loanword Kiwi does not know comes apart (오케스트레이션 -> 오케스트 레이 션) or loses its
        end (스펙트로그램 -> 스펙트로): the run of query tokens that spells part of the written word,
        with the whole word's transliteration, when one of its tokens is unknown; else None."""
        if not _HANGUL.search(word) or not word.isalpha() or word.isascii() or (word.casefold(),) in self.phrases:
            return None
        for start in range(len(tokens)):
            end = start
            while end < len(tokens) and "".join(tokens[start : end + 1]) in word.casefold():
                end += 1
            run = tokens[start:end]
            if not run or "".join(run) == word.casefold() and len(run) == 1:
                continue
            if all(self.lookup((t,)) is not None for t in run) or self.lookup(run) is not None:
                return None  # the pieces are words the glossary knows (연합 학습)
            english = self._transliterate(word)
            if english:
                return run, ([tuple(self.normalise(english))], [english], "transliteration")
            return None
        return None

    def _transliterate(self, word: str) -> str | None:
        if self.transliterator is None or not word.isalpha() or word.isascii():
            return None
        english = self.transliterator.english(word)
        return english if english and self.normalise(english) else None

    def _part_english(self, part: str) -> list[str]:
        found = self.lookup((part,))
        if found is not None and found.english_text:
            return found.english_text[:MAX_PART_RENDERINGS]
        if not _HANGUL.search(part):
            return [part]  # ai of ai반도체
        english = self._transliterate(part)
        return [english] if english else []

    def _compose(self, parts: Phrase) -> list[str]:
        """English phrases for a compound from its parts' renderings (every part must have one):
        at most MAX_ENGLISH_PER_CONCEPT combinations, the glossary's first renderings first."""
        renderings = [self._part_english(p) for p in parts]
        if not all(renderings):
            return []
        phrases = [""]
        for options in renderings:
            phrases = [f"{head} {option}".strip() for head in phrases for option in options]
        return phrases[:MAX_ENGLISH_PER_CONCEPT]

    def concepts(
        self, tokens: list[str] | tuple[str, ...], longest: int = MAX_CONCEPT_TOKENS, text: str = ""
    ) -> list[Concept]:
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
        for word in words:
            loanword = self._written_loanword(word, tuple(tokens))
            if loanword is not None and loanword[0] not in written:
                written[loanword[0]] = loanword[1]
        out: list[Concept] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest, longest, len(tokens) - i), 0, -1):
                span = tuple(tokens[i : i + size])
                found: Concept | None
                if span in written:
                    rendering = written[span]
                    found = Concept(span, list(rendering[0]), rendering[2], list(rendering[1]))
                else:
                    found = self.lookup(span)
                if found is not None:
                    out.extend(self._as_parts(found) if self.split_compositional and size > 1 else [found])
                    i += size
                    break
            else:
                out.append(self._single(tokens[i]))
                i += 1
        return out


def _spacings(korean: str) -> list[str]:
    """The term as written, without spaces, and (up to MAX_SPACED_WORDS words) with every other
    choice of spaces: 대규모 언어모델 and 대규모언어 모델 are 대규모 언어 모델, and Kiwi may keep a
    joined pair as one token (언어모델)."""
    words = korean.split()
    variants = [korean, "".join(words)]
    if 2 < len(words) <= MAX_SPACED_WORDS:
        for mask in range(1, 2 ** (len(words) - 1) - 1):
            joined = words[0]
            for i, word in enumerate(words[1:]):
                joined += ("" if mask >> i & 1 else " ") + word
            variants.append(joined)
    return list(dict.fromkeys(variants))


def _spells(english: Phrase, parts: list[Concept]) -> bool:
    """Whether `english` is one rendering of each part in order (an optional part may be absent)."""

    def walk(at: int, index: int) -> bool:
        if index == len(parts):
            return at == len(english)
        part = parts[index]
        if part.optional and walk(at, index + 1):
            return True
        return any(
            english[at : at + len(option)] == option and walk(at + len(option), index + 1) for option in part.english
        )

    return walk(0, 0)


@lru_cache(maxsize=4)
def lexicon_for(normalise: Callable[[str], list[str]]) -> ConceptLexicon:
    from .techtag import load_entries

    from .neighbours import default_neighbours

    return ConceptLexicon(normalise, glossary_rows(), load_entries(), default_transliterator(), default_neighbours())


_STOPWORDS = frozenset(
    "a an the of for and in on with to via from by at as is are be we our its their into towards toward using based "
    "under over through what how when why do does can not or vs versus than beyond without across between within "
    "among more less new novel one two all any this that these those your you it large".split()
)


def uncovered_terms(titles, min_count: int = 25, path: Path = GLOSSARY_PATH) -> list[tuple[str, int]]:
    """The English one- to three-word terms of `titles` (in at least `min_count` titles) that no
    glossary entry renders, most frequent first: the worklist from which the glossary was grown."""
    from collections import Counter

    covered = {english.casefold() for _korean, terms, _optional in glossary_rows(path) for english in terms}
    counts: Counter = Counter()
    for title in titles:
        words = [w.strip(".,:;!?()[]{}\"'").casefold() for w in title.split()]
        grams = set()
        for size in (1, 2, 3):
            for start in range(len(words) - size + 1):
                gram = words[start : start + size]
                if all(w and w not in _STOPWORDS and re.match(r"^[a-z][a-z0-9\-]*$", w) for w in gram):
                    grams.add(" ".join(gram))
        counts.update(grams)
    return [(term, n) for term, n in counts.most_common() if n >= min_count and term not in covered]


if __name__ == "__main__":  # python -m seoulhub.text.glossary: the corpus's terms the glossary lacks
    import gzip
    import json

    source = GLOSSARY_PATH.parents[1] / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        corpus_titles = [json.loads(line)["title"] for line in fh]
    for term, n in uncovered_terms(corpus_titles):
        print(f"{n}\t{term}")
