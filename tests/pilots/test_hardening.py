"""Pilot pages given hostile input, a draft's proposal form, and what the public sees of the audit
log (issue 21, items 2, 12 and 13)."""

import json

import pytest
from django.urls import reverse

from seoulhub.pilots import lifecycle as lc
from seoulhub.pilots import services
from seoulhub.pilots.models import Demand, Kpi

pytestmark = pytest.mark.django_db


def test_the_proposal_form_of_a_draft_demand_is_404_for_a_firm_as_its_page_is(client, demand, member_firm, firm_member):
    Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.DRAFT)
    client.force_login(firm_member)
    for url in (reverse("pilots:demand_detail", args=[demand.pk]), reverse("pilots:proposal_create", args=[demand.pk])):
        response = client.get(url)
        assert response.status_code == 404, url
        assert demand.title not in response.content.decode()
    assert client.get(f"/api/v1/demands/{demand.pk}").status_code == 404


@pytest.mark.parametrize("partners", ["²", "99999999999999999999", "1,²", "abc"])
def test_a_partner_suggestion_that_is_not_an_id_is_dropped(client, demand, member_firm, firm_member, partners):
    client.force_login(firm_member)
    response = client.get(reverse("pilots:proposal_create", args=[demand.pk]), {"partners": partners})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_a_partner_that_is_not_an_id_is_an_invalid_choice_not_a_crash(client, demand, member_firm, firm_member, value):
    client.force_login(firm_member)
    response = client.post(
        reverse("pilots:proposal_create", args=[demand.pk]),
        {"lead_firm": member_firm.pk, "partners": [value], "title": "제안", "summary": "요약"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not demand.proposals.filter(title="제안").exists()


def _selected(proposal, firm_member, official):
    services.transition(proposal.pk, lc.SUBMITTED, firm_member, note="내부 메모: 가격은 협의 가능")
    services.transition(proposal.pk, lc.UNDER_REVIEW, official, note="심사위원 배정: 김심사")
    services.declare_conflict(proposal, official, False)
    services.submit_review(proposal, official, {c.pk: 4 for c in proposal.demand.criteria.all()})
    services.transition(proposal.pk, lc.SELECTED, official, note="경쟁 제안보다 가격이 낮음")


@pytest.mark.parametrize("kpi_id", ["²", "99999999999999999999", "", "x"])
def test_a_kpi_actual_for_a_kpi_id_that_is_not_an_id_is_refused(client, proposal, firm_member, official, kpi_id):
    _selected(proposal, firm_member, official)
    kpi = Kpi.objects.create(proposal=proposal, name="탐지율", unit="%", target=90)
    client.force_login(official)
    response = client.post(
        reverse("pilots:pilot_plan", args=[proposal.pk]), {"kpi_id": kpi_id, "actual": "80"}, follow=True
    )
    assert response.status_code == 200
    kpi.refresh_from_db()
    assert kpi.actual is None


def test_the_public_sees_the_audit_steps_without_names_or_notes(client, proposal, firm_member, official):
    _selected(proposal, firm_member, official)
    page = client.get(proposal.get_absolute_url()).content.decode()
    audit = page.split('id="audit-heading"')[1]
    for secret in ("내부 메모", "김심사", "경쟁 제안보다", firm_member.username, official.username):
        assert secret not in audit, secret
    assert audit.count("<tr>") == 1 + 4  # header and every step: the process stays visible
    entries = client.get(f"/api/v1/proposals/{proposal.pk}/audit").json()["items"]
    assert [e["to_state"] for e in entries] == [lc.DRAFT, lc.SUBMITTED, lc.UNDER_REVIEW, lc.SELECTED]
    assert {e["actor"] for e in entries} == {""} and {e["note"] for e in entries} == {""}
    assert all(e["capacity"] for e in entries)


def test_the_city_and_the_proposing_firm_see_names_and_notes(client, proposal, firm_member, official):
    _selected(proposal, firm_member, official)
    for user in (official, firm_member):
        client.force_login(user)
        audit = client.get(proposal.get_absolute_url()).content.decode().split('id="audit-heading"')[1]
        assert "경쟁 제안보다 가격이 낮음" in audit and official.username in audit
        entries = client.get(f"/api/v1/proposals/{proposal.pk}/audit").json()["items"]
        assert "심사위원 배정: 김심사" in json.dumps([e["note"] for e in entries], ensure_ascii=False)
