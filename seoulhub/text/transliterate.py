"""Back-transliteration of Korean loanwords to the English words they were borrowed from.

페로브스카이트 -> perovskite, 온디바이스 -> on-device, 트랜스포머 -> transformer. Korean writes an
English loanword by its sound, so both spellings reduce to the same consonant skeleton once the
sounds Korean does not distinguish are merged (f/p/v/b -> p, l/r -> r, d/t -> t, g/k/c -> k, j/z/ch
-> c) and vowels, silent letters and the r that English drops before a consonant are left out:

    페로브스카이트  p-r-p-s-k-t      perovskite  p-r-p-s-k-t
    트랜스포머      t-r-n-s-p-m      transformer t-r-n-s-p-m

A `Transliterator` is built once from an English vocabulary (the words of the indexed corpus,
data/glossary/en_vocab.tsv) into a dict skeleton -> words, so a lookup is one dict access plus
a few string comparisons among the words that share the skeleton (vowels then decide).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

VOCABULARY_PATH = Path(__file__).resolve().parents[2] / "data" / "glossary" / "en_vocab.tsv"

_INITIAL = ["k", "k", "n", "t", "t", "r", "m", "p", "p", "s", "s", "", "c", "c", "c", "k", "t", "p", "h"]
_FINAL = [
    "",
    "k",
    "k",
    "ks",
    "n",
    "nc",
    "n",
    "t",
    "r",
    "rk",
    "rm",
    "rp",
    "rs",
    "rt",
    "rp",
    "r",
    "m",
    "p",
    "ps",
    "t",
    "t",
    "n",
    "c",
    "c",
    "k",
    "t",
    "p",
    "",
]
# Vowels in a rough English spelling, for choosing among words with the same skeleton. ㅡ is the
# vowel Korean adds to a lone consonant (스, 트, 브), so it stands for nothing.
_VOWEL = [
    "a",
    "e",
    "ya",
    "ye",
    "er",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "we",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "",
    "ui",
    "i",
]
_ROMAN_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]

_VOWELS = set("aeiouy")
_WORD = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
MIN_SKELETON = 4  # shorter skeletons (t-p-k: topic? deepfake?) collide too often to trust
MIN_SIMILARITY = 0.5
MIN_SIMILARITY_UNMARKED = 0.65  # a word without the marks of a loanword must spell much closer


def _syllables(word: str):
    for ch in word:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            yield code // 588, (code % 588) // 28, code % 28


def hangul_skeleton(word: str) -> str:
    """The consonant skeleton of a Hangul word (non-Hangul characters are ignored)."""
    out = "".join(_INITIAL[i] + _FINAL[f] for i, _, f in _syllables(word))
    return _collapse(out)


def hangul_roman(word: str) -> str:
    """A rough Latin spelling of a Hangul word with the same merges as `english_roman`."""
    parts = []
    for i, v, f in _syllables(word):
        parts.append(_ROMAN_INITIAL[i] + _VOWEL[v] + _FINAL[f])
    return _soften("".join(parts))


def _collapse(skeleton: str) -> str:
    return re.sub(r"(.)\1+", r"\1", skeleton)


def english_skeletons(word: str) -> set[str]:
    """The consonant skeletons of an English word, as Korean may hear it: -sion is 션 or 전
    (mission, fusion), th is ㅅ or ㄷ (method, ethereum)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    variants = {w}
    if "sion" in w:
        variants.add(w.replace("sion", "jon"))
    if "th" in w:
        variants.add(w.replace("th", "t"))
    return {english_skeleton(v) for v in variants}


def english_skeleton(word: str) -> str:
    """The consonant skeleton of an English word, as Korean would hear it."""
    w = re.sub(r"[^a-z]", "", word.lower())
    w = re.sub(r"(.)\1+", r"\1", w)
    w = (
        w.replace("tion", "sn")
        .replace("sion", "sn")
        .replace("ph", "p")
        .replace("th", "s")
        .replace("sh", "s")
        .replace("ch", "c")
        .replace("ck", "k")
        .replace("qu", "k")
        .replace("ng", "n")
        .replace("gh", "")
        .replace("wh", "w")
        .replace("x", "ks")
    )
    out = []
    for i, ch in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if ch in _VOWELS or ch == "w":
            continue
        if ch == "r":
            if nxt and nxt in _VOWELS:
                out.append("r")
        elif ch == "l":
            out.append("r")
        elif ch in "pbfv":
            out.append("p")
        elif ch in "dt":
            out.append("t")
        elif ch == "c":
            out.append("s" if nxt in ("e", "i", "y") else "k")
        elif ch == "g":
            out.append("c" if nxt in ("e", "i", "y") else "k")
        elif ch in "kq":
            out.append("k")
        elif ch in "jz":
            out.append("c")
        elif ch in "smnh":
            out.append(ch)
    return _collapse("".join(out))


