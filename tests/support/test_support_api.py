"""The support API on real programmes: catalogue filters, recommendations with verdicts, operator view."""

import datetime

import pytest

from seoulhub.accounts.models import ApiToken
from seoulhub.support.models import EligibilityRule, Programme
from seoulhub.taxonomy.models import Technology

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_ai_programme(db):
    """An example programme open today (labelled as an example), tagged AI, for Seoul firms up to 7 years old."""
    today = datetime.date.today()
    programme = Programme.objects.create(
        title="[예시] 서울 AI 실증 지원",
        agency="예시 기관",
        kind="platform",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
    )
    programme.technologies.add(Technology.objects.get(slug="ai"))
    EligibilityRule.objects.create(programme=programme, kind="region", params={"regions": ["서울"]})
    EligibilityRule.objects.create(programme=programme, kind="age_max", params={"max": 7}, source_text="창업 7년 이내")
    return programme


def test_open_filter_keeps_only_programmes_taking_applications_today(client, programmes, open_ai_programme):
    body = client.get("/api/v1/programmes", {"open": "true", "limit": 200}).json()
    assert [item["id"] for item in body["items"]] == [open_ai_programme.pk]
    assert body["items"][0]["status"] == "open"
    closed = client.get("/api/v1/programmes", {"open": "false", "limit": 200}).json()
    assert closed["count"] == 120  # every real 2020-21 announcement: closed, stale or undated
    statuses = {item["status"] for item in closed["items"]}
    assert statuses <= {"closed", "stale", "unknown"} and "closed" in statuses


def test_tech_filter_and_bad_kind_message(client, programmes, open_ai_programme):
    body = client.get("/api/v1/programmes", {"open": "true", "tech": "ai"}).json()
    assert body["count"] == 1
    assert client.get("/api/v1/programmes", {"tech": "quantum"}).json()["count"] == 0
    bad = client.get("/api/v1/programmes", {"kind": "gift"})
    assert bad.status_code == 422 and "gift" in bad.json()["message"]


def test_programme_detail_carries_its_rules_and_source(client, programmes):
    real = Programme.objects.filter(rules__kind="age_max").first()
    body = client.get(f"/api/v1/programmes/{real.pk}").json()
    assert body["source"] == "bizinfo" and body["source_id"].startswith("PBLN_")
    assert any(r["kind"] == "age_max" for r in body["rules"])


def test_recommendations_rank_the_open_fitting_programme_with_verdicts_in_words(
    client, programmes, open_ai_programme, make_firm
):
    firm = make_firm("예시 AI 기업", founded_on=datetime.date.today() - datetime.timedelta(days=3 * 366))
    firm.technologies.add(Technology.objects.get(slug="computer-vision"))
    body = client.get(f"/api/v1/firms/{firm.pk}/recommendations").json()
    assert body["count"] == 1
    top = body["items"][0]
    assert top["programme"]["id"] == open_ai_programme.pk and top["status"] == "eligible"
    assert top["shared_technologies"] == ["ai"] and top["tech_fit"] == 1.0
    assert [v["text_ko"] for v in top["verdicts"]] == ["소재지 서울 ∈ 서울 ✓", "설립 3년 ≤ 7년 ✓"]
    explored = client.get(f"/api/v1/firms/{firm.pk}/recommendations", {"include_closed": "true", "limit": 200}).json()
    assert explored["count"] > 1
    assert {item["status"] for item in explored["items"]} <= {"eligible", "needs_check"}


def test_recommendations_follow_edits_to_the_firm(client, open_ai_programme, make_firm):
    firm = make_firm("예시 오래된 기업", founded_on=datetime.date(2000, 1, 1))
    assert client.get(f"/api/v1/firms/{firm.pk}/recommendations").json()["count"] == 0
    firm.founded_on = datetime.date.today() - datetime.timedelta(days=400)
    firm.save()
    assert client.get(f"/api/v1/firms/{firm.pk}/recommendations").json()["count"] == 1


def test_eligible_firms_is_for_operators_only(client, open_ai_programme, make_firm, operator, firm_member):
    young = make_firm("예시 신생기업", founded_on=datetime.date.today() - datetime.timedelta(days=400))
    make_firm("예시 노포기업", brn="1111111119", founded_on=datetime.date(1990, 1, 1))
    unknown_age = make_firm("예시 미상기업", brn="1234567891")
    url = f"/api/v1/programmes/{open_ai_programme.pk}/eligible-firms"
    assert client.get(url).status_code == 401
    _t, member_token = ApiToken.issue(firm_member, "t")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {member_token}").status_code == 403
    _t, op_token = ApiToken.issue(operator, "t")
    body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {op_token}").json()
    assert [(i["firm"]["id"], i["status"]) for i in body["items"]] == [
        (young.pk, "eligible"),
        (unknown_age.pk, "needs_check"),
    ]
    assert body["items"][0]["firm"]["district"] == "마포구" and body["items"][0]["firm"]["ksic"] == "58221"
    missing = client.get("/api/v1/programmes/999999/eligible-firms", HTTP_AUTHORIZATION=f"Bearer {op_token}")
    assert missing.status_code == 404 and missing.json()["message"]


def test_firm_list_filters_by_district_and_technology(client, make_firm):
    ai = make_firm("예시 AI", district="강남구")
    ai.technologies.add(Technology.objects.get(slug="ai"))
    make_firm("예시 기타", brn="1111111119", district="마포구")
    assert [i["id"] for i in client.get("/api/v1/firms", {"district": "강남구"}).json()["items"]] == [ai.pk]
    assert [i["id"] for i in client.get("/api/v1/firms", {"tech": "ai"}).json()["items"]] == [ai.pk]
    assert client.get("/api/v1/firms/999999").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/firms", "/api/v1/programmes"])
def test_an_offset_beyond_any_database_integer_is_refused_with_a_message(client, path):
    response = client.get(path, {"offset": 64583687270390354342210999274176512})
    assert response.status_code == 422 and "offset" in response.json()["message"]
    assert client.get(path, {"offset": 10**9}).json() == {"count": 0, "items": []}
