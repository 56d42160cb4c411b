"""Link the yearly national plan (창업지원사업 통합공고) to the announcements that implement it, by
a simple normalised title match. No Django here.

The plan names a programme ("예비창업 패키지"); its calls are announced under longer titles
("2025년 예비창업패키지 예비창업자 모집 공고"). Both are normalised (spaces, punctuation, bracketed
regions and years removed) and a plan entry matches an announcement of the same year whose
normalised title contains the plan's normalised title. Titles shorter than MIN_TITLE_CHARS after
normalising ("창업교육") would match too much and are not linked.
"""

from __future__ import annotations

import re
import unicodedata

from .programme_parse import PROVINCE_SHORT

MIN_TITLE_CHARS = 6
# Words every plan title may end with; without them "경영컨설팅 지원사업" is too generic to link.
_GENERIC_SUFFIX = re.compile(r"(?:지원)?사업$")
# A province or metropolitan city as written in the plan -> as written in bizinfo titles: the
# announcement parser's official names plus the short forms the plan also uses.
PROVINCES = {**PROVINCE_SHORT, "서울시": "서울", "부산시": "부산", "제주도": "제주"}

_BRACKETED = re.compile(r"\[[^\]]*\]|【[^】]*】|「|」|『|』")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*년?(?:도)?|[‘’'`]\d{2}\s*년?")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_DEPARTMENT = re.compile(r"\(.*$")
OWNER_ALIASES = {"서울시": "서울특별시", "부산시": "부산광역시"}  # the same city written two ways in the notice
_TITLE_YEAR = re.compile(r"(20\d{2})\s*년")


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title or "")
    text = _BRACKETED.sub(" ", text)
    text = _YEAR.sub(" ", text)
    return _NOISE.sub("", text).lower()


def owner_name(ministry_or_city: str) -> str:
    """ "중소벤처 기업부 (신산업 기술창업과)" -> "중소벤처기업부"; "서울시 (창업정책과)" -> "서울시"."""
    name = re.sub(r"\s+", "", _DEPARTMENT.sub("", unicodedata.normalize("NFKC", ministry_or_city or "")))
    return OWNER_ALIASES.get(name, name)


def announcement_year(title: str, fallback: int | None) -> int | None:
    """The programme year an announcement belongs to: "2025년" in its title, else `fallback`
    (the year it was registered or opened)."""
    match = _TITLE_YEAR.search(title or "")
    return int(match.group(1)) if match else fallback


def place_name(owner: str) -> str:
    """The most specific place of a local government: "부산광역시부산진구" -> "부산진",
    "충청북도" -> "충북", "창원시" -> "창원"; "" when none can be told."""
    if owner in PROVINCES:
        return PROVINCES[owner]
    units = re.findall(r".+?(?:특별자치시|특별자치도|특별시|광역시|도|시|군|구)(?:청)?", owner or "")
    if not units:
        # A name the extraction cut short ("강원특별"): its first two letters may still name the province.
        return owner[:2] if owner[:2] in PROVINCES.values() else ""
    last = units[-1]
    if last in PROVINCES:
        return PROVINCES[last]
    place = re.sub(r"(?:특별자치시|특별자치도|특별시|광역시|도|시|군|구)청?$", "", last)
    return place if len(place) >= 2 else ""


def match_plan(entries: list[tuple], announcements: list[tuple[int, int | None, str]]) -> dict[int, list[int]]:
    """entries: (entry id, plan year, title[, place]); announcements: (id, year, title).
    Returns entry id -> ids of announcements of that year whose normalised title contains the
    entry's, and, for a local government's entry (place given), names that place."""
    by_year: dict[int, list[tuple[int, str, str]]] = {}
    for pk, year, title in announcements:
        if year is not None:
            by_year.setdefault(year, []).append((pk, normalise_title(title), title or ""))
    links: dict[int, list[int]] = {}
    for entry in entries:
        entry_id, year, title = entry[:3]
        place = entry[3] if len(entry) > 3 else ""
        key = _GENERIC_SUFFIX.sub("", normalise_title(title))
        if len(key) < MIN_TITLE_CHARS:
            continue
        found = [
            pk for pk, normalised, raw in by_year.get(year, []) if key in normalised and (not place or place in raw)
        ]
        if found:
            links[entry_id] = found
    return links
