"""Demo content of the observatory: the digital-industry definition, documented Seoul policies
(only facts stated in their published sources, each with its source) and the live KPIs of the
three city roles. Idempotent: existing rows (and operators' edits of them) are left alone."""

import datetime

from .models import KPI, Policy, PolicyRole
from .sectors import load_definition

ETNEWS_2016 = ("전자신문 2016-02-23 (m.etnews.com/20160223000369); 이투데이 (etoday.co.kr news 1293119); "
               "동아일보 2016-02-24 (donga.com/news/all/20160224/76637854)")
TESTBED_SOURCES = ("서울시 내 손안에 서울 (news.seoul.go.kr/economy/archives/566330); 전자신문 2021-02-14 "
                   "(m.etnews.com/20210214000090); 전자신문 2019-06-24 (m.etnews.com/20190624000126)")

POLICIES = [
    {
        "title_ko": "서울 디지털기본계획 2020", "title_en": "Seoul Digital Basic Plan 2020", "role": None, "order": 1,
        "summary": ("비전 \"새로운 연결, 다른 경험 Global Digital Seoul 2020\"; 4대 전략 — 소셜특별시, 디지노믹스(Diginomics), "
                    "디지털사회혁신, 글로벌 디지털리더 — 과 54개 실행과제. 서울디지털재단(2016년 5월 출범)을 디지노믹스의 "
                    "플랫폼·싱크탱크로, 개포디지털혁신파크(2016년 9월 개관)."),
        "owner": "서울특별시", "budget_krw": 460_500_000_000, "budget_note": "5년간 4,605억원 (KRW 460.5 billion over 5 years)",
        "starts_on": datetime.date(2016, 2, 23), "ends_on": None, "period_note": "2016년 2월 23일 발표, 2020년까지",
        "status": Policy.Status.ENDED, "source": ETNEWS_2016,
        "kpis": [
            ("핀테크 스타트업 육성", "Fintech startups fostered", "개사", 30, "2020년까지"),
            ("전문인력 양성", "Specialists trained", "명", 1240, "2020년까지 (G밸리 IoT 아카데미, 해커톤 등)"),
            ("유망기술 발굴", "Promising technologies", "개", 243, "2020년까지"),
            ("IoT 테스트베드 지역", "IoT testbed areas", "곳", 100, "북촌에서 100곳으로 (\"Seoul as a Living Lab\")"),
            ("주차장 통합정보 제공", "Car parks with integrated parking information", "곳", 550, ""),
        ],
    },
    {
        "title_ko": "서울 미래 혁신성장 프로젝트 추진계획", "title_en": "Seoul future innovation-growth project plan",
        "role": None, "order": 2,
        "summary": "6개 프로젝트, 그 가운데 혁신창업 친화도시와 테스트베드 도시.",
        "owner": "서울특별시 경제정책과", "budget_krw": None, "budget_note": "",
        "starts_on": datetime.date(2018, 2, 1), "ends_on": None, "period_note": "2018년 2월 수립",
        "status": Policy.Status.UNKNOWN, "source": "서울정보소통광장 (opengov.seoul.go.kr/sanction/14698903)", "kpis": [],
    },
    {
        "title_ko": "테스트베드 서울", "title_en": "Testbed Seoul", "role": "synthesizer", "order": 1,
        "summary": ("시 시설과 현장에서 신기술을 최대 1년간 실증. 수요과제형(시가 기술 수요를 공개)과 자유공모형(온라인 "
                    "신기술접수소, 8주 안에 회신). 실증 기업에 공공 레퍼런스로 쓸 수 있는 실증확인서 발급. 2021년 과제당 최대 "
                    "4억원; 2022년 자치구·병원·은행으로 실증 장소 확대, 분기별 공모."),
        "owner": "서울특별시", "budget_krw": 8_000_000_000, "budget_note": "2025년 약 80억원, 절반 이상 AI; 첫 해외 실증",
        "starts_on": None, "ends_on": None, "period_note": "2018년부터 (2019년 신기술접수소 개설)",
        "status": Policy.Status.ACTIVE, "source": TESTBED_SOURCES,
        "kpis": [("수요과제 공개 (2021년)", "Technology needs posted by the city (2021)", "건", None, "", 30,
                  datetime.date(2021, 12, 31))],
        "live": [("실증 착수", "Pilots started", "pilots_started"),
                 ("실증확인서 발급", "Pilot certificates issued", "certificates_issued")],
    },
]

# The hub's own live KPIs per city role (counted from platform data, nothing entered).
ROLE_KPIS = {
    "pre-adopter": [("활성 정보원", "Active sources", "active_sources"),
                    ("이번 주 전달된 항목", "Items delivered this week", "items_delivered_this_week")],
    "accelerator": [("등록 기업", "Firms in the registry", "firms_registered"),
                    ("맞춤 지원사업이 있는 기업", "Firms with a matched programme", "firms_with_matched_programme"),
                    ("신청 가능한 지원사업", "Support programmes open for application", "programmes_open")],
    "synthesizer": [("실증 착수", "Pilots started", "pilots_started"),
                    ("실증확인서 발급", "Pilot certificates issued", "certificates_issued")],
}


def load(log) -> dict[str, int]:
    counts = {"policies created": 0, "KPIs created": 0}
    counts.update(load_definition())
    roles = {r.slug: r for r in PolicyRole.objects.all()}
    for order_base, entry in enumerate(POLICIES):
        fields = {k: v for k, v in entry.items() if k not in {"kpis", "live", "role", "title_ko"}}
        policy, created = Policy.objects.get_or_create(
            title_ko=entry["title_ko"], defaults={**fields, "role": roles.get(entry["role"]) if entry["role"] else None})
        counts["policies created"] += created
        if not created:
            continue
        for order, kpi in enumerate(entry["kpis"]):
            name_ko, name_en, unit, target, target_note, *entered = kpi
            value, as_of = entered if entered else (None, None)
            KPI.objects.create(policy=policy, name_ko=name_ko, name_en=name_en, unit=unit, target=target,
                               target_note=target_note, value=value, value_as_of=as_of, source=policy.source, order=order)
            counts["KPIs created"] += 1
        for order, (name_ko, name_en, computation) in enumerate(entry.get("live", []), start=len(entry["kpis"])):
            KPI.objects.create(policy=policy, name_ko=name_ko, name_en=name_en, computation=computation, order=order)
            counts["KPIs created"] += 1
    for slug, kpis in ROLE_KPIS.items():
        role = roles.get(slug)
        if role is None:
            continue
        for order, (name_ko, name_en, computation) in enumerate(kpis):
            _kpi, created = KPI.objects.get_or_create(role=role, computation=computation,
                                                      defaults={"name_ko": name_ko, "name_en": name_en, "order": order})
            counts["KPIs created"] += created
    return counts
