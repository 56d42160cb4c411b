"""Sourced KPI facts in the portfolio, live KPIs on the hub's clock with examples excluded, and
the monthly report's map, charts and month-on-month change."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from seoulhub.core import clock
from seoulhub.observatory import demo
from seoulhub.observatory.kpis import compute
from seoulhub.observatory.models import KPI, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(db):
    return demo.load(lambda line: None)


def test_the_38_facts_are_entered_with_source_link_and_as_of(facts):
    assert facts["KPI facts created"] == 38 and facts["policies created"] == 3 + 4
    entered = KPI.objects.exclude(source_url="")
    assert entered.count() == 38
    assert all(k.source_url.startswith("http") and k.source and (k.value_as_of or k.as_of_text) for k in entered)
    # a stated target is a target, not an achievement
    plan = entered.get(name_en="planned investment (2023 target)")
    assert (
        plan.value is None
        and plan.target == Decimal(1500)
        and plan.unit == "억원"
        and plan.policy.title_ko == "테스트베드 서울"
    )
    two_values = entered.get(name_en="revenue / investment of residents (2018)")
    assert two_values.value is None and two_values.value_text == "33 / 51"
    month_only = entered.get(name_en="pilot sites (cumulative) (2018-2020)")
    assert month_only.value == 107 and month_only.value_as_of is None and month_only.as_of_text == "2021-02"
    roles = dict(Policy.objects.filter(kpis__in=entered).values_list("title_ko", "role__slug").distinct())
    assert roles == {
        "테스트베드 서울": "synthesizer",
        "서울 AI 전략 (AI SEOUL 2025)": "synthesizer",
        "AI 양재 허브 (서울 AI 허브)": "accelerator",
        "서울핀테크랩": "accelerator",
        "서울창업허브": "accelerator",
    }
    assert demo.load_kpi_facts(lambda line: None) == {"KPI facts created": 0, "policies created": 0}


def test_the_policy_page_links_every_fact_to_its_source(client, facts):
    html = client.get("/observatory/policies/").content.decode()
    assert 'href="https://news.seoul.go.kr/economy/archives/566330"' in html
    assert "선정 과제 (누적) (2018-2024)" in html and "206 건" in html and "(기준 2025-04-07)" in html
    assert "33 / 51 억원" in html and "(기준 2021-02)" in html
    assert 'id="role-accelerator"' in html and "서울핀테크랩" in html
    api = client.get("/api/v1/policies?role=accelerator&limit=50").json()["items"]
    fintech = next(p for p in api if p["title_ko"] == "서울핀테크랩")
    assert all(k["source_url"].startswith("http") for k in fintech["kpis"])


def test_kpis_count_records_of_today_on_the_demo_date():
    from seoulhub.support.models import Firm

    Firm.objects.create(name_ko="가나소프트")
    clock.set_reference_date(timezone.localdate() - datetime.timedelta(days=120))
    try:
        # recorded today, which the demo presents as its reference date
        assert compute("firms_registered").value == 1
        assert compute("firms_registered", clock.now() - datetime.timedelta(days=1)).value == 0
    finally:
        clock.set_reference_date(None)


def test_pilots_of_example_demands_never_count(official):
    from seoulhub.pilots.models import AuditEntry, Demand, Proposal
    from seoulhub.support.models import Firm

    firm = Firm.objects.create(name_ko="가나드론")
    example_demand = Demand.objects.create(title="예시 수요", problem="예시", is_example=True)
    proposal = Proposal.objects.create(
        demand=example_demand,
        lead_firm=firm,
        title="드론",
        summary="s",
        state="certified",
        certificate_number="TS-1",
        certificate_issued_on=timezone.localdate(),
    )
    AuditEntry.objects.create(
        proposal=proposal,
        actor=official,
        actor_name="official",
        capacity="owner",
        from_state="selected",
        to_state="running",
    )
    assert compute("pilots_started").value == 0 and compute("certificates_issued").value == 0


def test_the_monthly_report_has_map_charts_and_month_on_month_change(client, official):
    from seoulhub.support.models import Firm

    demo.load(lambda line: None)
    today = clock.today()
    first = today.replace(day=1)
    last_month = timezone.make_aware(datetime.datetime.combine(first - datetime.timedelta(days=3), datetime.time(12)))
    older = Firm.objects.create(name_ko="지난달 기업")
    Firm.objects.filter(pk=older.pk).update(created_at=last_month)
    Firm.objects.create(name_ko="이번달 기업 1")
    Firm.objects.create(name_ko="이번달 기업 2")
    client.force_login(official)
    response = client.get("/observatory/report/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="month-on-month"' in html and "전월 대비 변화" in html
    assert 'id="report-map"' in html and 'id="report-top"' in html and 'id="report-kpis"' in html
    assert "vendor/plotly/plotly.min.js" in html
    changes = {row["name"]: row for row in response.context["changes"]}
    assert (
        changes["firms_registered"]["previous"],
        changes["firms_registered"]["value"],
        changes["firms_registered"]["change"],
    ) == (1, 3, 2)
    assert "+2" in html and "2024년 기준" in html
    previous = client.get(f"/observatory/report/{(first - datetime.timedelta(days=1)):%Y-%m}/")
    assert {r["name"]: r for r in previous.context["changes"]}["firms_registered"]["value"] == 1
