"""Cue words ("model features") per technology: weaker evidence than taxonomy aliases.

An alias names a technology ("computer vision"); a cue word is typical of writing about it
("segmentation", "pixel"). Each distinct cue adds FEATURE_WEIGHT to the technology's evidence,
at most MAX_FEATURES of them, so cues alone reach at most 1 - exp(-0.9) = 0.59 and one cue 0.26.
Used by the radar's classifier (radar.pipeline.classify_text), not by TechnologyTagger.tag, so
other callers (firm and programme tagging) keep the plain alias semantics.
Chosen by reading arXiv abstracts and Korean headlines, then checked with `seoulhub bench classify`.
"""

from __future__ import annotations

import math
import re

FEATURE_WEIGHT = 0.3
MAX_FEATURES = 3

CUES = {
    "computer-vision": ["image", "images", "video", "videos", "visual", "segmentation", "pixel", "pixels", "camera",
                        "point cloud", "depth estimation", "scene", "scenes", "rendering", "gaussian splatting",
                        "optical flow", "tracking", "detection", "vision", "3d", "imaging", "photo", "photos",
                        "영상", "이미지", "카메라"],
    "nlp": ["language", "languages", "linguistic", "text", "textual", "translation", "sentence", "sentences",
            "speech", "dialogue", "corpus", "corpora", "multilingual", "summarization", "prompt", "prompts",
            "tokens", "word", "words", "reading comprehension", "named entity", "번역", "음성"],
    "machine-learning": ["training", "neural", "gradient", "optimization", "supervised", "unsupervised",
                         "representation learning", "fine-tuning", "generalization", "loss function", "학습"],
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
    return re.escape(cue)


_CUE_SLUGS: dict[str, list[str]] = {}
for _slug, _cues in CUES.items():
    for _cue in _cues:
        _CUE_SLUGS.setdefault(_cue, []).append(_slug)
# One alternation over every cue (longest first): a single pass over the text.
_ALL = re.compile("|".join(_pattern(c) for c in sorted(_CUE_SLUGS, key=len, reverse=True)))


def feature_hits(text: str) -> dict[str, list[str]]:
    """slug -> distinct cue words found in `text` (case-insensitive), at most MAX_FEATURES each."""
    hits: dict[str, list[str]] = {}
    for cue in dict.fromkeys(_ALL.findall(text.casefold())):
        for slug in _CUE_SLUGS[cue]:
            found = hits.setdefault(slug, [])
            if len(found) < MAX_FEATURES:
                found.append(cue)
    return hits


def feature_score(n: int) -> float:
    return 1 - math.exp(-FEATURE_WEIGHT * min(n, MAX_FEATURES))
