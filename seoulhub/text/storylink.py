"""Whether a Korean and an English item report the same event (the cross-lingual story join).

MinHash sees shared words, so it never joins a Korean and an English report. The join is decided
by three conditions, all required, so that unrelated stories do not merge:
  * the multilingual sentence vectors are close (cosine >= COSINE);
  * the texts share an anchor: a name in Latin script (Samsung, OpenAI, HBM4), a Korean name whose
    consonant skeleton is an English name's (엔비디아 / Nvidia, 삼성 / Samsung), or a number with
    its unit (3나노 / 3nm, 60% / 60퍼센트) or a bare number of two or more digits that is not a year;
  * they were published within DAYS days of each other.
tests/fixtures/stories/xlingual_pairs.tsv is the judged set; docs/quality.md has its figures.
"""

from __future__ import annotations

import re
from datetime import datetime

from .transliterate import english_skeleton, hangul_skeleton

COSINE = 0.5  # judged set: precision 0.96, recall 0.88 (docs/quality.md)
DAYS = 3
MIN_SKELETON = 3  # shorter consonant skeletons (구글 kr, 서울 sr) collide with too many words
# Latin words every tech headline shares: they say nothing about which event it is.
GENERIC_LATIN = frozenset(
    "a an and as at by for from in into of on or the to with new its is are be after over up out than "
    "ai it ict ceo cto cfo gpu cpu npu app apps api ar vr xr iot ev evs llm llms saas cloud data chip chips "
    "inc co ltd corp".split()
)
_UNITS = {
    "나노": "nm",
    "nm": "nm",
    "%": "%",
    "퍼센트": "%",
    "프로": "%",
    "큐비트": "qubit",
    "qubit": "qubit",
    "qubits": "qubit",
    "gb": "gb",
    "기가바이트": "gb",
    "tb": "tb",
    "테라바이트": "tb",
    "gw": "gw",
    "기가와트": "gw",
    "mw": "mw",
    "메가와트": "mw",
    "단": "layer",
    "layer": "layer",
    "layers": "layer",
}
_NUMBER = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*-?\s*(" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")?",
    re.IGNORECASE,
)
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
# Korean names whose consonant skeleton is too short to compare (구글 kr) or that lead a compound
# (삼성전자, 현대차, 서울시): a Hangul word starting with one is that Latin name.
KOREAN_NAMES = {
    "삼성": "samsung",
    "현대": "hyundai",
    "구글": "google",
    "애플": "apple",
    "카카오": "kakao",
    "네이버": "naver",
    "서울": "seoul",
    "메타": "meta",
    "아마존": "amazon",
    "쿠팡": "coupang",
    "한국": "korea",
    "일본": "japan",
    "중국": "china",
    "미국": "us",
    "부산": "busan",
    "라마": "llama",
    "오픈AI": "openai",
    "오픈에이아이": "openai",
    "엘지": "lg",
    "에스케이": "sk",
    "윌로우": "willow",
    "카나나": "kanana",
    "시리": "siri",
    "양재": "yangjae",
    "판교": "pangyo",
    "대만": "taiwan",
    "유럽": "europe",
    "인도": "india",
    "독일": "germany",
    "프랑스": "france",
    "도쿄": "tokyo",
    "베이징": "beijing",
}
PLACES = frozenset(
    f"latin:{p}"
    for p in (
        "korea",
        "japan",
        "china",
        "us",
        "seoul",
        "busan",
        "europe",
        "india",
        "taiwan",
        "germany",
        "france",
        "austin",
        "tokyo",
        "beijing",
    )
)
# Particles and endings stripped from a Hangul word before its skeleton is taken (엔비디아에 -> 엔비디아).
_PARTICLES = (
    "에서",
    "으로",
    "에게",
    "까지",
    "부터",
    "와",
    "과",
    "의",
    "에",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "도",
    "로",
)


def _number(digits: str) -> str:
    return digits.replace(",", "")


def anchors(text: str) -> set[str]:
    """The names and numbers of a text that pin down which event it reports."""
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        value, unit = _number(match.group(1)), match.group(2)
        if unit:
            found.add(f"num:{value}{_UNITS[unit.lower()]}")
        elif len(value.split(".")[0]) >= 2 and not (len(value) == 4 and value[:2] in ("19", "20")):
            found.add(f"num:{value}")
    for word in _LATIN.findall(text):
        lower = word.lower()
        if lower in GENERIC_LATIN or len(lower) < 2 or lower.isdigit():
            continue
        found.add(f"latin:{lower}")
        if word[0].isupper() and lower.isalpha():
            skeleton = english_skeleton(lower)
            if len(skeleton) >= MIN_SKELETON:
                found.add(f"name:{skeleton}")
    for word in re.findall(r"[가-힣]+(?:AI)?", text):
        found.update(f"latin:{latin}" for korean, latin in KOREAN_NAMES.items() if word.startswith(korean))
        word = word.removesuffix("AI")
        for form in {word, *(word[: -len(p)] for p in _PARTICLES if word.endswith(p) and len(word) > len(p) + 1)}:
            if len(form) >= 2:
                skeleton = hangul_skeleton(form)
                if len(skeleton) >= MIN_SKELETON:
                    found.add(f"name:{skeleton}")
    return found


def within_days(a: datetime | None, b: datetime | None, days: int = DAYS) -> bool:
    """Both dates known and at most `days` apart (an undated item joins nothing across languages)."""
    return a is not None and b is not None and abs((a - b).total_seconds()) <= days * 86400


def places_differ(anchors_a: set[str], anchors_b: set[str]) -> bool:
    """Both texts name a place and no place is in both (a data centre in Korea / in Japan)."""
    places_a, places_b = anchors_a & PLACES, anchors_b & PLACES
    return bool(places_a) and bool(places_b) and not places_a & places_b


def same_event(cosine: float, anchors_a: set[str], anchors_b: set[str], published_a, published_b) -> bool:
    return (
        cosine >= COSINE
        and bool((anchors_a & anchors_b) - PLACES)
        and not places_differ(anchors_a, anchors_b)
        and within_days(published_a, published_b)
    )
