"""Pilots API over Django's test client with Bearer tokens (real auth, real database)."""

import pytest

from seoulhub.accounts.models import ApiToken
from seoulhub.core import clock
from seoulhub.pilots import lifecycle as lc
from seoulhub.pilots.models import AuditEntry, Proposal

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


def post(client, path, body, user):
    return client.post(path, body, content_type="application/json", **bearer(user))


DEMAND = {
    "title": "스마트 횡단보도",
    "problem": "야간 보행자 사고를 줄이기",
    "technologies": ["computer-vision", "iot"],
    "criteria": [{"name": "기술성", "weight": 70}, {"name": "비용", "weight": 30}],
    "is_example": True,
    "district": "11680",
}


def test_official_posts_a_demand_and_gets_consortia(client, official, make_firm):
    make_firm("Vision", "computer-vision")
    make_firm("Sensors", "iot")
    make_firm("Both", "computer-vision", "iot")
    response = post(client, "/api/v1/demands", DEMAND, official)
    assert response.status_code == 201, response.content
    demand = response.json()
    assert demand["technologies"] == ["computer-vision", "iot"] and demand["district"] == "11680"
    assert demand["is_open"] and [c["weight"] for c in demand["criteria"]] == [70, 30]
    body = client.get(f"/api/v1/demands/{demand['id']}/consortia").json()
    assert body["count"] == 2
    first, second = body["items"]
    assert [m["name"] for m in first["members"]] == ["Both"] and first["method"] == "exact"
    assert sorted(m["name"] for m in second["members"]) == ["Sensors", "Vision"]
    assert set(second["assignment"]) == {"computer-vision", "iot"}
    ranked = client.get(f"/api/v1/demands/{demand['id']}/firms").json()["items"]
    assert ranked[0]["firm"]["name"] == "Both" and ranked[0]["missing"] == []
    assert client.get("/api/v1/demands").json()["count"] == 1


def test_firm_members_cannot_post_demands_and_get_a_message(client, firm_member):
    response = post(client, "/api/v1/demands", DEMAND, firm_member)
    assert response.status_code == 403 and "officials" in response.json()["message"]


def test_anonymous_writes_are_refused_with_401(client):
    response = client.post("/api/v1/demands", DEMAND, content_type="application/json")
    assert response.status_code == 401


def test_unknown_technology_is_named_in_a_422(client, official):
    response = post(client, "/api/v1/demands", {**DEMAND, "technologies": ["telepathy"]}, official)
    assert response.status_code == 422 and "telepathy" in response.json()["message"]


def test_close_before_open_is_a_422_with_the_field(client, official):
    response = post(
        client, "/api/v1/demands", {**DEMAND, "opens_on": "2026-05-01", "closes_on": "2026-04-01"}, official
    )
    assert response.status_code == 422 and "closes_on" in response.json()["message"]


