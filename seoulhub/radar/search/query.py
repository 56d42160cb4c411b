"""A search query as groups of alternatives: every group must match, any alternative in a group may.

With a concept lexicon (seoulhub.text.glossary) a Korean query is read as concepts, one group
each: "연합학습 보안" is [연합 학습 | federated learning] AND [보안 | security ...] (docs/search.md).
A technology the taxonomy tagger recognises also accepts its names in the other script
("smart city" gains 스마트시티). Alternatives are phrases of tokens normalised by `normalise`,
the same function as documents.
"""

from __future__ import annotations

from collections.abc import Callable
import re
from dataclasses import dataclass, field

Phrase = tuple[str, ...]
Normaliser = Callable[[str], list[str]]

MAX_QUERY_CHARS = 300
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
MAX_ALTERNATIVES_PER_GROUP = 24


@dataclass
class ParsedQuery:
    text: str
    tokens: list[str]
    groups: list[list[Phrase]]
    technologies: list[str] = field(default_factory=list)
    surface_terms: list[str] = field(default_factory=list)  # words to highlight in snippets
    english: list[str] = field(default_factory=list)  # English renderings of the concepts, if any
    translated: list[bool] = field(default_factory=list)  # per group: has a Latin alternative
    # The groups with each multi-word glossary term read as its own concepts (교통 예측 -> traffic
    # AND prediction|forecasting), for the fallback; None when there is no such term.
    finer_groups: list[list[Phrase]] | None = None

    @property
    def english_text(self) -> str:
        """The query with each translated concept in English (for the embedding), "" if none is."""
        return " ".join(self.english) if any(self.translated) else ""

    def relaxed_groups(self) -> list[list[Phrase]] | None:
        """The groups that can match English text, when some cannot (an untranslated Korean word
        would keep every English item out); None when nothing would be dropped."""
        if len(self.groups) < 2 or all(self.translated) or not any(self.translated):
            return None
        return [g for g, ok in zip(self.groups, self.translated) if ok]

    @property
    def empty(self) -> bool:
        return not self.groups


def _phrase(normalise: Normaliser, text: str) -> Phrase:
    return tuple(normalise(text))


def _find(tokens: list[str], phrase: Phrase) -> int:
    for start in range(len(tokens) - len(phrase) + 1):
        if tuple(tokens[start : start + len(phrase)]) == phrase:
            return start
    return -1


def _group(concept) -> list[Phrase]:
    from seoulhub.text import compounds

    alternatives = [concept.tokens]
    if len(concept.tokens) == 1 and _HANGUL.search(concept.tokens[0]):
        split = compounds.parts(concept.tokens[0])
        if split:
            alternatives.append(split)
    alternatives.extend(concept.english)
    return list(dict.fromkeys(alternatives))[:MAX_ALTERNATIVES_PER_GROUP]


def _finer_groups(concepts, lexicon) -> list[list[Phrase]] | None:
    finer, changed = [], False
    for concept in concepts:
        parts = lexicon.concepts(concept.tokens, longest=len(concept.tokens) - 1) if len(concept.tokens) > 1 else []
        parts = [c for c in parts if not c.optional] if any(not c.optional for c in parts) else parts
        if parts and all(c.english for c in parts):
            finer.extend(_group(c) for c in parts)
            changed = True
        elif not concept.optional:
            finer.append(_group(concept))
    return finer if changed else None


def _concept_groups(tokens: list[str], lexicon, text: str = ""):
    """One group per concept of the lexicon: the Korean phrase, its compound parts as a phrase,
    its English renderings. Also the English words of the query for the embedding, and the finer
    groups of the fallback."""
    groups, spans, english = [], [], []
    start = 0
    concepts = lexicon.concepts(tokens, text=text)
    required = any(not c.optional for c in concepts)
    for concept in concepts:
        if concept.optional and required:
            # A head noun (수중 영상, 표 이해) would demand "image" or "understanding" of every title.
            english.append(concept.english_text[0])
            start += len(concept.tokens)
            continue
        groups.append(_group(concept))
        spans.append((start, start + len(concept.tokens)))
        english.append(concept.english_text[0] if concept.english_text else " ".join(concept.tokens))
        start += len(concept.tokens)
    if not any(c.english for c in concepts):
        english = []  # nothing was rendered (an English query): no English text to add
    return groups, spans, english, _finer_groups(concepts, lexicon)


