"""The definition in the database, the demo content and the home card."""

import pytest

from seoulhub.observatory import demo
from seoulhub.observatory.models import KPI, DigitalSector, DigitalSectorCode, Policy, PolicyRole
from seoulhub.observatory.sectors import load_definition, rebuild_derived_codes

pytestmark = pytest.mark.django_db


def test_the_three_roles_of_the_study_ship_with_the_migrations():
    assert list(PolicyRole.objects.values_list("slug", flat=True)) == ["pre-adopter", "accelerator", "synthesizer"]
    assert all("서울시 디지털산업 육성방안" in role.description_ko for role in PolicyRole.objects.all())


def test_loading_the_definition_twice_changes_nothing():
    first = load_definition()
    codes = sorted(DigitalSectorCode.objects.values_list("revision", "code", "derived"))
    assert first["sectors created"] == 6 and ("9", "26", True) in codes
    assert load_definition() == {"sectors created": 0, "codes created": 0, "rev. 9 codes derived": 0}
    assert sorted(DigitalSectorCode.objects.values_list("revision", "code", "derived")) == codes


def test_rev9_codes_follow_an_edit_of_the_rev10_codes():
    load_definition()
    telecom = DigitalSector.objects.get(slug="telecommunications")
    DigitalSectorCode.objects.create(sector=telecom, revision="10", code="611")
    rebuild_derived_codes()
    assert sorted(telecom.prefixes("9")) == ["61"]
    DigitalSectorCode.objects.filter(sector=telecom, revision="10", code="611").delete()
    rebuild_derived_codes()
    assert telecom.prefixes("9") == ["612"]


def test_operator_edits_a_sector_in_the_admin_and_rev9_is_rebuilt(client, operator):
    load_definition()
    client.force_login(operator)
    sector = DigitalSector.objects.get(slug="software")
    codes = list(sector.codes.order_by("pk"))
    data = {
        "slug": "software",
        "name_ko": sector.name_ko,
        "name_en": sector.name_en,
        "note": "",
        "order": 2,
        "active": "on",
        "codes-TOTAL_FORMS": str(len(codes) + 1),
        "codes-INITIAL_FORMS": str(len(codes)),
        "codes-MIN_NUM_FORMS": "0",
        "codes-MAX_NUM_FORMS": "1000",
    }
    for i, code in enumerate(codes):
        data.update(
            {
                f"codes-{i}-id": code.pk,
                f"codes-{i}-sector": sector.pk,
                f"codes-{i}-revision": code.revision,
                f"codes-{i}-code": code.code,
            }
        )
    data.update(
        {
            f"codes-{len(codes)}-revision": "10",
            f"codes-{len(codes)}-code": "5811",
            f"codes-{len(codes)}-sector": sector.pk,
        }
    )
    response = client.post(f"/admin/observatory/digitalsector/{sector.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "5811" in sector.prefixes("10")
    assert any(code.startswith("5811") for code in sector.prefixes("9"))


def test_a_code_overlapping_another_sector_is_refused():
    from django.core.exceptions import ValidationError

    load_definition()
    software = DigitalSector.objects.get(slug="software")
    with pytest.raises(ValidationError, match="overlaps|겹칩니다"):
        DigitalSectorCode(sector=software, revision="10", code="58").full_clean()


def test_demo_enters_documented_policies_with_their_sources_only():
    counts = demo.load(lambda line: None)
    # 3 documented plans, and 4 programmes of the sourced KPI facts (data/seoul-innovation-facts)
    assert counts["policies created"] == 7
    for policy in Policy.objects.all():
        assert policy.source.strip()
    testbed = Policy.objects.get(title_ko="테스트베드 서울")
    assert testbed.role.slug == "synthesizer" and testbed.budget_krw == 8_000_000_000
    assert set(testbed.kpis.exclude(computation="").values_list("computation", flat=True)) == {
        "pilots_started",
        "certificates_issued",
    }
    plan = Policy.objects.get(title_ko="서울 디지털기본계획 2020")
    assert plan.role is None and plan.budget_krw == 460_500_000_000
    # Targets only: no achieved value is entered for the 2020 plan.
    assert not plan.kpis.exclude(value=None).exists() and plan.kpis.filter(target=30).exists()
    # What the Korean pages show beside the figures is Korean, and a budget note does not repeat the amount.
    assert plan.budget_note == "(5년간 합계)"
    assert not KPI.objects.filter(note__contains="not in excerpt").exists()
    assert KPI.objects.filter(note__contains="발췌문에 없음").count() == 2
    assert KPI.objects.filter(role__slug="pre-adopter", computation="active_sources").exists()
    again = demo.load(lambda line: None)
    assert again["policies created"] == 0 and again["KPIs created"] == 0


def test_home_page_shows_the_observatory_card(client):
    demo.load(lambda line: None)
    html = client.get("/").content.decode()
    assert "포트폴리오의 정책:" in html and '/observatory/policies/">7</a>' in html
