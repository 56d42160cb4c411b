"""Cue words ("model features") per technology: weaker evidence than taxonomy aliases.

An alias names a technology ("computer vision"); a cue word is typical of writing about it
("segmentation", "pixel"). Each distinct cue adds FEATURE_WEIGHT to the technology's evidence,
at most MAX_FEATURES of them, so cues alone reach at most 1 - exp(-0.9) = 0.59 and one cue 0.26.
Used by the radar's classifier (radar.ingest.process.classify_text), not by TechnologyTagger.tag, so
other callers (firm and programme tagging) keep the plain alias semantics.
Chosen by reading arXiv abstracts and Korean headlines, then checked with `seoulhub bench classify`.
"""

from __future__ import annotations

import heapq
import math
import re

FEATURE_WEIGHT = 0.3
MAX_FEATURES = 3

CUES = {
    "computer-vision": [
        "image",
        "images",
        "video",
        "videos",
        "visual",
        "segmentation",
        "pixel",
        "pixels",
        "camera",
        "point cloud",
        "depth estimation",
        "scene",
        "scenes",
        "rendering",
        "gaussian splatting",
        "optical flow",
        "tracking",
        "detection",
        "vision",
        "3d",
        "imaging",
        "photo",
        "photos",
        "영상",
        "이미지",
        "카메라",
    ],
    "nlp": [
        "language",
        "languages",
        "linguistic",
        "text",
        "textual",
        "translation",
        "sentence",
        "sentences",
        "speech",
        "dialogue",
        "corpus",
        "corpora",
        "multilingual",
        "summarization",
        "prompt",
        "prompts",
        "tokens",
        "word",
        "words",
        "reading comprehension",
        "named entity",
        "번역",
        "음성",
    ],
    "machine-learning": [
        "training",
        "neural",
        "gradient",
        "optimization",
        "supervised",
        "unsupervised",
        "representation learning",
        "fine-tuning",
        "generalization",
        "loss function",
        "학습",
    ],
    "ai": ["reasoning", "planning", "knowledge graph", "decision making", "intelligent", "지능"],
    "robotics": ["manipulation", "grasping", "locomotion", "navigation", "embodied", "legged"],
    "digital-health": ["patient", "patients", "diagnosis", "clinical", "medical", "disease", "진단", "의료"],
    "semiconductors": ["d램", "dram", "낸드", "nand", "메모리", "memory chip"],
    "telecom-5g-6g": ["통신", "이통", "이통사", "주파수", "밀리미터파", "mmwave"],
    "games": ["게임", "신작", "e스포츠"],
    "software": ["스마트폰", "갤럭시", "아이폰", "노트북", "태블릿", "스마트워치", "웨어러블", "카카오톡", "유튜브"],
}

_LATIN = re.compile(r"[a-z0-9]")


def _pattern(cue: str) -> str:
    if _LATIN.match(cue[0]):
        return r"(?<![a-z0-9])" + re.escape(cue) + r"(?![a-z0-9])"
    if "\uac00" <= cue[0] <= "\ud7a3":  # a Hangul cue starts a word: 아시안게임 is not 게임
        return r"(?<![\uac00-\ud7a3])" + re.escape(cue)
    return re.escape(cue)


_CUE_SLUGS: dict[str, list[str]] = {}
for _slug, _cues in CUES.items():
    for _cue in _cues:
        _CUE_SLUGS.setdefault(_cue, []).append(_slug)

# One regex alternation over every cue was the slowest step of classification (Python's re
# tries each alternative at each position). Instead: cues that are one ASCII word are looked up
# among the text's [a-z0-9] runs (the same boundaries the regex had), and the few others
# (Hangul, several words, hyphens) are found by substring search, confirmed by their own regex.
_WORD_RUN = re.compile(r"[a-z0-9]+")
_PATTERNS = {c: re.compile(_pattern(c)) for c in _CUE_SLUGS}
_WORD_CUES = frozenset(c for c in _CUE_SLUGS if _WORD_RUN.fullmatch(c))
_OTHER_CUES = [c for c in _CUE_SLUGS if c not in _WORD_CUES]


def feature_hits(text: str) -> dict[str, list[str]]:
    """slug -> distinct cue words found in `text` (case-insensitive), at most MAX_FEATURES each,
    in the order they first occur; overlapping cues resolve as one left-to-right, longest-first
    scan would resolve them."""
    folded = text.casefold()
    present = set(_WORD_CUES.intersection(_WORD_RUN.findall(folded)))
    present.update(c for c in _OTHER_CUES if c in folded)
    if not present:
        return {}
    queue = [(m.start(), -len(c), c) for c in present if (m := _PATTERNS[c].search(folded))]
    heapq.heapify(queue)
    hits: dict[str, list[str]] = {}
    taken: set[str] = set()
    covered_until = 0
    while queue:
        start, _longest_first, cue = heapq.heappop(queue)
        if cue in taken:
            continue
        if start < covered_until:  # inside a cue already taken: look further on
            if m := _PATTERNS[cue].search(folded, covered_until):
                heapq.heappush(queue, (m.start(), -len(cue), cue))
            continue
        taken.add(cue)
        covered_until = start + len(cue)
        for slug in _CUE_SLUGS[cue]:
            cues = hits.setdefault(slug, [])
            if len(cues) < MAX_FEATURES:
                cues.append(cue)
    return hits


def feature_score(n: int) -> float:
    return 1 - math.exp(-FEATURE_WEIGHT * min(n, MAX_FEATURES))
