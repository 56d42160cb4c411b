"""Turn a 기업마당 (bizinfo) announcement into structured programme fields and eligibility rules.
No Django here.

Only what a clear pattern supports becomes a machine-checkable rule; everything else that looks
like a condition is kept as a "check manually" rule with the source text, never guessed.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

from seoulhub.matching.rules import (AGE_MAX, AGE_MIN, CERT, EMP_MAX, EMP_MIN, KSIC, MANUAL, REGION, REV_MAX,
                                     REV_MIN, STAGE, Rule)

# The 17 regions the bizinfo API writes in areaNm; all of them means nationwide.
ALL_REGIONS = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
               "전북", "전남", "경북", "경남", "제주")
PROVINCE_SHORT = {
    "서울특별시": "서울", "부산광역시": "부산", "대구광역시": "대구", "인천광역시": "인천", "광주광역시": "광주",
    "대전광역시": "대전", "울산광역시": "울산", "세종특별자치시": "세종", "경기도": "경기", "강원도": "강원",
    "강원특별자치도": "강원", "충청북도": "충북", "충청남도": "충남", "전라북도": "전북", "전북특별자치도": "전북",
    "전라남도": "전남", "경상북도": "경북", "경상남도": "경남", "제주특별자치도": "제주",
}

_DATE_RANGE = re.compile(r"^\s*(\d{8})\s*~\s*(\d{8})\s*$")
_ROLLING = re.compile(r"상시|연중|수시|예산\s*소진|선착순|모집\s*완료시")
_AGE = re.compile(r"(?:창업|설립|업력)\s*(?:후\s*)?(\d{1,2})\s*년\s*(이내|이하|미만|이상|초과)")
_EMP = re.compile(r"(?:상시\s*)?(?:근로자|종업원|직원)\s*(?:수\s*)?(?:가\s*)?(\d{1,4})\s*(?:인|명)\s*(이하|이내|미만|이상|초과)")
_REV = re.compile(r"매출(?:액)?\s*(?:이\s*)?(\d{1,3}(?:,\d{3})+|\d{1,5})\s*(억|천만)\s*원?\s*(이하|이내|미만|이상|초과)")
_AMOUNT = re.compile(r"최대\s*(\d+(?:\.\d+)?)\s*(억|천만|백만|만)\s*원")
_ALTERNATIVE = re.compile(r"또는|혹은|및|거나|우대|가점|제외|단,")
_CONDITION_WORDS = re.compile(r"이내|이하|미만|이상|초과|보유|인증|선정|지정|추천|등록|해당|요건")
_UNITS = {"억": 100_000_000, "천만": 10_000_000, "백만": 1_000_000, "만": 10_000}

# trgetNm: the announcement's target type. Those a firm's record can answer become rules;
# the others (legal categories we do not store) stay manual.
TARGET_RULES = {
    "중소기업": Rule(STAGE, {"any": ["pre_startup", "startup", "growth", "sme"]}, "대상: 중소기업"),
    "사회적기업": Rule(CERT, {"any": ["social"]}, "대상: 사회적기업"),
    "여성기업": Rule(CERT, {"any": ["women"]}, "대상: 여성기업"),
}

# Programme kind from the support field (pldirSportRealm*) and the title, first match wins.
KIND_KEYWORDS = [
    ("voucher", re.compile(r"바우처")),
    ("platform", re.compile(r"클라우드|데이터\s*(?:바우처|이용|활용)|테스트베드|실증|플랫폼\s*(?:이용|지원)")),
    ("loan", re.compile(r"융자|보증|대출|자금\s*지원|정책자금|이차보전")),
    ("rnd", re.compile(r"R&D|연구개발|기술개발|기술사업화")),
    ("export", re.compile(r"수출|해외|무역|바이어|글로벌")),
    ("hiring", re.compile(r"인력|고용|채용|일자리|인턴")),
    ("space", re.compile(r"입주|공간|시설/입지|사무실|센터\s*입주|보육")),
    ("mentoring", re.compile(r"컨설팅|멘토링|교육|아카데미|코칭|자문")),
    ("funding", re.compile(r"지원금|보조금|사업화|자금|투자|금융")),
]


@dataclass
class ParsedProgramme:
    source_id: str
    title: str
    summary: str
    agency: str
    ministry: str
    kind: str
    support_field: str
    target_text: str
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    rolling: bool
    period_text: str
    amount_krw: int | None
    amount_text: str
    url: str
    created_at: datetime.datetime | None
    rules: list[Rule] = field(default_factory=list)


def clean_text(raw: str) -> str:
    return html.unescape(raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_period(text: str) -> tuple[datetime.date | None, datetime.date | None, bool]:
    """(opens, closes, rolling). Dates only for an explicit "YYYYMMDD ~ YYYYMMDD" range."""
    match = _DATE_RANGE.match(text or "")
    if match:
        try:
            opens = datetime.datetime.strptime(match.group(1), "%Y%m%d").date()
            closes = datetime.datetime.strptime(match.group(2), "%Y%m%d").date()
        except ValueError:
            return None, None, False
        return (opens, closes, False) if opens <= closes else (None, None, False)
    return None, None, bool(_ROLLING.search(text or ""))


def region_rule(area: str) -> Rule | None:
    regions = [r for r in (area or "").split("@") if r]
    if not regions:
        return None
    if set(ALL_REGIONS) <= set(regions):
        return Rule(REGION, {"nationwide": True, "regions": regions}, "지역: 전국")
    return Rule(REGION, {"regions": regions}, f"지역: {area.replace('@', ', ')}")


_DIVISION_RANGE = re.compile(r"\((\d{2})(?:\s*~\s*(\d{2}))?\)")


def ksic_rule(industries: str, division_to_section: dict[int, str]) -> Rule | None:
    """KSIC sections from "제조업(10~34)@정보통신업(58~63)"; no rule when every section is listed."""
    sections: list[str] = []
    for part in (industries or "").split("@"):
        match = _DIVISION_RANGE.search(part)
        if match and int(match.group(1)) in division_to_section:
            section = division_to_section[int(match.group(1))]
            if section not in sections:
                sections.append(section)
    if not sections or set(sections) >= set(division_to_section.values()):
        return None
    return Rule(KSIC, {"sections": sorted(sections)}, f"업종: {industries.replace('@', ', ')}")


def target_line(summary: str) -> str:
    """The first "☞" line of a bizinfo summary describes who may apply."""
    for line in summary.split("\n"):
        line = line.strip()
        if line.startswith("☞"):
            return line.lstrip("☞ ").strip()
    return ""


def _bound(kind_max: str, kind_min: str, limit: int, word: str, text: str) -> Rule:
    if word in ("이내", "이하"):
        return Rule(kind_max, {"max": limit, "inclusive": True}, text)
    if word == "미만":
        return Rule(kind_max, {"max": limit, "inclusive": False}, text)
    if word == "이상":
        return Rule(kind_min, {"min": limit, "inclusive": True}, text)
    return Rule(kind_min, {"min": limit, "inclusive": False}, text)


def summary_rules(line: str) -> list[Rule]:
    """Firm age, employees and revenue bounds from the target line, when the pattern is clear.
    A line with alternatives or exceptions ("또는", "우대", "제외") is left whole for a person."""
    if not line:
        return []
    if _ALTERNATIVE.search(line):
        return [Rule(MANUAL, {}, f"지원 대상: {line}")]
    rules: list[Rule] = []
    consumed = line
    for pattern, kinds in ((_AGE, (AGE_MAX, AGE_MIN)), (_EMP, (EMP_MAX, EMP_MIN))):
        for match in pattern.finditer(line):
            rules.append(_bound(*kinds, int(match.group(1)), match.group(2), match.group(0)))
            consumed = consumed.replace(match.group(0), "")
    for match in _REV.finditer(line):
        amount = int(match.group(1).replace(",", "")) * _UNITS[match.group(2)]
        rules.append(_bound(REV_MAX, REV_MIN, amount, match.group(3), match.group(0)))
        consumed = consumed.replace(match.group(0), "")
    if _CONDITION_WORDS.search(consumed):
        rules.append(Rule(MANUAL, {}, f"지원 대상: {line}"))
    return rules


def parse_amount(summary: str) -> tuple[int | None, str]:
    match = _AMOUNT.search(summary or "")
    if not match:
        return None, ""
    return int(float(match.group(1)) * _UNITS[match.group(2)]), match.group(0)


def classify_kind(title: str, support_field: str) -> str:
    text = f"{title} {support_field}"
    for kind, pattern in KIND_KEYWORDS:
        if pattern.search(text):
            return kind
    return "other"


def parse_record(record: dict, division_to_section: dict[int, str]) -> ParsedProgramme:
    """One bizinfo jsonArray record -> ParsedProgramme. Raises ValueError naming a missing field."""
    for required in ("pblancId", "pblancNm"):
        if not record.get(required):
            raise ValueError(f"record without {required}")
    summary = clean_text(record.get("bsnsSumryCn", ""))
    title = clean_text(record["pblancNm"])
    period = clean_text(record.get("reqstBeginEndDe", ""))
    opens, closes, rolling = parse_period(period)
    support_field = " / ".join(filter(None, [record.get("pldirSportRealmLclasCodeNm", ""),
                                             record.get("pldirSportRealmMlsfcCodeNm", "")]))
    amount, amount_text = parse_amount(summary)
    created = None
    if record.get("creatPnttm"):
        try:
            created = datetime.datetime.strptime(record["creatPnttm"], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            created = None
    rules: list[Rule] = []
    for rule in (region_rule(record.get("areaNm", "")), ksic_rule(record.get("industNm", ""), division_to_section)):
        if rule:
            rules.append(rule)
    target = record.get("trgetNm", "")
    if target in TARGET_RULES:
        rules.append(TARGET_RULES[target])
    elif target:
        rules.append(Rule(MANUAL, {}, f"대상 유형: {target}"))
    rules.extend(summary_rules(target_line(summary)))
    url = record.get("pblancUrl", "")
    if url.startswith("/"):
        url = "https://www.bizinfo.go.kr" + url
    return ParsedProgramme(
        source_id=record["pblancId"], title=title, summary=summary, agency=record.get("excInsttNm", ""),
        ministry=record.get("jrsdInsttNm", ""), kind=classify_kind(title, support_field),
        support_field=support_field.replace("@", ", "), target_text=target, opens_on=opens, closes_on=closes,
        rolling=rolling, period_text=period, amount_krw=amount, amount_text=amount_text, url=url,
        created_at=created, rules=rules)
