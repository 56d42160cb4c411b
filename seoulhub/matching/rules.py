"""Eligibility rules and their verdicts in words (Korean first, English too). No Django here.

A programme's eligibility is a list of `Rule`s; each is checked against a `FirmProfile` and gives a
`Verdict` that passes, fails, or is unknown (the firm's data is missing, or the rule is a
"check manually" text the machine cannot decide). A firm is eligible when every rule passes,
not eligible when any fails, and needs a check otherwise.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
ELIGIBLE, NOT_ELIGIBLE, NEEDS_CHECK = "eligible", "not_eligible", "needs_check"
MARK = {PASS: "✓", FAIL: "✗", UNKNOWN: "?"}

# Rule kinds: the same strings as support.models.EligibilityRule.Kind.
REGION, DISTRICT = "region", "district"
AGE_MAX, AGE_MIN = "age_max", "age_min"
EMP_MAX, EMP_MIN = "emp_max", "emp_min"
REV_MAX, REV_MIN = "rev_max", "rev_min"
KSIC, CERT, STAGE, MANUAL = "ksic", "cert", "stage", "manual"
RULE_KINDS = (REGION, DISTRICT, KSIC, STAGE, AGE_MAX, AGE_MIN, EMP_MAX, EMP_MIN, REV_MAX, REV_MIN, CERT, MANUAL)

CERT_NAMES = {
    "venture": ("벤처기업", "venture company"),
    "innobiz": ("이노비즈", "INNOBIZ"),
    "mainbiz": ("메인비즈", "MAINBIZ"),
    "social": ("사회적기업", "social enterprise"),
    "women": ("여성기업", "women-owned business"),
    "research_lab": ("기업부설연구소", "corporate research institute"),
    "gs": ("GS인증", "GS certification"),
}
STAGE_NAMES = {
    "pre_startup": ("예비창업", "pre-startup"),
    "startup": ("창업기", "startup"),
    "growth": ("성장기", "growth"),
    "sme": ("중소기업", "SME"),
    "midsize": ("중견기업", "mid-sized company"),
    "listed": ("상장기업", "listed company"),
    "large": ("대기업", "large company"),
}


@dataclass(frozen=True)
class Rule:
    kind: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    source_text: str = ""

    def __post_init__(self):
        if self.kind not in RULE_KINDS:
            raise ValueError(f"unknown rule kind {self.kind!r}; expected one of {', '.join(RULE_KINDS)}")


@dataclass(frozen=True)
class FirmProfile:
    """What the engine knows about a firm. None means unknown (never guessed)."""

    id: int
    name: str = ""
    region: str | None = None  # short province name as the programme data writes it, e.g. "서울"
    district: str | None = None  # Korean gu name, e.g. "마포구"
    age_years: int | None = None
    employees: int | None = None
    revenue_range: tuple[int, int | None] | None = None  # KRW [low, high) of the revenue band
    ksic_section: str | None = None  # "J"
    certifications: frozenset[str] = frozenset()
    stage: str | None = None
    technologies: frozenset[str] = frozenset()
    # Confidence (0..1) of each technology tag; a tag not listed counts fully (1.0).
    tech_confidence: dict[str, float] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Verdict:
    kind: str
    status: str
    text_ko: str
    text_en: str

    @property
    def mark(self) -> str:
        return MARK[self.status]


def _cmp(value: float, limit: float, upper: bool, inclusive: bool) -> bool:
    if upper:
        return value <= limit if inclusive else value < limit
    return value >= limit if inclusive else value > limit


def _op(upper: bool, inclusive: bool, ok: bool) -> str:
    if upper:
        return ("≤" if inclusive else "<") if ok else (">" if inclusive else "≥")
    return ("≥" if inclusive else ">") if ok else ("<" if inclusive else "≤")


def _krw_ko(amount: int) -> str:
    if amount >= 100_000_000:
        return f"{amount / 100_000_000:g}억원"
    if amount >= 10_000:
        return f"{amount / 10_000:g}만원"
    return f"{amount}원"


def _krw_en(amount: int) -> str:
    if amount >= 1_000_000_000:
        return f"KRW {amount / 1_000_000_000:g} bn"
    if amount >= 1_000_000:
        return f"KRW {amount / 1_000_000:g} m"
    return f"KRW {amount}"


def _numeric(rule: Rule, value: int | None, label_ko: str, label_en: str, unit_ko: str, unit_en: str) -> Verdict:
    upper = rule.kind in (AGE_MAX, EMP_MAX)
    limit: int = rule.params["max" if upper else "min"]  # a numeric rule always has its bound (the parser sets it)
    inclusive = rule.params.get("inclusive", True)
    if value is None:
        bound_ko = f"{limit}{unit_ko} {'이내' if upper else '이상'}"
        bound_en = f"{'at most' if upper else 'at least'} {limit} {unit_en}".rstrip()
        return Verdict(
            rule.kind, UNKNOWN, f"{label_ko} 정보 없음 (조건: {bound_ko}) ?", f"{label_en} unknown (needs {bound_en}) ?"
        )
    ok = _cmp(value, limit, upper, inclusive)
    op = _op(upper, inclusive, ok)
    status = PASS if ok else FAIL
    en_unit = f" {unit_en}" if unit_en else ""
    return Verdict(
        rule.kind,
        status,
        f"{label_ko} {value}{unit_ko} {op} {limit}{unit_ko} {MARK[status]}",
        f"{label_en} {value}{en_unit} {op} {limit}{en_unit} {MARK[status]}",
    )


def _revenue(rule: Rule, firm: FirmProfile) -> Verdict:
    upper = rule.kind == REV_MAX
    limit: int = rule.params["max" if upper else "min"]
    inclusive = rule.params.get("inclusive", True)
    cond_ko = f"{_krw_ko(limit)} {('이하' if inclusive else '미만') if upper else ('이상' if inclusive else '초과')}"
    cond_en = (
        f"{('at most' if inclusive else 'under') if upper else ('at least' if inclusive else 'over')} {_krw_en(limit)}"
    )
    if firm.revenue_range is None:
        return Verdict(
            rule.kind, UNKNOWN, f"매출 정보 없음 (조건: {cond_ko}) ?", f"revenue unknown (needs {cond_en}) ?"
        )
    low, high = firm.revenue_range
    band_ko = f"{_krw_ko(low)}~{_krw_ko(high)}" if high else f"{_krw_ko(low)} 이상"
    band_en = f"{_krw_en(low)}-{_krw_en(high)}" if high else f"over {_krw_en(low)}"
    if upper:
        # The band is [low, high): all of it is under the limit when high <= limit.
        ok = high is not None and high <= limit
        bad = low > limit or (not inclusive and low >= limit)
    else:
        ok = low >= limit if inclusive else low > limit
        bad = high is not None and high <= limit
    status = PASS if ok else FAIL if bad else UNKNOWN
    return Verdict(
        rule.kind,
        status,
        f"매출 {band_ko} / 조건 {cond_ko} {MARK[status]}",
        f"revenue {band_en} / needs {cond_en} {MARK[status]}",
    )


def check(rule: Rule, firm: FirmProfile) -> Verdict:
    """The verdict of one rule for one firm, with its explanation."""
    kind, p = rule.kind, rule.params
    if kind == AGE_MAX or kind == AGE_MIN:
        return _numeric(rule, firm.age_years, "설립", "age", "년", "years")
    if kind == EMP_MAX or kind == EMP_MIN:
        return _numeric(rule, firm.employees, "종업원", "employees", "명", "")
    if kind == REV_MAX or kind == REV_MIN:
        return _revenue(rule, firm)
    if kind == REGION:
        regions = list(p.get("regions", []))
        if p.get("nationwide"):
            return Verdict(kind, PASS, "전국 대상 ✓", "open nationwide ✓")
        shown = "·".join(regions)
        if firm.region is None:
            return Verdict(
                kind, UNKNOWN, f"소재지 정보 없음 (대상 지역: {shown}) ?", f"location unknown (regions: {shown}) ?"
            )
        ok = firm.region in regions
        return Verdict(
            kind,
            PASS if ok else FAIL,
            f"소재지 {firm.region} {'∈' if ok else '∉'} {shown} {MARK[PASS if ok else FAIL]}",
            f"located in {firm.region} {'∈' if ok else '∉'} {shown} {MARK[PASS if ok else FAIL]}",
        )
    if kind == DISTRICT:
        districts = list(p.get("districts", []))
        shown = "·".join(districts)
        if firm.district is None:
            return Verdict(
                kind, UNKNOWN, f"소재 구 정보 없음 (대상: {shown}) ?", f"district unknown (districts: {shown}) ?"
            )
        ok = firm.district in districts
        status = PASS if ok else FAIL
        return Verdict(
            kind,
            status,
            f"소재 구 {firm.district} {'∈' if ok else '∉'} {shown} {MARK[status]}",
            f"district {firm.district} {'∈' if ok else '∉'} {shown} {MARK[status]}",
        )
    if kind == KSIC:
        sections = list(p.get("sections", []))
        shown = ",".join(sections)
        if firm.ksic_section is None:
            return Verdict(
                kind,
                UNKNOWN,
                f"업종(KSIC) 정보 없음 (대상 대분류: {shown}) ?",
                f"industry (KSIC) unknown (sections: {shown}) ?",
            )
        ok = firm.ksic_section in sections
        status = PASS if ok else FAIL
        return Verdict(
            kind,
            status,
            f"업종 대분류 {firm.ksic_section} {'∈' if ok else '∉'} {{{shown}}} {MARK[status]}",
            f"KSIC section {firm.ksic_section} {'∈' if ok else '∉'} {{{shown}}} {MARK[status]}",
        )
    if kind == CERT:
        wanted = list(p.get("any", []))
        names_ko = "·".join(CERT_NAMES.get(c, (c, c))[0] for c in wanted)
        names_en = ", ".join(CERT_NAMES.get(c, (c, c))[1] for c in wanted)
        held = [c for c in wanted if c in firm.certifications]
        if held:
            return Verdict(
                kind,
                PASS,
                f"인증 보유: {CERT_NAMES.get(held[0], (held[0],))[0]} ✓",
                f"holds {CERT_NAMES.get(held[0], (held[0], held[0]))[1]} ✓",
            )
        # Certifications are recorded only when the firm says so: absence is unknown, not a no.
        return Verdict(
            kind, UNKNOWN, f"인증 확인 필요: {names_ko} 중 하나 ?", f"certification to confirm: one of {names_en} ?"
        )
    if kind == STAGE:
        wanted = list(p.get("any", []))
        names_ko = "·".join(STAGE_NAMES.get(s, (s, s))[0] for s in wanted)
        names_en = ", ".join(STAGE_NAMES.get(s, (s, s))[1] for s in wanted)
        if firm.stage is None:
            return Verdict(
                kind, UNKNOWN, f"기업 단계 정보 없음 (대상: {names_ko}) ?", f"stage unknown (for: {names_en}) ?"
            )
        ok = firm.stage in wanted
        status = PASS if ok else FAIL
        stage_ko, stage_en = STAGE_NAMES.get(firm.stage, (firm.stage, firm.stage))
        return Verdict(
            kind,
            status,
            f"기업 단계 {stage_ko} {'∈' if ok else '∉'} {{{names_ko}}} {MARK[status]}",
            f"stage {stage_en} {'∈' if ok else '∉'} {{{names_en}}} {MARK[status]}",
        )
    if p.get("unread"):
        return Verdict(
            kind,
            UNKNOWN,
            "확인 필요: 공고에서 신청 조건을 읽지 못했습니다. 공고 원문을 확인하세요 ?",
            "check manually: no condition could be read from the announcement; see the announcement ?",
        )
    text = rule.source_text or p.get("text", "")
    return Verdict(kind, UNKNOWN, f"확인 필요: {text} ?", f"check manually: {text} ?")


# A programme whose announcement yielded no rule is not open to everyone: its conditions are unknown.
UNREAD = Rule(MANUAL, {"unread": True})


def overall(verdicts: list[Verdict]) -> str:
    statuses = {v.status for v in verdicts}
    if FAIL in statuses:
        return NOT_ELIGIBLE
    if UNKNOWN in statuses:
        return NEEDS_CHECK
    return ELIGIBLE


def age_in_years(founded_on: datetime.date | None, on: datetime.date) -> int | None:
    if founded_on is None:
        return None
    years = on.year - founded_on.year - ((on.month, on.day) < (founded_on.month, founded_on.day))
    return max(years, 0)
