"""Pilot data for the demo: the real track record, real city demands, and labelled examples.

Real (data/seoul-innovation-facts/testbed_seoul_pilots.csv, facts read from Seoul press releases
and news reports, one source link per row):
- the published 테스트베드 서울 pilots (and one 마곡 리빙랩 pilot, marked with its programme) become
  `PastPilot` rows: the programme's track record, firm names as text;
- the 2025 city 수요과제 become real demands (is_example=False, closed, with their source link).
Examples: there is no public list of current calls with criteria and dates, so the open demands
and all proposals are *examples* (is_example=True, "예시 / Example" everywhere), modelled on the
documented programme (SOURCE_NOTE); they never count in KPIs or analytics.
Idempotent: past pilots by (programme, firm, technology), demands by title, proposals by
(demand, lead firm); nothing is created twice.
"""

import csv
import datetime
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from seoulhub.core import clock
from seoulhub.support.models import Firm, FirmMember
from seoulhub.taxonomy.models import Technology

from . import lifecycle as lc
from . import services
from .matchmaking import demand_consortia, partner_suggestion
from .models import AuditEntry, Criterion, Demand, PastPilot, Proposal

FACTS_FILE = ("seoul-innovation-facts", "testbed_seoul_pilots.csv")
DEMAND_PROGRAMME_MARK = "수요과제"
# Taxonomy slugs for each published technology, set by hand only where the wording is clear;
# the others keep their published wording and no taxonomy tag.
TECHNOLOGY_SLUGS = {
    "IoT 센서·빅데이터 지하철 노면(궤도) 점검": ["iot", "big-data"],
    "자율주행 배달로봇 (택배·음식배달·물류)": ["robotics"],
    "IoT 기반 지하수 수질관리시스템 (실시간 모니터링)": ["iot"],
    "TV 유휴채널(TVWS) 사물인터넷 무선망": ["iot"],
    "건설현장 정보 클라우드 업로드·스마트기기 비대면 검측 앱": ["cloud"],
    "인공지능 주차면 공유 시스템": ["ai"],
    "인공지능 기반 드론 자동 운영 (산불재난 관리)": ["ai", "drones"],
    "영상 인식 로봇을 이용한 궤도시설물 스마트 점검": ["computer-vision", "robotics"],
    "AI 기반 자율주행 로봇 서비스": ["ai", "robotics"],
    "자율주행 로봇 점심 배달": ["robotics"],
    "반지하 주택 밀집 지역 침수 수위 측정 기술": ["iot"],
    "AI 기반 무인 자율주행 청소차": ["ai", "autonomous-driving"],
    "전기차 배터리 이상 진단 및 알림 체계": ["energy-tech"],
}
# The compiler's English remarks in the year and site columns, said in Korean on the page.
PERIOD_WORDS = {
    "by 2022": "2022년 이전",
    "up to 2025": "~2025",
    "before a later call (year not in excerpt)": "연도 미상 (출처에 없음)",
}
OUTCOME_WORDS = {"example pilot": "보도에 소개된 실증 사례", "photo caption of a pilot": "보도 사진에 소개된 실증"}
SITE_WORDS = {"(site truncated in source excerpt)": "", "(road network)": "도로", "(city demand)": ""}
REAL_DEMAND_NOTE = (
    "서울시가 테스트베드 서울 2025년 1차 공모에서 공개한 주요 수요과제입니다 (실제 과제, 접수 마감). "
    "2025년 공모: 40개 과제, 과제당 최대 2억원 (같은 출처). "
    "Real demand published by Seoul in the first 2025 Testbed Seoul call (closed)."
)

SOURCE_NOTE = (
    "예시 / Example — 테스트베드 서울(2018~)의 방식을 본뜬 예시이며 서울시의 실제 공고가 아닙니다. "
    "테스트베드 서울: 서울시 시설과 현장에서 신기술을 최대 1년간 실증합니다. 서울시가 수요를 공개하는 "
    "수요과제(2021년 30건)와 신기술접수소를 통한 자유 제안(8주 안에 회신)이 있고, 2021년 과제당 최대 "
    "4억원을 지원했으며, 기업은 공공 실적으로 쓸 수 있는 실증 확인서를 받습니다. 출처: "
    "news.seoul.go.kr/economy/archives/566330, m.etnews.com/20210214000090, m.etnews.com/20190624000126."
)
CRITERIA = [
    ("기술성 (Technical merit)", 40),
    ("현장 적용 가능성 (Feasibility on the site)", 30),
    ("비용 대비 효과 (Value for money)", 30),
]
BUDGET_CAP_2021 = 400_000_000  # KRW per project, Testbed Seoul 2021 (m.etnews.com/20210214000090)

