"""The observatory's API endpoints."""

import pytest

from seoulhub.observatory.models import KPI, Policy, PolicyRole
from seoulhub.observatory.sectors import load_definition

pytestmark = pytest.mark.django_db


def test_district_profile_by_either_code_or_name(client):
    load_definition()
    for code in ("11680", "강남구"):
        body = client.get(f"/api/v1/districts/{code}/profile").json()
        assert body["adm_code"] == "11680" and body["kostat_code"] == "11230"
        assert {row["sector"] for row in body["sectors"]} >= {"digital", "digital:software"}
    # A KOSTAT code works where no administrative code has the same number (11250 = 강동구) ...
    assert client.get("/api/v1/districts/11250/profile").json()["name_ko"] == "강동구"
    # ... and where both schemes use it, the administrative code wins (11230 = 동대문구, not 강남구).
    assert client.get("/api/v1/districts/11230/profile").json()["name_ko"] == "동대문구"


def test_unknown_district_gets_a_message(client):
    response = client.get("/api/v1/districts/00000/profile")
    assert response.status_code == 404 and "11680" in response.json()["message"]
    bad = client.get("/api/v1/districts/11680/profile?source=guess")
    assert bad.status_code == 422 and "registry" in bad.json()["message"]


def test_policies_list_with_kpis_and_role_filter(client):
    role = PolicyRole.objects.get(slug="synthesizer")
    policy = Policy.objects.create(title_ko="테스트베드 서울", role=role, source="출처", budget_krw=8_000_000_000)
    KPI.objects.create(policy=policy, name_ko="실증 착수", computation="pilots_started")
    Policy.objects.create(title_ko="서울 디지털기본계획 2020", source="출처")
    body = client.get("/api/v1/policies").json()
    assert body["count"] == 2
    testbed = next(p for p in body["items"] if p["title_ko"] == "테스트베드 서울")
    assert testbed["role"] == "synthesizer" and testbed["kpis"][0]["live"] and testbed["kpis"][0]["value"] == 0
    assert client.get("/api/v1/policies?role=synthesizer").json()["count"] == 1


def test_sectors_and_computations_are_listed(client):
    load_definition()
    sectors = client.get("/api/v1/digital-sectors").json()
    software = next(s for s in sectors["items"] if s["slug"] == "software")
    assert software["ksic10"] == ["582"] and software["ksic9"] == ["582"]
    computations = client.get("/api/v1/kpi-computations").json()
    assert {"pilots_started", "active_sources", "firms_with_matched_programme"} <= {
        c["name"] for c in computations["items"]
    }
