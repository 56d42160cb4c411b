"""Pilot pages through Django's test client on the real database."""

import pytest
from django.urls import reverse

from seoulhub.accounts.models import Role
from seoulhub.pilots import lifecycle as lc
from seoulhub.pilots import services
from seoulhub.pilots.models import Demand, Kpi, Milestone, Proposal

pytestmark = pytest.mark.django_db


def test_index_lists_open_demands_with_the_example_badge(client, demand):
    page = client.get(reverse("pilots:index")).content.decode()
    assert demand.title in page
    assert "예시 / Example" in page
    assert "news.seoul.go.kr/economy/archives/566330" in page


def test_official_posts_a_demand_and_sees_the_proposed_consortium(client, official, make_firm):
    make_firm("Drone Maker", "drones")
    make_firm("Vision Lab", "computer-vision")
    make_firm("Fintech Only", "fintech")
    client.force_login(official)
    form = client.get(reverse("pilots:demand_create"))
    assert form.status_code == 200
    from seoulhub.taxonomy.models import Technology

    ids = list(Technology.objects.filter(slug__in=["drones", "computer-vision"]).values_list("pk", flat=True))
    response = client.post(
        reverse("pilots:demand_create"),
        {
            "kind": "demand",
            "title": "하천 드론 점검",
            "problem": "교량 하부 점검",
            "technologies": ids,
            "criteria": "기술성: 60\n비용： 40",
            "is_example": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    demand = Demand.objects.get(title="하천 드론 점검")
    assert list(demand.criteria.values_list("name", "weight")) == [("기술성", 60), ("비용", 40)]
    assert (
        "Drone Maker" in page
        and "Vision Lab" in page
        and "Fintech Only" not in page.split('id="consortia"')[1].split("</section>")[0]
    )


def test_bad_criteria_line_is_explained_and_nothing_is_saved(client, official):
    client.force_login(official)
    response = client.post(
        reverse("pilots:demand_create"), {"kind": "demand", "title": "t", "problem": "p", "criteria": "merit sixty"}
    )
    assert response.status_code == 200
    assert "merit sixty" not in Demand.objects.values_list("title", flat=True)
    assert Demand.objects.count() == 0
    assert "Line 1" in response.content.decode() or "1번째 줄" in response.content.decode()


def test_firm_members_and_the_public_cannot_post_demands(client, firm_member):
    assert client.get(reverse("pilots:demand_create")).status_code == 302  # to sign in
    client.force_login(firm_member)
    assert client.get(reverse("pilots:demand_create")).status_code == 403


def test_draft_proposal_is_not_found_for_the_public(client, proposal):
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_firm_member_proposes_and_submits_through_the_pages(client, demand, member_firm, firm_member):
    client.force_login(firm_member)
    response = client.post(
        reverse("pilots:proposal_create", args=[demand.pk]),
        {
            "lead_firm": member_firm.pk,
            "title": "드론 비전",
            "summary": "결함 탐지",
            "requested_krw": "100000000",
        },
    )
    proposal = Proposal.objects.get(title="드론 비전")
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'value="submitted"' in page and 'value="selected"' not in page
    client.post(reverse("pilots:proposal_transition", args=[proposal.pk]), {"target": "submitted"})
    proposal.refresh_from_db()
    assert proposal.state == lc.SUBMITTED


def test_a_refused_transition_shows_the_reason_and_changes_nothing(client, proposal, firm_member):
    client.force_login(firm_member)
    response = client.post(
        reverse("pilots:proposal_transition", args=[proposal.pk]), {"target": "selected"}, follow=True
    )
    assert "(draft) to selected" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == lc.DRAFT


def test_official_declares_scores_and_selects_on_the_page(client, proposal, firm_member, official):
    services.transition(proposal.pk, lc.SUBMITTED, firm_member)
    services.transition(proposal.pk, lc.UNDER_REVIEW, official)
    client.force_login(official)
    client.post(reverse("pilots:proposal_conflict", args=[proposal.pk]), {"has_conflict": "no"})
    scores = {f"score_{c.pk}": 4 for c in proposal.demand.criteria.all()}
    client.post(reverse("pilots:proposal_review", args=[proposal.pk]), {**scores, "comment": "좋음"})
    assert proposal.reviews.get().total == 80.0
    client.post(reverse("pilots:proposal_transition", args=[proposal.pk]), {"target": "selected"})
    proposal.refresh_from_db()
    assert proposal.state == lc.SELECTED
    client.post(reverse("pilots:pilot_plan", args=[proposal.pk]), {"m-title": "설치", "m-due_on": "2026-12-01"})
    client.post(
        reverse("pilots:pilot_plan", args=[proposal.pk]),
        {"k-name": "탐지율", "k-unit": "%", "k-target": "90", "k-higher_is_better": "on"},
    )
    assert (
        Milestone.objects.filter(proposal=proposal).count() == 1 and Kpi.objects.filter(proposal=proposal).count() == 1
    )


def test_reviews_are_never_shown_to_firms_or_the_public(client, proposal, firm_member, official):
    services.transition(proposal.pk, lc.SUBMITTED, firm_member)
    services.transition(proposal.pk, lc.UNDER_REVIEW, official)
    services.declare_conflict(proposal, official, False)
    services.submit_review(
        proposal, official, {c.pk: 5 for c in proposal.demand.criteria.all()}, comment="secret reviewer comment"
    )
    services.transition(proposal.pk, lc.SELECTED, official)
    assert "secret reviewer comment" not in client.get(proposal.get_absolute_url()).content.decode()
    client.force_login(firm_member)
    assert "secret reviewer comment" not in client.get(proposal.get_absolute_url()).content.decode()
    client.force_login(official)
    assert "secret reviewer comment" in client.get(proposal.get_absolute_url()).content.decode()


def test_dashboard_shows_a_firm_the_demands_it_could_answer(client, demand, member_firm, firm_member):
    client.force_login(firm_member)
    page = client.get(reverse("pilots:dashboard")).content.decode()
    assert member_firm.name in page and demand.title in page


def test_firm_page_names_the_partner_that_completes_a_demand(client, demand, make_firm):
    drones_only = make_firm("Only Drones", "drones")
    make_firm("Only Vision", "computer-vision")
    page = client.get(reverse("pilots:firm_demands", args=[drones_only.pk])).content.decode()
    assert demand.title in page and "Only Vision" in page


def test_analytics_page_separates_examples(client, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(state=lc.RUNNING)
    real = client.get(reverse("pilots:analytics")).content.decode()
    assert 'id="proposal-count">0<' in real
    with_examples = client.get(reverse("pilots:analytics"), {"examples": "1"}).content.decode()
    assert 'id="proposal-count">1<' in with_examples
    # The zeros say why: only examples exist.
    assert 'id="no-real-proposals"' in real and 'id="no-real-proposals"' not in with_examples


def test_analytics_page_explains_its_zeros_in_korean(client, proposal, settings):
    settings.LANGUAGE_CODE = "ko"
    html = client.get(reverse("pilots:analytics")).content.decode()
    assert "허브에서 실제로 접수된 제안이 아직 없어 위 수치가 0입니다" in html


def test_home_page_shows_the_pilots_card(client, demand, settings):
    settings.LANGUAGE_CODE = "ko"
    page = client.get("/").content.decode()
    assert demand.title in page
    # The one open demand is an example: shown beside the count, never counted in it.
    assert "접수 중 수요과제 0건 (예시 1건은 세지 않음)" in page


def test_demand_page_is_korean_for_a_korean_user(client, demand, make_firm, settings):
    settings.LANGUAGE_CODE = "ko"
    make_firm("Drone Maker", "drones")
    page = client.get(demand.get_absolute_url()).content.decode()
    assert "추천 컨소시엄" in page and "평가 기준" in page


def test_the_owner_records_kpi_actuals_on_a_running_pilot_and_bad_numbers_are_refused(client, proposal, official):
    Proposal.objects.filter(pk=proposal.pk).update(state=lc.RUNNING)
    kpi = Kpi.objects.create(proposal=proposal, name="탐지율", unit="%", target=90)
    client.force_login(official)
    url = reverse("pilots:pilot_plan", args=[proposal.pk])
    client.post(url, {"kpi_id": kpi.pk, "actual": "abc"})
    kpi.refresh_from_db()
    assert kpi.actual is None
    client.post(url, {"kpi_id": kpi.pk, "actual": "93.5"})
    kpi.refresh_from_db()
    assert kpi.actual == 93.5 and kpi.met is True


def test_a_firm_member_adds_a_solution_on_the_firm_page_and_others_cannot(client, member_firm, firm_member, make_user):
    from seoulhub.taxonomy.models import Technology

    url = reverse("pilots:firm_demands", args=[member_firm.pk])
    drones = Technology.objects.get(slug="drones").pk
    outsider = make_user("outsider", Role.FIRM_MEMBER)
    client.force_login(outsider)
    assert client.post(url, {"s-title": "x", "s-technologies": [drones]}).status_code == 403
    client.force_login(firm_member)
    client.post(url, {"s-title": "드론 점검", "s-technologies": [drones], "s-trl": "6"})
    assert list(member_firm.solutions.values_list("title", "trl")) == [("드론 점검", 6)]
    assert "드론 점검" in client.get(url).content.decode()