EXAMPLE_DEMANDS = [
    {
        "title": "[예시] 공공시설 혼잡도 AI 분석 실증",
        "kind": Demand.Kind.DEMAND,
        "problem": "예시 과제: 시민이 많이 찾는 공공시설의 혼잡도를 센서와 AI로 실시간 파악해 안내하고, "
        "데이터는 클라우드에서 관리한다. (Example: real-time crowding of busy public facilities "
        "from sensors and AI, managed in the cloud.)",
        "place": "서울시 공공시설 (예시)",
        "technologies": ["ai", "iot", "cloud"],
    },
    {
        "title": "[예시] 공공의료 디지털 헬스 모니터링 실증",
        "kind": Demand.Kind.DEMAND,
        "problem": "예시 과제: 퇴원 환자의 상태를 디지털 헬스 기기와 빅데이터 분석으로 관찰해 재입원을 줄인다. "
        "(Example: follow discharged patients with digital-health devices and big-data analysis.)",
        "place": "공공병원 (예시)",
        "technologies": ["digital-health", "big-data", "ai"],
    },
    {
        "title": "[예시] 5G 기반 자율주행 셔틀 실증",
        "kind": Demand.Kind.DEMAND,
        "problem": "예시 과제: 지정 구간에서 5G 통신을 이용한 자율주행 셔틀을 운행해 안전성과 이용 편의를 검증한다. "
        "(Example: an autonomous shuttle over 5G on a set route.)",
        "place": "지정 시범 구간 (예시)",
        "technologies": ["autonomous-driving", "telecom-5g-6g", "mobility"],
    },
    {
        "title": "[예시] 신기술 자유공모",
        "kind": Demand.Kind.OPEN_CALL,
        "problem": "예시 공모: 도시 문제를 푸는 어떤 신기술이든 제안할 수 있다 (신기술접수소 방식). "
        "(Example open call: propose any new technology that solves a city problem.)",
        "place": "",
        "technologies": [],
    },
]


def _example_demand(spec: dict, official) -> tuple[Demand, bool]:
    demand = Demand.objects.filter(title=spec["title"], is_example=True).first()
    if demand is not None:
        return demand, False
    # Open from the start (no opening day), so the examples are open on the demo's reference
    # date whether it is pinned before or after this loader runs.
    closes = clock.today() + datetime.timedelta(days=90)
    is_demand = spec["kind"] == Demand.Kind.DEMAND
    demand = Demand.objects.create(
        title=spec["title"],
        kind=spec["kind"],
        problem=spec["problem"],
        place=spec["place"],
        budget_krw=BUDGET_CAP_2021 if is_demand else None,
        opens_on=None,
        closes_on=closes,
        pilot_starts_on=closes + datetime.timedelta(days=30) if is_demand else None,
        pilot_ends_on=closes + datetime.timedelta(days=210) if is_demand else None,
        posted_by=official,
        is_example=True,
        source_note=SOURCE_NOTE,
    )
    demand.technologies.set(Technology.objects.filter(slug__in=spec["technologies"]))
    Criterion.objects.bulk_create([Criterion(demand=demand, name=n, weight=w) for n, w in CRITERIA])
    return demand, True


def _system_audit(proposal: Proposal, source: str, target: str) -> None:
    AuditEntry.objects.create(
        proposal=proposal,
        actor=None,
        actor_name="seoulhub load-demo",
        capacity="system",
        from_state=source,
        to_state=target,
        note="예시 / Example",
    )


def _example_proposal(demand: Demand, members: list[Firm]) -> bool:
    lead, partners = members[0], members[1:]
    if Proposal.objects.filter(demand=demand, lead_firm=lead, is_example=True).exists():
        return False
    proposal = Proposal.objects.create(
        demand=demand,
        lead_firm=lead,
        is_example=True,
        state=lc.SUBMITTED,
        title=f"[예시] {lead.name_ko} 컨소시엄 제안",
        summary=(
            "예시 제안: 매칭 엔진이 요구 기술을 모두 갖춘 가장 작은 컨소시엄으로 제안한 구성입니다. "
            "(Example proposal from the smallest consortium the matchmaker found.)"
        ),
    )
    proposal.partners.set(partners)
    proposal.technologies.set(demand.technologies.all())
    _system_audit(proposal, "", lc.DRAFT)
    _system_audit(proposal, lc.DRAFT, lc.SUBMITTED)
    return True


