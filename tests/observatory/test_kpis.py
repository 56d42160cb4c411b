"""Live KPIs counted from real rows of the other apps."""

import datetime

import pytest
from django.utils import timezone, translation

from seoulhub.observatory.kpis import REGISTRY, compute, start_of_week
from seoulhub.observatory.models import KPI, Policy, PolicyRole
from seoulhub.observatory.portfolio import evaluate

pytestmark = pytest.mark.django_db


def test_every_registered_computation_runs_on_an_empty_platform():
    for name in REGISTRY:
        result = compute(name)
        assert result.value == 0, (name, result.note)


def test_unknown_computation_says_so_instead_of_a_number():
    result = compute("no_such_thing")
    assert result.value is None and "unknown" in result.note


def test_firms_and_open_programmes_are_counted(make_user):
    from seoulhub.support.models import Firm, Programme

    Firm.objects.create(name_ko="가나소프트")
    Firm.objects.create(name_ko="다라시스템")
    today = timezone.localdate()
    open_programme = Programme.objects.create(
        title="open", opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=3)
    )
    Programme.objects.create(
        title="closed", opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=1)
    )
    assert compute("firms_registered").value == 2
    assert compute("programmes_open").value == 1
    # No rule could be read from the open programme: its conditions are unknown, nobody is matched.
    assert compute("firms_with_matched_programme").value == 0
    # Open to firms anywhere in the country: both firms are eligible for it.
    open_programme.rules.create(kind="region", params={"nationwide": True}, source_text="전국")
    assert compute("firms_with_matched_programme").value == 2


def test_no_firm_is_matched_when_every_programme_is_closed():
    from seoulhub.support.models import Firm, Programme

    Firm.objects.create(name_ko="가나소프트")
    Programme.objects.create(title="closed", closes_on=timezone.localdate() - datetime.timedelta(days=1))
    assert compute("firms_with_matched_programme").value == 0


def test_active_sources_need_a_recent_success_and_no_pause():
    from seoulhub.radar.models import Source

    now = timezone.now()
    Source.objects.create(
        name="fresh", url="https://example.org/a.xml", last_success_at=now - datetime.timedelta(days=1)
    )
    Source.objects.create(
        name="stale", url="https://example.org/b.xml", last_success_at=now - datetime.timedelta(days=9)
    )
    Source.objects.create(name="paused", url="https://example.org/c.xml", last_success_at=now, paused_at=now)
    Source.objects.create(name="off", url="https://example.org/d.xml", last_success_at=now, active=False)
    assert compute("active_sources").value == 1


def test_items_delivered_this_week_sum_digest_article_counts(make_user):
    from seoulhub.alerts.models import Delivery, Subscription

    now = timezone.now()
    monday = start_of_week(now)
    for i, (sent, count) in enumerate(
        [(monday + datetime.timedelta(minutes=1), 7), (now, 5), (monday - datetime.timedelta(days=1), 100)]
    ):
        subscription = Subscription.objects.create(user=make_user(f"reader{i}"))
        Delivery.objects.create(
            subscription=subscription,
            channel="email",
            frequency="weekly",
            period=f"p{i}",
            since=sent - datetime.timedelta(days=7),
            until=sent,
            item_count=count,
            status="sent",
            sent_at=sent,
        )
    Delivery.objects.create(
        subscription=subscription,
        channel="webhook",
        frequency="weekly",
        period="p9",
        since=now,
        until=now,
        item_count=50,
        status="pending",
    )  # not sent: not counted
    assert compute("items_delivered_this_week", now).value == 12


def test_pilots_started_and_certificates_count_real_pilots_only(official):
    from seoulhub.pilots.models import AuditEntry, Demand, Proposal
    from seoulhub.support.models import Firm

    firm = Firm.objects.create(name_ko="가나드론")
    demand = Demand.objects.create(title="교량 점검", problem="교량 하부 점검")
    today = timezone.localdate()
    real = Proposal.objects.create(
        demand=demand,
        lead_firm=firm,
        title="드론 점검",
        summary="s",
        state="certified",
        certificate_number="TS-2026-001",
        certificate_issued_on=today,
    )
    example = Proposal.objects.create(
        demand=demand, lead_firm=firm, title="예시", summary="s", state="running", is_example=True
    )
    for proposal in (real, example):
        AuditEntry.objects.create(
            proposal=proposal,
            actor=official,
            actor_name="official",
            capacity="owner",
            from_state="selected",
            to_state="running",
        )
    assert compute("pilots_started").value == 1
    assert compute("certificates_issued").value == 1
    assert compute("certificates_issued", timezone.now() - datetime.timedelta(days=2)).value == 0


@translation.override("en")
def test_a_live_kpi_is_evaluated_and_a_manual_one_keeps_its_source():
    role = PolicyRole.objects.get(slug="accelerator")
    live = KPI.objects.create(role=role, name_ko="등록 기업", computation="firms_registered")
    policy = Policy.objects.create(title_ko="정책", source="출처 A")
    manual = KPI.objects.create(policy=policy, name_ko="목표", target=30, source="출처 A")
    assert evaluate(live).live and evaluate(live).value == 0 and "registry" in evaluate(live).source
    row = evaluate(manual)
    assert not row.live and row.value is None and row.note == "no value reported" and row.source == "출처 A"


@translation.override("en")
def test_kpi_validation_refuses_unknown_computations_and_unsourced_values():
    from django.core.exceptions import ValidationError

    role = PolicyRole.objects.get(slug="synthesizer")
    with pytest.raises(ValidationError, match="unknown computation"):
        KPI(role=role, name_ko="x", computation="made_up").full_clean()
    with pytest.raises(ValidationError, match="comes from"):
        KPI(role=role, name_ko="x", value=3).full_clean()
    with pytest.raises(ValidationError):
        KPI(name_ko="orphan").full_clean()


def test_a_failing_computation_is_reported_not_raised(monkeypatch):
    from seoulhub.observatory import kpis

    def broken(now):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(kpis.REGISTRY, "broken", kpis.Computation("broken", "b", "", "", "accelerator", broken))
    result = compute("broken")
    assert result.value is None and "ZeroDivisionError" in result.note
