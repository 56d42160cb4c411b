"""A search query as groups of alternatives: every group must match, any alternative in a group may.

"인공지능 반도체" normalises to the tokens [인공지능, 반도체]; the taxonomy tagger recognises the
mention as the technology `ai-semiconductor`, so its group also accepts that technology's names
in the other script (ai chip, ai accelerator, npu ...); "smart city" likewise gains 스마트시티.
A document must then match one alternative of every group. Alternatives are phrases (tuples of
normalised tokens), normalised by the SAME function as documents, passed in as `normalise`.
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

    @property
    def empty(self) -> bool:
        return not self.groups


def _phrase(normalise: Normaliser, text: str) -> Phrase:
    return tuple(normalise(text))


def _find(tokens: list[str], phrase: Phrase) -> int:
    for start in range(len(tokens) - len(phrase) + 1):
        if tuple(tokens[start:start + len(phrase)]) == phrase:
            return start
    return -1


def parse_query(text: str, normalise: Normaliser, tagger=None, expand: bool = True) -> ParsedQuery:
    """Normalise `text` and expand technology mentions with their aliases (see module docstring).
    `tagger` is a `seoulhub.text.techtag.TechnologyTagger`; without it no expansion happens."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise ValueError(f"The search text is too long ({len(text)} characters; at most {MAX_QUERY_CHARS}).")
    tokens = list(dict.fromkeys(normalise(text)))  # a repeated word adds nothing to a query
    groups: list[list[Phrase]] = [[(token,)] for token in tokens]
    spans: list[tuple[int, int]] = [(i, i + 1) for i in range(len(tokens))]
    technologies: list[str] = []
    surface = [w for w in text.split() if w]
    if expand and tagger is not None and tokens:
        for match in tagger.tag(text):
            entry = tagger.entries.get(match.slug, {})
            aliases = [entry.get("name_ko", ""), entry.get("name_en", ""), *entry.get("aliases_ko", []),
                       *entry.get("aliases_en", [])]
            for evidence in match.evidence:
                phrase = _phrase(normalise, evidence)
                start = _find(tokens, phrase) if phrase else -1
                if start < 0:
                    continue
                # Only the technology's names in the OTHER script are added: they carry the query
                # across languages. Same-language aliases mostly broaden it (거대언어모델 -> gpt,
                # diffusion model ...), which the embedding side already does by meaning, and made
                # the full-text side match a fifth of the corpus (docs/decisions-search.md).
                korean_mention = bool(_HANGUL.search(evidence))
                alternatives = list(dict.fromkeys(
                    p for p in (_phrase(normalise, a) for a in aliases if a and bool(_HANGUL.search(a)) != korean_mention) if p))
                technologies.append(match.slug)
                surface.extend(a for a in aliases if a)  # highlight any name of the technology
                # The group(s) covering this mention become one group: the mention or any alias.
                covering = [i for i, (a, b) in enumerate(spans) if a < start + len(phrase) and b > start]
                merged = [phrase]
                for i in covering:
                    # A lone word of a multi-word mention ("smart" of "smart city") would match far
                    # too much on its own; the phrase and the aliases stand for it.
                    merged.extend(alt for alt in groups[i] if not (len(phrase) > 1 and len(alt) == 1 and alt[0] in phrase))
                merged.extend(alternatives)
                first = covering[0]
                new_span = (min(spans[i][0] for i in covering), max(spans[i][1] for i in covering))
                for i in reversed(covering):
                    del groups[i], spans[i]
                groups.insert(first, list(dict.fromkeys(merged))[:MAX_ALTERNATIVES_PER_GROUP])
                spans.insert(first, new_span)
    return ParsedQuery(text, tokens, groups, list(dict.fromkeys(technologies)), list(dict.fromkeys(surface)))
