"""Demo content of the observatory: the digital-industry definition, documented Seoul policies
(only facts stated in their published sources, each with its source) and the live KPIs of the
three city roles. Idempotent: existing rows (and operators' edits of them) are left alone."""

import csv
import datetime
import hashlib
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .models import KPI, Policy, PolicyRole, StatImport
from .sectors import load_definition

ETNEWS_2016 = (
    "전자신문 2016-02-23 (m.etnews.com/20160223000369); 이투데이 (etoday.co.kr news 1293119); "
    "동아일보 2016-02-24 (donga.com/news/all/20160224/76637854)"
)
TESTBED_SOURCES = (
    "서울시 내 손안에 서울 (news.seoul.go.kr/economy/archives/566330); 전자신문 2021-02-14 "
    "(m.etnews.com/20210214000090); 전자신문 2019-06-24 (m.etnews.com/20190624000126)"
)

POLICIES = [
    {
        "title_ko": "서울 디지털기본계획 2020",
        "title_en": "Seoul Digital Basic Plan 2020",
        "role": None,
        "order": 1,
        "summary": (
            '비전 "새로운 연결, 다른 경험 Global Digital Seoul 2020"; 4대 전략 — 소셜특별시, 디지노믹스(Diginomics), '
            "디지털사회혁신, 글로벌 디지털리더 — 과 54개 실행과제. 서울디지털재단(2016년 5월 출범)을 디지노믹스의 "
            "플랫폼·싱크탱크로, 개포디지털혁신파크(2016년 9월 개관)."
        ),
        "owner": "서울특별시",
        "budget_krw": 460_500_000_000,
        "budget_note": "(5년간 합계)",
        "starts_on": datetime.date(2016, 2, 23),
        "ends_on": None,
        "period_note": "2016년 2월 23일 발표, 2020년까지",
        "status": Policy.Status.ENDED,
        "source": ETNEWS_2016,
        "kpis": [
            ("핀테크 스타트업 육성", "Fintech startups fostered", "개사", 30, "2020년까지"),
            ("전문인력 양성", "Specialists trained", "명", 1240, "2020년까지 (G밸리 IoT 아카데미, 해커톤 등)"),
            ("유망기술 발굴", "Promising technologies", "개", 243, "2020년까지"),
            ("IoT 테스트베드 지역", "IoT testbed areas", "곳", 100, '북촌에서 100곳으로 ("Seoul as a Living Lab")'),
            ("주차장 통합정보 제공", "Car parks with integrated parking information", "곳", 550, ""),
        ],
    },
    {
        "title_ko": "서울 미래 혁신성장 프로젝트 추진계획",
        "title_en": "Seoul future innovation-growth project plan",
        "role": None,
        "order": 2,
        "summary": "6개 프로젝트, 그 가운데 혁신창업 친화도시와 테스트베드 도시.",
        "owner": "서울특별시 경제정책과",
        "budget_krw": None,
        "budget_note": "",
        "starts_on": datetime.date(2018, 2, 1),
        "ends_on": None,
        "period_note": "2018년 2월 수립",
        "status": Policy.Status.UNKNOWN,
        "source": "서울정보소통광장 (opengov.seoul.go.kr/sanction/14698903)",
        "kpis": [],
    },
    {
        "title_ko": "테스트베드 서울",
        "title_en": "Testbed Seoul",
        "role": "synthesizer",
        "order": 1,
        "summary": (
            "시 시설과 현장에서 신기술을 최대 1년간 실증. 수요과제형(시가 기술 수요를 공개)과 자유공모형(온라인 "
            "신기술접수소, 8주 안에 회신). 실증 기업에 공공 레퍼런스로 쓸 수 있는 실증확인서 발급. 2021년 과제당 최대 "
            "4억원; 2022년 자치구·병원·은행으로 실증 장소 확대, 분기별 공모."
        ),
        "owner": "서울특별시",
        "budget_krw": 8_000_000_000,
        "budget_note": "(2025년, 절반 이상 AI; 첫 해외 실증)",
        "starts_on": None,
        "ends_on": None,
        "period_note": "2018년부터 (2019년 신기술접수소 개설)",
        "status": Policy.Status.ACTIVE,
        "source": TESTBED_SOURCES,
        "kpis": [
            (
                "수요과제 공개 (2021년)",
                "Technology needs posted by the city (2021)",
                "건",
                None,
                "",
                30,
                datetime.date(2021, 12, 31),
            )
        ],
        "live": [
            ("실증 착수", "Pilots started", "pilots_started"),
            ("실증확인서 발급", "Pilot certificates issued", "certificates_issued"),
        ],
    },
]

