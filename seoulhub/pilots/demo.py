"""Example pilot demands and proposals for the demo.

There is no public dataset of Seoul's pilot demands, so the demands here are *examples*
(is_example=True, shown with a "예시 / Example" badge everywhere), modelled on the documented
Testbed Seoul programme (sources in SOURCE_NOTE). They never claim to be real calls of the city.
Proposals are made from the consortia the matchmaker finds among the real KRX-listed firms as
tagged by the support app, and are examples too. Idempotent: demands are found by title,
proposals by (demand, lead firm); nothing is created twice.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from seoulhub.support.models import Firm, FirmMember
from seoulhub.taxonomy.models import Technology

from . import lifecycle as lc
from . import services
from .matchmaking import demand_consortia, open_demands_for_firm
from .models import AuditEntry, Criterion, Demand, Proposal

SOURCE_NOTE = (
    "예시 / Example — Testbed Seoul(테스트베드 서울, 2018~)의 방식을 본뜬 예시이며 서울시의 실제 공고가 아닙니다. "
    "Modelled on Testbed Seoul: city facilities and sites host pilots of new technologies for up to one year; "
    "a demand-led track (the city posts needs; 30 in 2021) and open proposals through 신기술접수소 answered "
    "within 8 weeks; up to KRW 400 million per project in 2021; firms receive a pilot certificate usable as "
    "a public reference. Sources: news.seoul.go.kr/economy/archives/566330, m.etnews.com/20210214000090, "
    "m.etnews.com/20190624000126."
)
CRITERIA = [("기술성 (Technical merit)", 40), ("현장 적용 가능성 (Feasibility on the site)", 30),
            ("비용 대비 효과 (Value for money)", 30)]
BUDGET_CAP_2021 = 400_000_000  # KRW per project, Testbed Seoul 2021 (m.etnews.com/20210214000090)

EXAMPLE_DEMANDS = [
    {"title": "[예시] 공공시설 혼잡도 AI 분석 실증", "kind": Demand.Kind.DEMAND,
     "problem": "예시 과제: 시민이 많이 찾는 공공시설의 혼잡도를 센서와 AI로 실시간 파악해 안내하고, "
                "데이터는 클라우드에서 관리한다. (Example: real-time crowding of busy public facilities "
                "from sensors and AI, managed in the cloud.)",
     "place": "서울시 공공시설 (예시)", "technologies": ["ai", "iot", "cloud"]},
    {"title": "[예시] 공공의료 디지털 헬스 모니터링 실증", "kind": Demand.Kind.DEMAND,
     "problem": "예시 과제: 퇴원 환자의 상태를 디지털 헬스 기기와 빅데이터 분석으로 관찰해 재입원을 줄인다. "
                "(Example: follow discharged patients with digital-health devices and big-data analysis.)",
     "place": "공공병원 (예시)", "technologies": ["digital-health", "big-data", "ai"]},
    {"title": "[예시] 5G 기반 자율주행 셔틀 실증", "kind": Demand.Kind.DEMAND,
     "problem": "예시 과제: 지정 구간에서 5G 통신을 이용한 자율주행 셔틀을 운행해 안전성과 이용 편의를 검증한다. "
                "(Example: an autonomous shuttle over 5G on a set route.)",
     "place": "지정 시범 구간 (예시)", "technologies": ["autonomous-driving", "telecom-5g-6g", "mobility"]},
    {"title": "[예시] 신기술 자유공모", "kind": Demand.Kind.OPEN_CALL,
     "problem": "예시 공모: 도시 문제를 푸는 어떤 신기술이든 제안할 수 있다 (신기술접수소 방식). "
                "(Example open call: propose any new technology that solves a city problem.)",
     "place": "", "technologies": []},
]


def _example_demand(spec: dict, official) -> tuple[Demand, bool]:
    demand = Demand.objects.filter(title=spec["title"], is_example=True).first()
    if demand is not None:
        return demand, False
    today = timezone.localdate()
    demand = Demand.objects.create(
        title=spec["title"], kind=spec["kind"], problem=spec["problem"], place=spec["place"],
        budget_krw=BUDGET_CAP_2021 if spec["kind"] == Demand.Kind.DEMAND else None,
        opens_on=today, closes_on=today + datetime.timedelta(days=90), posted_by=official,
        is_example=True, source_note=SOURCE_NOTE)
    demand.technologies.set(Technology.objects.filter(slug__in=spec["technologies"]))
    Criterion.objects.bulk_create([Criterion(demand=demand, name=n, weight=w) for n, w in CRITERIA])
    return demand, True


def _system_audit(proposal: Proposal, source: str, target: str) -> None:
    AuditEntry.objects.create(proposal=proposal, actor=None, actor_name="seoulhub load-demo", capacity="system",
                              from_state=source, to_state=target, note="예시 / Example")


def _example_proposal(demand: Demand, members: list[Firm]) -> bool:
    lead, partners = members[0], members[1:]
    if Proposal.objects.filter(demand=demand, lead_firm=lead, is_example=True).exists():
        return False
    proposal = Proposal.objects.create(
        demand=demand, lead_firm=lead, is_example=True, state=lc.SUBMITTED,
        title=f"[예시] {lead.name_ko} 컨소시엄 제안",
        summary=("예시 제안: 매칭 엔진이 요구 기술을 모두 갖춘 가장 작은 컨소시엄으로 제안한 구성입니다. "
                 "(Example proposal from the smallest consortium the matchmaker found.)"))
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
    fit = next((fit for d, fit in open_demands_for_firm(membership.firm) if d.pk == demand.pk), None)
    partner_ids = [m.id for m in fit.partners.members] if fit and fit.partners else []
    proposal = services.create_proposal(
        firm_user, demand, membership.firm, partners=list(Firm.objects.filter(pk__in=partner_ids)),
        title=f"[예시] {membership.firm.name_ko} 제안", is_example=True,
        summary="예시 제안: 예시 계정(firm)이 작성한 제안입니다. (Example proposal by the example firm account.)")
    services.transition(proposal.pk, lc.SUBMITTED, firm_user, note="예시 / Example")
    if official is not None:
        services.transition(proposal.pk, lc.UNDER_REVIEW, official, note="예시 / Example")
    return True


def load(log) -> dict[str, int]:
    User = get_user_model()
    official = User.objects.filter(username="official").first()
    firm_user = User.objects.filter(username="firm").first()
    counts = {"example demands created": 0, "example proposals created": 0}
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
                demand, [firms[m.id] for m in plan.consortia[0].members])
    return counts