def _firm_user_proposal(demand: Demand, firm_user, official) -> bool:
    """The example firm account proposes with partners for the first demand, then the example
    official opens the review, so the demo shows a live review queue."""
    membership = FirmMember.objects.filter(user=firm_user).select_related("firm").first()
    if membership is None or Proposal.objects.filter(demand=demand, lead_firm=membership.firm).exists():
        return False
    fit = partner_suggestion(demand, membership.firm)  # what the demand and propose pages suggest
    partner_ids = [m.id for m in fit.partners.members] if fit and fit.partners else []
    proposal = services.create_proposal(
        firm_user,
        demand,
        membership.firm,
        partners=list(Firm.objects.filter(pk__in=partner_ids)),
        title=f"[예시] {membership.firm.name_ko} 제안",
        is_example=True,
        summary="예시 제안: 예시 계정(firm)이 작성한 제안입니다. (Example proposal by the example firm account.)",
    )
    services.transition(proposal.pk, lc.SUBMITTED, firm_user, note="예시 / Example")
    if official is not None:
        services.transition(proposal.pk, lc.UNDER_REVIEW, official, note="예시 / Example")
    return True


def read_facts(path: Path | None = None) -> list[dict]:
    path = path or Path(settings.DATA_DIR, *FACTS_FILE)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _first_year(period: str) -> int | None:
    match = re.match(r"\s*((?:19|20)\d\d)\b", period)
    return int(match.group(1)) if match else None


def _technologies(text: str) -> list[Technology]:
    return list(Technology.objects.filter(slug__in=TECHNOLOGY_SLUGS.get(text, [])))


def load_track_record(rows: list[dict]) -> dict[str, int]:
    """Published pilots -> PastPilot rows, 2025 수요과제 -> real closed demands. Idempotent."""
    counts = {"past pilots created": 0, "past pilots updated": 0, "real demands created": 0}
    for row in rows:
        programme, technology = row["programme"].strip(), row["technology"].strip()
        if DEMAND_PROGRAMME_MARK in programme:
            counts["real demands created"] += _real_demand(row)
            continue
        period = row["year"].strip()
        values = {
            "period": PERIOD_WORDS.get(period, period),
            "year": _first_year(period),
            "site": SITE_WORDS.get(row["site"].strip(), row["site"].strip()),
            "outcome": OUTCOME_WORDS.get(row["status_or_outcome"].strip(), row["status_or_outcome"].strip()),
            "source_url": row["source_url"].strip(),
            "note": row["note"].strip(),
        }
        pilot, created = PastPilot.objects.get_or_create(
            programme=programme, firm_name=row["firm"].strip(), technology=technology, defaults=values
        )
        if not created and any(getattr(pilot, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(pilot, key, value)
            pilot.save()
            counts["past pilots updated"] += 1
        counts["past pilots created"] += created
        wanted = {t.pk for t in _technologies(technology)}
        if set(pilot.technologies.values_list("pk", flat=True)) != wanted:
            pilot.technologies.set(wanted)
    return counts


def _real_demand(row: dict) -> bool:
    title, url = row["technology"].strip(), row["source_url"].strip()
    if Demand.objects.real().filter(title=title, source_url=url).exists():
        return False
    demand = Demand.objects.create(
        title=title,
        kind=Demand.Kind.DEMAND,
        status=Demand.Status.CLOSED,
        problem=f"{row['programme'].strip()}: {title}. ({row['status_or_outcome'].strip()})",
        is_example=False,
        source_url=url,
        source_note=REAL_DEMAND_NOTE,
    )
    demand.technologies.set(_technologies(title))
    return True


def load(log) -> dict[str, int]:
    User = get_user_model()
    official = User.objects.filter(username="official").first()
    firm_user = User.objects.filter(username="firm").first()
    with transaction.atomic():
        counts = load_track_record(read_facts())
    counts.update({"example demands created": 0, "example proposals created": 0})
    demands = []
    for spec in EXAMPLE_DEMANDS:
        with transaction.atomic():
            demand, created = _example_demand(spec, official)
        counts["example demands created"] += created
        demands.append(demand)
    if firm_user is not None:
        with transaction.atomic():
            counts["example proposals created"] += _firm_user_proposal(demands[0], firm_user, official)
    for demand in demands:
        if demand.kind != Demand.Kind.DEMAND:
            continue
        plan = demand_consortia(demand, k=3)  # the same first consortium the demand page shows
        if not plan.consortia:
            log(f"pilots: no tagged firm covers {demand.title}; no example proposal")
            continue
        firms = Firm.objects.in_bulk([m.id for m in plan.consortia[0].members])
        with transaction.atomic():
            counts["example proposals created"] += _example_proposal(
                demand, [firms[m.id] for m in plan.consortia[0].members]
            )
    return counts