# The hub's own live KPIs per city role (counted from platform data, nothing entered).
ROLE_KPIS = {
    "pre-adopter": [
        ("활성 정보원", "Active sources", "active_sources"),
        ("이번 주 전달된 항목", "Items delivered this week", "items_delivered_this_week"),
    ],
    "accelerator": [
        ("등록 기업", "Firms in the registry", "firms_registered"),
        ("맞춤 지원사업이 있는 기업", "Firms with a matched programme", "firms_with_matched_programme"),
        ("신청 가능한 지원사업", "Support programmes open for application", "programmes_open"),
    ],
    "synthesizer": [
        ("실증 착수", "Pilots started", "pilots_started"),
        ("실증확인서 발급", "Pilot certificates issued", "certificates_issued"),
    ],
}


ESTABLISHMENT_FILES = ["seoul_gu_establishments_by_year.csv", "seoul_gu_establishments_by_section.csv"]
ESTABLISHMENT_SOURCE = (
    "서울특별시 「사업체현황」(통계청 전국사업체조사), KOSIS 국가통계포털 "
    "(DT_201004_O040003_2015, DT_201004_O040004_2017)"
)
# The caveats of data/seoul-establishments/SOURCE.txt (A, B, E) that a reader of the gu figures needs.
ESTABLISHMENT_NOTES = (
    "자치구 합계는 원자료에 수치가 없는 행정동(동대문구 신설동·용두동, 강동구 상일제1·2동, 영등포구 당산1동)을 뺀 "
    "합이라 실제보다 조금 작습니다(서울 2022년: 공표치 1,180,025개, 이 자료 1,164,845개, -1.3%). 강남구 개포3동은 "
    "2022년부터, 구로구 항동은 2020년부터 포함됩니다. 원자료에서 영등포구·송파구의 동 이름이 뒤바뀐 수치는 산업별 "
    "합계로 확인해 바로잡았으며 자치구 합계에는 영향이 없습니다. 산업 대분류별 수치는 2017년과 2024년의 사업체 수만 "
    "있고(종사자 수 없음), 2024년에는 KSIC 11차가 적용되었을 수 있습니다(미확인)."
)


def load_establishments(log, data_dir: Path | None = None) -> dict[str, int]:
    """Import the KOSIS gu tables through the same code path as `seoulhub import-industry-stats`.
    A file whose import already holds these exact figures is not imported again, so a re-run
    leaves the statistics and the import history unchanged."""
    from .importer import import_stats

    folder = data_dir or Path(settings.DATA_DIR, "seoul-establishments")
    counts = {"statistics created": 0, "statistics updated": 0}
    for name in ESTABLISHMENT_FILES:
        data = (folder / name).read_bytes()
        check = import_stats(data, name, dry_run=True)
        already = StatImport.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists()
        if already and not (check.created or check.updated):
            continue
        report = import_stats(data, name, source=ESTABLISHMENT_SOURCE, notes=ESTABLISHMENT_NOTES)
        for line in report.lines()[:5]:
            log(line)
        counts["statistics created"] += report.created
        counts["statistics updated"] += report.updated
    return counts


