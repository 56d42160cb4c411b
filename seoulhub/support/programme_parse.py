"""Turn a 기업마당 (bizinfo) or K-Startup announcement into structured programme fields and
eligibility rules. No Django here.

Both sources give the same `ParsedProgramme` and the same rule kinds, so the matching engine and
the pages do not care where an announcement came from. K-Startup states its conditions as fields
(region, years since founding, who may apply, the founder's age): those map to rules directly.

Only what a clear pattern supports becomes a machine-checkable rule; everything else that looks
like a condition is kept as a "check manually" rule with the source text, never guessed.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

from seoulhub.matching.rules import (
    AGE_MAX,
    AGE_MIN,
    CERT,
    EMP_MAX,
    EMP_MIN,
    KSIC,
    MANUAL,
    REGION,
    REV_MAX,
    REV_MIN,
    STAGE,
    Rule,
)

# The 17 regions the bizinfo API writes in areaNm; all of them means nationwide.
ALL_REGIONS = (
    "서울",
    "부산",
    "대구",
    "인천",
    "광주",
    "대전",
    "울산",
    "세종",
    "경기",
    "강원",
    "충북",
    "충남",
    "전북",
    "전남",
    "경북",
    "경남",
    "제주",
)
PROVINCE_SHORT = {
    "서울특별시": "서울",
    "부산광역시": "부산",
    "대구광역시": "대구",
    "인천광역시": "인천",
    "광주광역시": "광주",
    "대전광역시": "대전",
    "울산광역시": "울산",
    "세종특별자치시": "세종",
    "경기도": "경기",
    "강원도": "강원",
    "강원특별자치도": "강원",
    "충청북도": "충북",
    "충청남도": "충남",
    "전라북도": "전북",
    "전북특별자치도": "전북",
    "전라남도": "전남",
    "경상북도": "경북",
    "경상남도": "경남",
    "제주특별자치도": "제주",
}

# "20211213 ~ 20211230" (2021 API), "2026-04-27 ~ 2026-05-15" (2026 API), "2025.07.17 ~ 2025.08.19".
_DATE_RANGE = re.compile(r"^\s*(\d{4})[-.]?(\d{2})[-.]?(\d{2})\s*~\s*(\d{4})[-.]?(\d{2})[-.]?(\d{2})\s*$")
_ROLLING = re.compile(r"상시|연중|수시|예산\s*소진|선착순|모집\s*완료시")
_AGE = re.compile(r"(?:창업|설립|업력)\s*(?:후\s*)?(\d{1,2})\s*년\s*(이내|이하|미만|이상|초과)")
_EMP = re.compile(
    r"(?:상시\s*)?(?:근로자|종업원|직원)\s*(?:수\s*)?(?:가\s*)?(\d{1,4})\s*(?:인|명)\s*(이하|이내|미만|이상|초과)"
)
_REV = re.compile(
    r"매출(?:액)?\s*(?:이\s*)?(\d{1,3}(?:,\d{3})+|\d{1,5})\s*(억|천만)\s*원?\s*(이하|이내|미만|이상|초과)"
)
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
    source: str = "bizinfo"
    # The upstream collector rebuilt the record from the announcement's web page rather than the API
    # (bizinfo-programs-2026 SOURCE.txt): shown on the programme page.
    derived_by_collector: bool = False
    updated_at: datetime.datetime | None = None  # the source's own last-modified time, when given
    source_hash: str = ""  # digest of the source record (set by the loader)


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"(?i)</p\s*>|<br\s*/?>|</div\s*>|</li\s*>")


def clean_text(raw: str | None) -> str:
    """Plain text: HTML paragraphs become lines, other tags go, entities are decoded."""
    text = str(raw or "")
    if "<" in text:
        text = _TAG.sub("", _BLOCK_END.sub("\n", text))
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_period(text: str) -> tuple[datetime.date | None, datetime.date | None, bool]:
    """(opens, closes, rolling). Dates only for an explicit "YYYYMMDD ~ YYYYMMDD" range."""
    match = _DATE_RANGE.match(text or "")
    if match:
        try:
            opens = datetime.date(*map(int, match.group(1, 2, 3)))
            closes = datetime.date(*map(int, match.group(4, 5, 6)))
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
    """The first "☞" line of a bizinfo summary describes who may apply (up to the line's end or
    the next "☞": records rebuilt from the web page have no line breaks)."""
    if "☞" not in summary:
        return ""
    line = summary.split("☞", 1)[1]
    return line.split("\n", 1)[0].split("☞", 1)[0].strip()


_TITLE_REGION = re.compile(r"^\s*\[([^\]]{2,40})\]")


def title_region_rule(title: str) -> Rule | None:
    """bizinfo titles of regional calls start with the region(s) in brackets: "[경기] 포천시 ...",
    "[서울ㆍ경기ㆍ인천ㆍ강원] ..."; a bracket with anything else ("[신규설립]") is not a region."""
    match = _TITLE_REGION.match(title or "")
    if not match:
        return None
    regions = [r.strip() for r in re.split(r"[ㆍ·,/]", match.group(1))]
    if regions and all(r in ALL_REGIONS for r in regions):
        return Rule(REGION, {"regions": regions}, f"지역: [{match.group(1)}] (공고 제목)")
    return None


def hashtag_region_rule(hashtags: str) -> Rule | None:
    """The 2026 API has no areaNm; its hashtags list the regions (all 17 = nationwide)."""
    regions = [t.strip() for t in (hashtags or "").split(",") if t.strip() in ALL_REGIONS]
    if not regions:
        return None
    regions = list(dict.fromkeys(regions))
    if set(ALL_REGIONS) <= set(regions):
        return Rule(REGION, {"nationwide": True, "regions": regions}, "지역: 전국")
    return Rule(REGION, {"regions": regions}, f"지역: {', '.join(regions)}")


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


def _timestamp(raw) -> datetime.datetime | None:
    """ "2026-07-31 15:09:52" (creatPnttm) or "2025-09-04" (the RSS date); None otherwise."""
    text = str(raw or "").strip()
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, layout)
        except ValueError:
            continue
    return None


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def parse_record(record: dict, division_to_section: dict[int, str]) -> ParsedProgramme:
    """One bizinfo record (the API's jsonArray item, 2021 or 2026 layout, or the RSS-derived 2025
    files) -> ParsedProgramme. Raises ValueError saying what is wrong with the record."""
    if not isinstance(record, dict):
        raise ValueError(f"the record is {type(record).__name__}, not an object")
    for required in ("pblancId", "pblancNm"):
        if not _text(record, required):
            raise ValueError(f"the record has no {required}")
    source_id = _text(record, "pblancId")
    if len(source_id) > 64:
        raise ValueError(f"pblancId is {len(source_id)} characters long; at most 64 are expected")
    summary = clean_text(record.get("bsnsSumryCn"))
    title = clean_text(record["pblancNm"])
    period = clean_text(record.get("reqstBeginEndDe"))
    opens, closes, rolling = parse_period(period)
    support_field = " / ".join(
        filter(None, [_text(record, "pldirSportRealmLclasCodeNm"), _text(record, "pldirSportRealmMlsfcCodeNm")])
    )
    amount, amount_text = parse_amount(summary)
    # creatPnttm is the API's registration time; the 2025 files carry only the feed's date.
    created = _timestamp(record.get("creatPnttm")) or _timestamp(record.get("pubDate_rss"))
    rules: list[Rule] = []
    region = (
        region_rule(_text(record, "areaNm"))
        or hashtag_region_rule(_text(record, "hashtags"))
        or title_region_rule(title)
    )
    for rule in (region, ksic_rule(_text(record, "industNm"), division_to_section)):
        if rule:
            rules.append(rule)
    target = _text(record, "trgetNm")
    if target in TARGET_RULES:
        rules.append(TARGET_RULES[target])
    elif target:
        rules.append(Rule(MANUAL, {}, f"대상 유형: {target}"))
    rules.extend(summary_rules(target_line(summary)))
    url = _text(record, "pblancUrl")
    if url.startswith("/"):
        url = "https://www.bizinfo.go.kr" + url
    return ParsedProgramme(
        source_id=source_id,
        title=title,
        summary=summary,
        agency=_text(record, "excInsttNm"),
        ministry=_text(record, "jrsdInsttNm"),
        kind=classify_kind(title, support_field),
        support_field=support_field.replace("@", ", "),
        target_text=target,
        opens_on=opens,
        closes_on=closes,
        rolling=rolling,
        period_text=period,
        amount_krw=amount,
        amount_text=amount_text,
        url=url,
        created_at=created,
        rules=rules,
        source="bizinfo",
        derived_by_collector=record.get("_derived_by_collector") is True,
        updated_at=_timestamp(record.get("updtPnttm")),
    )


# ---- K-Startup (창업진흥원, data.go.kr kisedKstartupService01 getAnnouncementInformation01) ---------
_YEARS_BAND = re.compile(r"^(\d{1,2})년미만$")
_FOUNDER_AGE_BANDS = {  # biz_trgt_age options -> (min, max) of the founder's age, None = open
    "만 20세 미만": (None, 19),
    "만 20세 이상 ~ 만 39세 이하": (20, 39),
    "만 40세 이상": (40, None),
}
_FIRM_APPLICANTS = {"일반기업", "1인 창조기업"}  # aply_trgt values that are firms (the others are people or bodies)
KSTARTUP_KIND = {  # supt_biz_clsfc -> programme kind
    "사업화": "funding",
    "기술개발(R&D)": "rnd",
    "시설ㆍ공간ㆍ보육": "space",
    "멘토링ㆍ컨설팅ㆍ교육": "mentoring",
    "창업교육": "mentoring",
    "행사ㆍ네트워크": "other",
    "판로ㆍ해외진출": "export",
    "글로벌": "export",
    "인력": "hiring",
    "정책자금": "loan",
    "융자ㆍ보증": "loan",
}


def _kstartup_date(raw) -> datetime.date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text[:8], "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"the date {text!r} is not YYYYMMDD") from None


def _options(raw) -> list[str]:
    return [t.strip() for t in str(raw or "").split(",") if t.strip()]


def kstartup_rules(record: dict) -> list[Rule]:
    """The conditions K-Startup gives as fields, each as one explained rule."""
    rules: list[Rule] = []
    regions = _options(record.get("supt_regin"))
    if "전국" in regions:
        rules.append(Rule(REGION, {"nationwide": True, "regions": list(ALL_REGIONS)}, "지원 지역: 전국"))
    elif regions:
        known = [r for r in regions if r in ALL_REGIONS]
        if known:
            rules.append(Rule(REGION, {"regions": known}, f"지원 지역: {', '.join(regions)}"))
    years = _options(record.get("biz_enyy"))
    bands = [int(m.group(1)) for m in map(_YEARS_BAND.match, years) if m]
    source_years = f"업력: {', '.join(years)}"
    if bands:
        # The options are cumulative bands ("1년미만, 2년미만, ... 7년미만"): the widest one is the bound.
        rules.append(Rule(AGE_MAX, {"max": max(bands), "inclusive": False}, source_years))
    elif years == ["예비창업자"]:
        rules.append(Rule(STAGE, {"any": ["pre_startup"]}, source_years))
    applicants = _options(record.get("aply_trgt"))
    if applicants and not _FIRM_APPLICANTS & set(applicants):
        rules.append(
            Rule(MANUAL, {"applicants": applicants}, f"신청 대상: {', '.join(applicants)} (기업이 아닌 개인·기관 대상)")
        )
    ages = _options(record.get("biz_trgt_age"))
    bands_age = [_FOUNDER_AGE_BANDS[a] for a in ages if a in _FOUNDER_AGE_BANDS]
    if bands_age and len(bands_age) < len(_FOUNDER_AGE_BANDS):
        low = None if any(b[0] is None for b in bands_age) else min(b[0] for b in bands_age)
        high = None if any(b[1] is None for b in bands_age) else max(b[1] for b in bands_age)
        # The hub does not store the founder's age, so this stays a check for a person, with its bounds.
        rules.append(Rule(MANUAL, {"founder_age_min": low, "founder_age_max": high}, f"대표자 연령: {', '.join(ages)}"))
    for key, label in (("aply_trgt_ctnt", "신청 자격"), ("aply_excl_trgt_ctnt", "제외 대상")):
        text = clean_text(record.get(key))
        if text:
            rules.append(Rule(MANUAL, {}, f"{label}: {text[:500]}"))
    return rules


def parse_kstartup_record(record: dict) -> ParsedProgramme:
    """One K-Startup announcement (API field names) -> ParsedProgramme. Raises ValueError in words."""
    if not isinstance(record, dict):
        raise ValueError(f"the record is {type(record).__name__}, not an object")
    raw_id = record.get("pbanc_sn")
    source_id = str(raw_id).strip() if raw_id is not None else ""
    if not source_id.isdigit():
        raise ValueError(f"pbanc_sn {raw_id!r} is not a number" if source_id else "the record has no pbanc_sn")
    title = clean_text(record.get("biz_pbanc_nm")) or clean_text(record.get("intg_pbanc_biz_nm"))
    if not title:
        raise ValueError(f"announcement {source_id} has no title (biz_pbanc_nm)")
    opens = _kstartup_date(record.get("pbanc_rcpt_bgng_dt"))
    closes = _kstartup_date(record.get("pbanc_rcpt_end_dt"))
    if opens and closes and opens > closes:
        raise ValueError(f"announcement {source_id} closes ({closes}) before it opens ({opens})")
    field_name = _text(record, "supt_biz_clsfc")
    summary = clean_text(record.get("pbanc_ctnt"))
    amount, amount_text = parse_amount(summary)
    period = " ~ ".join(d.isoformat() if d else "" for d in (opens, closes)) if (opens or closes) else ""
    url = _text(record, "detl_pg_url") or (
        f"https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?schM=view&pbancSn={source_id}"
    )
    kind = KSTARTUP_KIND.get(field_name) or classify_kind(title, field_name)
    return ParsedProgramme(
        source_id=source_id,
        title=title,
        summary=summary,
        agency=_text(record, "pbanc_ntrp_nm"),
        ministry="",
        kind=kind,
        support_field=field_name,  # sprv_inst is a type (공공기관, 민간), not a ministry
        target_text=", ".join(_options(record.get("aply_trgt")))[:200],
        opens_on=opens,
        closes_on=closes,
        rolling=False,
        period_text=period,
        amount_krw=amount,
        amount_text=amount_text,
        url=url,
        created_at=None,
        rules=kstartup_rules(record),
        source="kstartup",
    )