def parse_query(text: str, normalise: Normaliser, tagger=None, expand: bool = True, lexicon=None) -> ParsedQuery:
    """Normalise `text` and expand technology mentions with their aliases (see module docstring).
    `tagger` is a `seoulhub.text.techtag.TechnologyTagger`; without it no expansion happens.
    `lexicon` is a `seoulhub.text.glossary.ConceptLexicon`; without it every token is a group."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise ValueError(f"The search text is too long ({len(text)} characters; at most {MAX_QUERY_CHARS}).")
    tokens = list(dict.fromkeys(normalise(text)))  # a repeated word adds nothing to a query
    english: list[str] = []
    finer = None
    if expand and lexicon is not None and tokens:
        groups, spans, english, finer = _concept_groups(tokens, lexicon, text)
    else:
        groups = [[(token,)] for token in tokens]
        spans = [(i, i + 1) for i in range(len(tokens))]
    translated = [len(g) > 1 for g in groups]  # whether the lexicon gave a group alternatives
    technologies: list[str] = []
    surface = [w for w in text.split() if w]
    surface.extend(w for w in english if not _HANGUL.search(w))
    if expand and tagger is not None and tokens:
        for match in tagger.tag(text):
            entry = tagger.entries.get(match.slug, {})
            aliases = [
                entry.get("name_ko", ""),
                entry.get("name_en", ""),
                *entry.get("aliases_ko", []),
                *entry.get("aliases_en", []),
            ]
            for evidence in match.evidence:
                phrase = _phrase(normalise, evidence)
                start = _find(tokens, phrase) if phrase else -1
                if start < 0:
                    continue
                # Only the names in the OTHER script: they carry the query across languages, while
                # same-language aliases broaden it (거대언어모델 -> gpt ...; docs/decisions.md, "Search").
                korean_mention = bool(_HANGUL.search(evidence))
                alternatives = list(
                    dict.fromkeys(
                        p
                        for p in (
                            _phrase(normalise, a) for a in aliases if a and bool(_HANGUL.search(a)) != korean_mention
                        )
                        if p
                    )
                )
                technologies.append(match.slug)
                surface.extend(a for a in aliases if a)  # highlight any name of the technology
                # The group(s) covering this mention become one group: the mention or any alias.
                covering = [i for i, (a, b) in enumerate(spans) if a < start + len(phrase) and b > start]
                if (
                    not covering
                    or lexicon is not None
                    and (
                        any(spans[i][1] - spans[i][0] > len(phrase) for i in covering)
                        or any(translated[i] for i in covering)
                    )
                ):
                    # The lexicon's renderings are narrower than the taxonomy's (강화학습); a mention
                    # inside a concept (로봇 of 변신 로봇) or across two (온디바이스 AI) would OR them.
                    continue
                merged = [phrase]
                for i in covering:
                    # A lone word of a multi-word mention ("smart" of "smart city") matches far too much.
                    merged.extend(
                        alt for alt in groups[i] if not (len(phrase) > 1 and len(alt) == 1 and alt[0] in phrase)
                    )
                merged.extend(alternatives)
                first = covering[0]
                new_span = (min(spans[i][0] for i in covering), max(spans[i][1] for i in covering))
                for i in reversed(covering):
                    del groups[i], spans[i], translated[i]
                groups.insert(first, list(dict.fromkeys(merged))[:MAX_ALTERNATIVES_PER_GROUP])
                spans.insert(first, new_span)
                translated.insert(first, True)
    translated = [any(not _HANGUL.search(" ".join(alt)) for alt in group) for group in groups]  # Latin now
    return ParsedQuery(
        text,
        tokens,
        groups,
        list(dict.fromkeys(technologies)),
        list(dict.fromkeys(surface)),
        english,
        translated,
        finer,
    )