# The innovation-programme facts of data/seoul-innovation-facts: programme -> the policy they
# belong to, and our assignment of that policy to one of the study's three roles.
FACT_POLICIES = {
    "테스트베드 서울": "테스트베드 서울",
    "테스트베드 서울 (신기술접수소)": "테스트베드 서울",
    "혁신기술 공공테스트베드 (2018 pilot)": "테스트베드 서울",
    "서울 AI 전략 (AI SEOUL 2025)": "서울 AI 전략 (AI SEOUL 2025)",
    "서울 AI 테크시티 (양재)": "AI 양재 허브 (서울 AI 허브)",
    "서울 AI 허브 (양재)": "AI 양재 허브 (서울 AI 허브)",
    "AI 양재 허브": "AI 양재 허브 (서울 AI 허브)",
    "서울핀테크랩": "서울핀테크랩",
    "서울창업허브 (공덕)": "서울창업허브",
    "서울 4대 창업허브": "서울창업허브",
    "서울 창업지원시설": "서울창업허브",
}
FACTS_SOURCE = "서울특별시 보도자료 / 각 언론 보도 (출처 링크는 각 지표에)"
NEW_FACT_POLICIES = [
    {
        "title_ko": "서울 AI 전략 (AI SEOUL 2025)",
        "title_en": "Seoul AI strategy (AI SEOUL 2025)",
        "role": "synthesizer",
        "order": 2,
        "owner": "서울특별시",
        "period_note": "2025년 2월 발표",
        "status": Policy.Status.ACTIVE,
        "summary": "AI 인재 양성, 이공계 석사 장학금, AI 투자 펀드, 양재 AI 테크시티 계획.",
    },
    {
        "title_ko": "AI 양재 허브 (서울 AI 허브)",
        "title_en": "AI Yangjae Hub (Seoul AI Hub)",
        "role": "accelerator",
        "order": 1,
        "owner": "서울특별시",
        "period_note": "2017년 12월 개관",
        "status": Policy.Status.ACTIVE,
        "summary": "양재의 AI 기업 입주·육성 거점; 2025년 서울 AI 테크시티 계획.",
    },
    {
        "title_ko": "서울핀테크랩",
        "title_en": "Seoul Fintech Lab",
        "role": "accelerator",
        "order": 2,
        "owner": "서울특별시",
        "period_note": "2018년부터 (2023년 2월 제2서울핀테크랩 개관)",
        "status": Policy.Status.ACTIVE,
        "summary": "여의도의 핀테크 스타트업 입주·육성 시설.",
    },
    {
        "title_ko": "서울창업허브",
        "title_en": "Seoul Startup Hub",
        "role": "accelerator",
        "order": 3,
        "owner": "서울특별시",
        "period_note": "2017년 6월 공덕 개관; 2025년 4대 창업허브(공덕, M+, 성수, 창동)",
        "status": Policy.Status.ACTIVE,
        "summary": "서울시 창업 보육 거점.",
    },
]
METRICS_KO = {
    "planned investment": "투자 계획",
    "firms to support": "지원 기업 목표",
    "budget": "예산",
    "target firms": "지원 목표 기업",
    "technology proposals received": "신기술접수소 접수 제안",
    "proposals in ICT (IoT/blockchain etc.)": "ICT 분야 제안 (IoT·블록체인 등)",
    "firms piloting": "실증 기업",
    "budget for disinfection/bio-medical testbed": "방역·바이오의료 실증 예산",
    "technologies selected (cumulative)": "선정 기술 (누적)",
    "pilot sites (cumulative)": "실증 장소 (누적)",
    "pilot funding (cumulative)": "실증 지원금 (누적)",
    "public procurement won by participants": "참여 기업 공공구매 실적",
    "investment attracted by participants": "참여 기업 투자유치",
    "technologies piloted (cumulative)": "실증 기술 (누적)",
    "economic outcome of participants": "참여 기업 경제적 성과",
    "projects selected (cumulative)": "선정 과제 (누적)",
    "AI-related projects (cumulative)": "AI 관련 과제 (누적)",
    "projects planned": "계획 과제",
    "AI talent trained per year": "연간 AI 인재 양성",
    "STEM master's scholarships": "이공계 석사 장학금",
    "AI investment fund": "AI 투자 펀드",
    "gross floor area": "연면적",
    "revenue of resident firms (cumulative)": "입주기업 매출 (누적)",
    "investment attracted": "투자유치",
    "revenue of resident firms": "입주기업 매출",
    "revenue / investment of residents": "입주기업 매출 / 투자유치",
    "investment attracted by 70 residents": "입주 70개사 투자유치",
    "startups supported (cumulative)": "지원 스타트업 (누적)",
    "revenue of residents (cumulative)": "입주기업 매출 (누적)",
    "startups nurtured": "육성 스타트업",
    "startup support facilities run by Seoul": "서울시 운영 창업지원시설",
}
UNITS_KO = {
    "억원": "억원",
    "firms": "개사",
    "proposals": "건",
    "technologies": "개",
    "sites": "곳",
    "projects": "건",
    "persons": "명",
    "m2": "㎡",
    "facilities": "곳",
}
PERIODS_KO = {
    "2023 target": "2023년 목표",
    "annual target": "연간 목표",
    "plan": "계획",
    "existing": "기존",
    "2 years": "2년간",
    "3 years to 2020": "2020년까지 3년",
    "2020-H1": "2020년 상반기",
    "2018..2025-Q3": "2018–2025년 3분기",
    "2018-2019": "2018–2019",
    "2017-06-21..2018-06": "2017-06-21–2018-06",
}
SOURCE_KINDS_KO = {
    "news report of Seoul press release": "서울시 보도자료 언론 보도",
    "news report": "언론 보도",
    "Seoul press release": "서울시 보도자료",
    "news report of Seoul announcement": "서울시 발표 언론 보도",
    "news summary citing Seoul": "서울시 인용 뉴스 요약",
    "news aggregator": "뉴스 모음",
}
PROGRAMME_LABELS = {
    "테스트베드 서울 (신기술접수소)": "신기술접수소",
    "혁신기술 공공테스트베드 (2018 pilot)": "2018 혁신기술 공공테스트베드",
    "서울 AI 테크시티 (양재)": "AI 테크시티",
    "서울 AI 허브 (양재)": "서울 AI 허브",
    "서울 4대 창업허브": "4대 창업허브",
    "서울 창업지원시설": "창업지원시설",
    "서울창업허브 (공덕)": "공덕",
}