def _soften(text: str) -> str:
    return (
        text.replace("f", "p")
        .replace("v", "b")
        .replace("l", "r")
        .replace("ph", "p")
        .replace("th", "s")
        .replace("eo", "o")
        .replace("kk", "k")
        .replace("tt", "t")
        .replace("pp", "p")
        .replace("ss", "s")
    )


def english_roman(word: str) -> str:
    w = re.sub(r"[^a-z]", "", word.lower())
    w = re.sub(r"c(?=[eiy])", "s", w).replace("ck", "k").replace("c", "k").replace("x", "ks").replace("z", "j")
    return _soften(w)


def _looks_borrowed(word: str) -> bool:
    """Sino-Korean words never use ㅡ alone after a consonant at the end of a syllable cluster as
    loanwords do (스, 트, 브, 크, 프, 드, 즈, 츠) and rarely use ㅋ, ㅌ or ㅍ initials with ㅔ/ㅐ."""
    for i, v, f in _syllables(word):
        if v == 18 and f == 0 and i != 11:  # consonant + ㅡ, no final: 스 트 브 크 프 드 ...
            return True
        if i in (15, 16, 17) and v in (1, 5):  # 케 캐 테 태 페 패
            return True
    return False


class Transliterator:
    def __init__(self, vocabulary: Iterable[tuple[str, int]]):
        by_skeleton: dict[str, list[tuple[str, int]]] = {}
        for word, count in vocabulary:
            for skeleton in english_skeletons(word):
                if len(skeleton) >= MIN_SKELETON:
                    by_skeleton.setdefault(skeleton, []).append((word, count))
        self.by_skeleton = by_skeleton

    def __len__(self) -> int:
        return len(self.by_skeleton)

    @lru_cache(maxsize=20_000)
    def english(self, word: str) -> str | None:
        """The English word a Korean loanword transliterates, or None."""
        if len(word) < 3:
            return None
        candidates = self.by_skeleton.get(hangul_skeleton(word))
        if not candidates:
            return None
        roman = hangul_roman(word)
        best, best_score = None, MIN_SIMILARITY if _looks_borrowed(word) else MIN_SIMILARITY_UNMARKED
        for english, count in candidates:
            score = difflib.SequenceMatcher(None, roman, english_roman(english)).ratio()
            # The corpus's frequency decides between near-equal spellings (image/images).
            score += min(count, 1000) / 100_000
            if score > best_score:
                best, best_score = english, score
        return best


def read_vocabulary(path: Path = VOCABULARY_PATH) -> list[tuple[str, int]]:
    if not path.exists():
        return []
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            word, _, count = line.rstrip("\n").partition("\t")
            rows.append((word, int(count or 1)))
    return rows


@lru_cache(maxsize=1)
def default_transliterator() -> Transliterator:
    return Transliterator(read_vocabulary())


def count_vocabulary(titles: Iterable[str], min_count: int = 3) -> Counter:
    """English words (hyphenated forms kept whole: on-device, super-resolution) of `titles`."""
    counts: Counter = Counter()
    for title in titles:
        for raw in title.lower().split():
            word = raw.strip(".,:;!?()[]{}\"'")
            if len(word) >= 4 and _WORD.match(word):
                counts[word] += 1
    return Counter({w: c for w, c in counts.items() if c >= min_count})


def write_vocabulary(titles: Iterable[str], path: Path = VOCABULARY_PATH, source: str = "") -> int:
    counts = count_vocabulary(titles)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# English words of the indexed corpus for back-transliteration (seoulhub/text/transliterate.py).\n")
        fh.write(f"# Counted from {source}; word<TAB>titles containing it (at least 3).\n")
        for word, count in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])):
            fh.write(f"{word}\t{count}\n")
    return len(counts)


if __name__ == "__main__":  # python -m seoulhub.text.transliterate: rebuild the vocabulary file
    import gzip
    import json

    source = VOCABULARY_PATH.parents[1] / "arxiv" / "arxiv_cs_titles_2025-03-18_2026-07-01.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        titles = [json.loads(line)["title"] for line in fh]
    print(write_vocabulary(titles, source=f"data/arxiv/{source.name} ({len(titles)} arXiv cs.CV/cs.CL titles, CC0)"))