def test_proposal_lifecycle_over_the_api(client, demand, member_firm, firm_member, official):
    created = post(
        client,
        "/api/v1/proposals",
        {"demand": demand.pk, "lead_firm": member_firm.pk, "title": "API", "summary": "s"},
        firm_member,
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["allowed_next"] == ["submitted", "withdrawn"]
    assert post(client, f"/api/v1/proposals/{pid}/transitions", {"to": "submitted"}, firm_member).status_code == 200
    refused = post(client, f"/api/v1/proposals/{pid}/transitions", {"to": "selected"}, official)
    assert refused.status_code == 409 and "(submitted) to selected" in refused.json()["message"]
    forbidden = post(client, f"/api/v1/proposals/{pid}/transitions", {"to": "under_review"}, firm_member)
    assert forbidden.status_code == 403 and "owner or operator" in forbidden.json()["message"]
    assert post(client, f"/api/v1/proposals/{pid}/transitions", {"to": "under_review"}, official).status_code == 200
    assert post(client, f"/api/v1/proposals/{pid}/conflicts", {"has_conflict": False}, official).status_code == 201
    scores = {str(c.pk): 3 for c in demand.criteria.all()}
    review = post(client, f"/api/v1/proposals/{pid}/reviews", {"scores": scores, "comment": "ok"}, official)
    assert review.status_code == 201 and review.json()["total"] == 60.0
    assert post(client, f"/api/v1/proposals/{pid}/transitions", {"to": "selected"}, official).status_code == 200
    milestone = post(client, f"/api/v1/proposals/{pid}/milestones", {"title": "m", "due_on": "2026-12-01"}, official)
    assert milestone.status_code == 201
    kpi = post(client, f"/api/v1/proposals/{pid}/kpis", {"name": "k", "target": 5}, official).json()
    assert post(client, f"/api/v1/proposals/{pid}/transitions", {"to": "running"}, official).status_code == 200
    actual = client.put(
        f"/api/v1/proposals/{pid}/kpis/{kpi['id']}/actual",
        {"actual": 7},
        content_type="application/json",
        **bearer(official),
    )
    assert actual.json()["met"] is True
    still_open = post(
        client, f"/api/v1/proposals/{pid}/transitions", {"to": "evaluated", "outcome": "success"}, official
    )
    assert still_open.status_code == 409 and "open milestone" in still_open.json()["message"]
    marked = client.put(
        f"/api/v1/proposals/{pid}/milestones/{milestone.json()['id']}/done",
        {"done_on": clock.today().isoformat()},
        content_type="application/json",
        **bearer(official),
    )
    assert marked.status_code == 200 and marked.json()["done_on"] == clock.today().isoformat()
    done = post(client, f"/api/v1/proposals/{pid}/transitions", {"to": "evaluated", "outcome": "success"}, official)
    assert done.json()["state"] == lc.EVALUATED and done.json()["outcome"] == "success"
    audit = client.get(f"/api/v1/proposals/{pid}/audit").json()  # a pilot now: public
    assert [e["to_state"] for e in audit["items"]] == [
        "draft",
        "submitted",
        "under_review",
        "selected",
        "running",
        "evaluated",
    ]
    assert AuditEntry.objects.filter(proposal_id=pid).count() == 6


def test_reviews_are_hidden_from_firms_and_drafts_from_the_public(client, proposal, firm_member):
    assert client.get(f"/api/v1/proposals/{proposal.pk}").status_code == 404
    assert client.get("/api/v1/proposals").json()["count"] == 0
    response = client.get(f"/api/v1/proposals/{proposal.pk}/reviews", **bearer(firm_member))
    assert response.status_code == 403


def test_a_firm_learns_which_demands_it_can_answer_with_whom(client, demand, make_firm):
    drones = make_firm("Drones Co", "drones")
    make_firm("Vision Co", "computer-vision")
    items = client.get(f"/api/v1/pilots/firms/{drones.pk}/demands").json()["items"]
    assert items[0]["demand"] == demand.pk and not items[0]["alone"]
    assert [p["name"] for p in items[0]["partners"]] == ["Vision Co"]


def test_analytics_counts_only_real_pilots_unless_asked(client, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(state=lc.RUNNING)
    assert client.get("/api/v1/pilots/analytics").json()["pilot_count"] == 0
    with_examples = client.get("/api/v1/pilots/analytics", {"examples": True}).json()
    assert with_examples["pilot_count"] == 1
    assert with_examples["pairs"][0]["together"] == 1


def test_an_open_call_needs_no_consortium_and_every_firm_may_answer_it_alone(client, official, make_firm):
    firm = make_firm("Anything Co", "fintech")
    body = {**DEMAND, "kind": "open_call", "technologies": [], "title": "자유공모"}
    demand = post(client, "/api/v1/demands", body, official).json()
    assert demand["kind"] == "open_call" and demand["technologies"] == []
    assert client.get(f"/api/v1/demands/{demand['id']}/consortia").json() == {"count": 0, "items": []}
    assert client.get(f"/api/v1/demands/{demand['id']}/firms").json()["count"] == 0
    fits = client.get(f"/api/v1/pilots/firms/{firm.pk}/demands").json()["items"]
    assert [(f["demand"], f["alone"]) for f in fits] == [(demand["id"], True)]


@pytest.mark.parametrize("path", ["/api/v1/demands?open_only=false", "/api/v1/proposals"])
def test_an_offset_beyond_what_a_database_takes_is_a_422_not_a_crash(client, path):
    response = client.get(path + ("&" if "?" in path else "?") + "offset=1319902264573368875981209600")
    assert response.status_code == 422 and "offset" in response.json()["message"]


def test_nul_characters_and_huge_ids_are_refused_with_422(client, official):
    response = post(client, "/api/v1/demands", {**DEMAND, "title": "a\x00b"}, official)
    assert response.status_code == 422 and "NUL" in response.json()["message"]
    assert client.get("/api/v1/demands", {"q": "x\x00"}).status_code == 422
    assert client.get(f"/api/v1/demands/{2**70}").status_code == 422
    assert client.get("/api/v1/proposals", {"firm": 2**70}).status_code == 422


def test_members_describe_solutions_and_references_that_then_rank_their_firm_higher(
    client, demand, member_firm, firm_member, make_firm
):
    rival = make_firm("Rival", "computer-vision", "drones")
    base = f"/api/v1/pilots/firms/{member_firm.pk}"
    outsider = post(
        client, f"/api/v1/pilots/firms/{rival.pk}/solutions", {"title": "x", "technologies": ["drones"]}, firm_member
    )
    assert outsider.status_code == 403
    solution = post(
        client, f"{base}/solutions", {"title": "드론 점검", "technologies": ["drones"], "trl": 7}, firm_member
    )
    assert solution.status_code == 201 and solution.json()["trl"] == 7
    reference = post(
        client,
        f"{base}/references",
        {
            "title": "교량 점검 2024",
            "client": "예시 발주처",
            "year": 2024,
            "technologies": ["drones", "computer-vision"],
        },
        firm_member,
    )
    assert reference.status_code == 201
    assert client.get(f"{base}/references").json()["count"] == 1
    ranked = client.get(f"/api/v1/demands/{demand.pk}/firms").json()["items"]
    assert ranked[0]["firm"]["name"] == member_firm.name_ko
    assert {r["code"] for r in ranked[0]["reasons"]} == {"covers", "references", "trl"}