def _period_ko(period: str) -> str:
    return PERIODS_KO.get(period, period.replace("..", "–"))


def load_kpi_facts(log, path: Path | None = None) -> dict[str, int]:
    """Enter the sourced KPI facts as values (or targets, where the source states a target) of
    their policies, each with its source link and as-of date. Existing facts are left alone."""
    path = path or Path(settings.DATA_DIR, "seoul-innovation-facts", "seoul_innovation_kpis.csv")
    roles = {r.slug: r for r in PolicyRole.objects.all()}
    counts = {"KPI facts created": 0, "policies created": 0}
    for entry in NEW_FACT_POLICIES:
        fields = {k: v for k, v in entry.items() if k not in {"role", "title_ko"}}
        _policy, created = Policy.objects.get_or_create(
            title_ko=entry["title_ko"], defaults={**fields, "role": roles.get(entry["role"]), "source": FACTS_SOURCE}
        )
        counts["policies created"] += created
    policies = {p.title_ko: p for p in Policy.objects.filter(title_ko__in=set(FACT_POLICIES.values()))}
    with path.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=100):
            policy = policies.get(FACT_POLICIES.get(row["programme"], ""))
            if policy is None:
                log(f"observatory: KPI fact of unknown programme {row['programme']!r} skipped")
                continue
            prefix = PROGRAMME_LABELS.get(row["programme"])
            metric_ko = METRICS_KO.get(row["metric"], row["metric"])
            name_ko = f"{prefix + ' ' if prefix else ''}{metric_ko} ({_period_ko(row['period'])})"
            name_en = f"{row['metric']} ({row['period']})"
            is_target = "target" in row["period"] or row["period"] == "plan"
            number = Decimal(row["value"]) if re.fullmatch(r"\d+(\.\d+)?", row["value"]) else None
            as_of = row["as_of"]
            exact = re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of)
            kind = row["source_kind"]
            kind_ko = next(
                (
                    ko
                    for en, ko in SOURCE_KINDS_KO.items()
                    if kind.startswith(en) and (kind == en or kind[len(en) :].startswith(" ("))
                ),
                kind,
            )
            _kpi, created = KPI.objects.get_or_create(
                policy=policy,
                name_en=name_en[:200],
                source_url=row["source_url"][:500],
                defaults={
                    "name_ko": name_ko[:200],
                    "unit": UNITS_KO.get(row["unit"], row["unit"]),
                    "value": None if is_target else number,
                    "target": number if is_target else None,
                    "target_note": _period_ko(row["period"]) if is_target else "",
                    "value_text": "" if number is not None else row["value"],
                    "value_as_of": datetime.date.fromisoformat(as_of) if exact else None,
                    "as_of_text": "" if exact else as_of,
                    "note": row["note"][:300],
                    "source": kind_ko,
                    "order": order,
                },
            )
            counts["KPI facts created"] += created
    return counts


def load(log) -> dict[str, int]:
    counts = {"policies created": 0, "KPIs created": 0}
    counts.update(load_definition())
    roles = {r.slug: r for r in PolicyRole.objects.all()}
    for order_base, entry in enumerate(POLICIES):
        fields = {k: v for k, v in entry.items() if k not in {"kpis", "live", "role", "title_ko"}}
        policy, created = Policy.objects.get_or_create(
            title_ko=entry["title_ko"], defaults={**fields, "role": roles.get(entry["role"]) if entry["role"] else None}
        )
        counts["policies created"] += created
        if not created:
            continue
        for order, kpi in enumerate(entry["kpis"]):
            name_ko, name_en, unit, target, target_note, *entered = kpi
            value, as_of = entered if entered else (None, None)
            KPI.objects.create(
                policy=policy,
                name_ko=name_ko,
                name_en=name_en,
                unit=unit,
                target=target,
                target_note=target_note,
                value=value,
                value_as_of=as_of,
                source=policy.source,
                order=order,
            )
            counts["KPIs created"] += 1
        for order, (name_ko, name_en, computation) in enumerate(entry.get("live", []), start=len(entry["kpis"])):
            KPI.objects.create(policy=policy, name_ko=name_ko, name_en=name_en, computation=computation, order=order)
            counts["KPIs created"] += 1
    for slug, kpis in ROLE_KPIS.items():
        role = roles.get(slug)
        if role is None:
            continue
        for order, (name_ko, name_en, computation) in enumerate(kpis):
            _kpi, created = KPI.objects.get_or_create(
                role=role, computation=computation, defaults={"name_ko": name_ko, "name_en": name_en, "order": order}
            )
            counts["KPIs created"] += created
    facts = load_kpi_facts(log)
    counts["policies created"] += facts["policies created"]
    counts["KPI facts created"] = facts["KPI facts created"]
    counts.update(load_establishments(log))
    return counts
