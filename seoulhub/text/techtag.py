"""Technology tagging by alias matching: text -> [TechMatch(slug, score, evidence)].

Framework-free. The taxonomy (data/taxonomy/technologies.json) gives each technology Korean
and English aliases. Matching rules, chosen so Korean news and English papers both work:

* English aliases match whole words. Long aliases are case-insensitive and accept a plural
  ``s``; a space or hyphen in an alias matches a space or hyphen in the text. Aliases without
  spaces that contain a capital (AI, AR, ML, LLMs, IoT, GenAI) are case-sensitive, so "ar" or
  "ml" in running text never fire.
* Hangul aliases of three or more syllables match anywhere, also inside an eojeol
  (시스템반도체, 인공지능을). A space inside a Hangul alias is optional in the text.
  Aliases of two syllables (드론, 로봇, 게임, 위성) and generic (weak) ones of any length (솔루션)
  must start the eojeol, so 아시안게임, 당위성 and 한화솔루션 do not fire; compounds that matter
  are aliases of their own (협동로봇, 모바일게임). One-syllable aliases and a few ambiguous
  two-syllable ones (양자, 보안) fire only when followed by nothing or a particle (양자간 is bilateral).
* In Korean text "AI" next to 구제역, 살처분, 철새 ... is avian influenza, not artificial intelligence.
* Generic words (security, platform, 콘텐츠, 보안 ...) count as weak evidence, short acronyms
  as medium, everything else as strong. The score is 1 - exp(-sum of weights), so one strong
  alias gives 0.63 (a two-syllable Korean one 0.55), two 0.86, and a lone weak word 0.26.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "data" / "taxonomy" / "technologies.json"

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HANGUL_RUN_AFTER = re.compile(r"[\uac00-\ud7a3]*")
# Particles and endings that may follow a noun inside one eojeol.
PARTICLES = frozenset(
    "은 는 이 가 을 를 의 에 로 와 과 도 만 께 서 나 랑 란 엔 "
    "에서 에게 으로 까지 부터 이나 이란 라는 이라는 에는 에서는 으로는 로는 과의 와의 처럼 보다 "
    "이다 였다 이며 이고 으로서 로서 에도 에서도 과도 와도 만의 들 들은 들이 들을 들의 들과 등 등을 "
    "등의 등이 용 형 화 적 분야 산업 기술 업계 시장 기업".split()
)
WEAK_ALIASES = frozenset(
    s.casefold()
    for s in [
        "security",
        "privacy",
        "space",
        "display",
        "displays",
        "app",
        "apps",
        "game",
        "games",
        "chip",
        "chips",
        "cloud",
        "mobility",
        "clinical",
        "medical",
        "healthcare",
        "health care",
        "spectrum",
        "Quest",
        "crypto",
        "solar",
        "battery",
        "batteries",
        "developer",
        "developers",
        "streaming",
        "marketplace",
        "wearable",
        "wearables",
        "encryption",
        "vulnerability",
        "satellite",
        "satellites",
        "rocket",
        "transformer",
        "transformers",
        "accessibility",
        "foundry",
        "wafer",
        "hydrogen",
        "programming",
        "API",
        "robotic",
        "robot",
        "robots",
        "플랫폼",
        "솔루션",
        "콘텐츠",
        "보안",
        "우주",
        "위성",
        "양자",
        "수소",
        "게임",
        "앱",
        "애플리케이션",
        "헬스케어",
        "태양광",
        "배터리",
        "스트리밍",
        "인터페이스",
        "해킹",
        "로봇",
        "모빌리티",
        "SW",
    ]
)
# Short Hangul aliases that only fire before nothing or a particle: 양자간, 양자회담 are bilateral.
STRICT_SHORT_KO = frozenset(["양자", "앱", "보안"])
# In Korean news "AI" beside these words is avian influenza (조류인플루엔자), not artificial intelligence.
AVIAN_FLU_CONTEXT = re.compile("구제역|조류|살처분|철새|가금|산란계|오리농장|고병원성")


@dataclass(frozen=True)
class TechMatch:
    slug: str
    score: float
    evidence: list[str] = field(default_factory=list, hash=False, compare=False)

    def as_dict(self) -> dict:
        return {"slug": self.slug, "score": self.score, "evidence": list(self.evidence)}


@dataclass
class _Alias:
    text: str
    slugs: list[str]
    weight: float
    hangul_syllables: int  # 0 for Latin aliases
    case_sensitive: bool = False  # _is_case_sensitive(text), kept for the matching loop
    latin_tokens: tuple[str, ...] = ()  # _latin_tokens(text): the surface a case-sensitive alias needs


def _is_case_sensitive(alias: str) -> bool:
    return " " not in alias and any(c.isupper() for c in alias)


_LATIN_TOKEN = re.compile(r"[A-Za-z0-9]+")


def _latin_tokens(alias: str) -> tuple[str, ...]:
    return tuple(_LATIN_TOKEN.findall(alias))


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of `words`, shaped as a trie so Python's re does not try each in turn."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _weight(alias: str) -> float:
    if alias.casefold() in WEAK_ALIASES:
        return 0.3
    letters = alias.replace(" ", "")
    if _HANGUL.search(alias):
        return 0.8 if len(letters) <= 2 else 1.0
    if len(letters) <= 3 or (_is_case_sensitive(alias) and len(letters) <= 5):
        return 0.7
    return 1.0


class TechnologyTagger:
    """Multi-label technology tagger built from taxonomy entries (see module docstring)."""

    def __init__(self, entries: list[dict]):
        self.entries = {e["slug"]: e for e in entries}
        self.slugs_by_arxiv_category: dict[str, list[str]] = {}
        for entry in entries:
            for category in dict.fromkeys(entry.get("arxiv", [])):
                self.slugs_by_arxiv_category.setdefault(category, []).append(entry["slug"])
        by_key: dict[tuple[str, bool], _Alias] = {}
        for entry in entries:
            terms = [*entry.get("aliases_ko", []), *entry.get("aliases_en", [])]
            for name in (entry.get("name_ko"), entry.get("name_en")):
                if name and name not in terms:
                    terms.append(name)
            for term in terms:
                term = unicodedata.normalize("NFKC", term).strip()
                if not term:
                    continue
                sensitive = _is_case_sensitive(term) or bool(_HANGUL.search(term))
                key = (term if sensitive else term.casefold(), sensitive)
                alias = by_key.get(key)
                if alias is None:
                    syllables = len(_HANGUL.findall(term)) if _HANGUL.search(term) else 0
                    alias = by_key[key] = _Alias(
                        term, [], _weight(term), syllables, _is_case_sensitive(term), _latin_tokens(term)
                    )
                if entry["slug"] not in alias.slugs:
                    alias.slugs.append(entry["slug"])
        self._aliases = list(by_key.values())
        self._weight_of = {alias.text: alias.weight for alias in self._aliases}  # == _weight(text)
        # Latin aliases: looked up as token n-grams (fast, exact word boundaries).
        self._latin: dict[tuple[str, ...], list[_Alias]] = {}
        # First token -> the n-gram lengths worth trying from it, longest first (a plural such as
        # "chatbots" stands for the one-token alias "chatbot"). Other lengths cannot match.
        sizes: dict[str, set[int]] = {}
        # Hangul aliases: one trie regex; a space inside an alias is optional in the text.
        self._hangul: dict[str, _Alias] = {}
        for (_key, sensitive), alias in by_key.items():
            if alias.hangul_syllables:
                for variant in {alias.text, alias.text.replace(" ", "")}:
                    self._hangul.setdefault(variant, alias)
                continue
            tokens = _latin_tokens(alias.text)
            if not tokens:
                continue
            ngram = tuple(t.casefold() for t in tokens)
            self._latin.setdefault(ngram, []).append(alias)
            sizes.setdefault(ngram[0], set()).add(len(ngram))
            if len(ngram) == 1:
                for plural in (ngram[0] + "s", ngram[0] + "es"):
                    sizes.setdefault(plural, set()).add(1)
        self._ngram_sizes = {first: sorted(lengths, reverse=True) for first, lengths in sizes.items()}
        self._hangul_regex = re.compile(_trie_regex(sorted(self._hangul))) if self._hangul else None

    def alias_weight(self, alias: str) -> float:
        """The evidence weight of an alias as TechMatch.evidence names it (1.0 strong, 0.7-0.8
        short or acronym, 0.3 generic word)."""
        return self._weight_of.get(alias, 1.0)

    def korean_terms(self) -> list[str]:
        """Hangul aliases written without spaces, for a morphological analyser's user dictionary."""
        return sorted({a.text.replace(" ", "") for a in self._aliases if a.hangul_syllables >= 2})

    def _accept(self, alias: _Alias, text: str, start: int, end: int) -> bool:
        if alias.hangul_syllables == 0:
            return True
        at_start = start == 0 or not _HANGUL.match(text[start - 1])
        if alias.hangul_syllables >= 3 and not (alias.weight < 0.5 and not at_start):
            return True
        if alias.text in STRICT_SHORT_KO or alias.hangul_syllables == 1:
            rest = run.group() if (run := _HANGUL_RUN_AFTER.match(text, end)) else ""  # `*`: always a match
            return at_start and (not rest or rest in PARTICLES)
        return at_start

    def _latin_hits(self, text: str):
        surface = _LATIN_TOKEN.findall(text)
        if not surface:
            return
        # The tokens are ASCII letters and digits, so one lower() of the joined tokens folds
        # them all at once (casefold is lower() on ASCII).
        folded = " ".join(surface).lower().split(" ")
        sizes_of = self._ngram_sizes
        # Most words start no alias: visit only those that do.
        starts = [i for i, word in enumerate(folded) if word in sizes_of]
        n = len(folded)
        free = 0  # tokens before `free` belong to an alias already matched
        for i in starts:
            if i < free:
                continue
            matched = 0
            for size in sizes_of[folded[i]]:
                if size > n - i:
                    continue
                window = tuple(folded[i : i + size])
                candidates = self._latin.get(window)
                last = window[-1]
                if candidates is None and len(last) > 3:
                    # Plurals of long, case-insensitive aliases: "digital twins", "chatbots".
                    stem = last[:-2] if last.endswith("es") else last[:-1] if last.endswith("s") else None
                    if stem:
                        candidates = [a for a in self._latin.get(window[:-1] + (stem,), []) if not a.case_sensitive]
                        if not candidates and last.endswith("es"):
                            candidates = [
                                a for a in self._latin.get(window[:-1] + (last[:-1],), []) if not a.case_sensitive
                            ]
                if not candidates:
                    continue
                for alias in candidates:
                    if alias.case_sensitive and tuple(surface[i : i + size]) != alias.latin_tokens:
                        continue
                    yield alias
                    matched = size
                if matched:
                    break
            free = i + (matched or 1)

    def _hangul_hits(self, text: str):
        if self._hangul_regex is None:
            return
        for m in self._hangul_regex.finditer(text):
            alias = self._hangul[m.group()]
            if self._accept(alias, text, m.start(), m.end()):
                yield alias

    def tag(self, text: str, min_score: float = 0.0) -> list[TechMatch]:
        """Technologies named in `text`, best first, each with the aliases that fired."""
        if not text:
            return []
        text = unicodedata.normalize("NFKC", text)
        hits: dict[str, dict[str, int]] = {}
        avian_flu = not text.isascii() and AVIAN_FLU_CONTEXT.search(text) is not None
        for alias in self._latin_hits(text):
            if avian_flu and alias.text == "AI":
                continue
            for slug in alias.slugs:
                counts = hits.setdefault(slug, {})
                counts[alias.text] = counts.get(alias.text, 0) + 1
        if not text.isascii() and _HANGUL.search(text):
            for alias in self._hangul_hits(text):
                for slug in alias.slugs:
                    counts = hits.setdefault(slug, {})
                    counts[alias.text] = counts.get(alias.text, 0) + 1
        results = []
        for slug, counts in hits.items():
            weights = {a: self._weight_of[a] * (1 + 0.5 * math.log(n)) for a, n in counts.items()}
            score = round(1 - math.exp(-sum(weights.values())), 4)
            if score >= min_score:
                evidence = sorted(weights, key=lambda a: -weights[a])
                results.append(TechMatch(slug, score, evidence))
        results.sort(key=lambda m: (-m.score, m.slug))
        return results


def load_entries(path: Path = TAXONOMY_PATH) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["technologies"]


@lru_cache(maxsize=1)
def default_tagger() -> TechnologyTagger:
    """The tagger over the shipped taxonomy; built once per process."""
    return TechnologyTagger(load_entries())
