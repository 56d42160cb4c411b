"""Firm technology tags from evidence: each tag records where it comes from (declared, inferred
from products, KSIC default) and a confidence, and matching, consortia and the landscape's
capacity weigh tags by it. Real tagger, real database."""

import datetime

import pytest

from seoulhub.matching.consortium import FirmProfile as PartnerProfile
from seoulhub.matching.consortium import propose_consortia, rank_firms
from seoulhub.matching.engine import Matcher, ProgrammeProfile
from seoulhub.support.models import FirmTechnology
from seoulhub.support.services import KSIC_DEFAULT_CONFIDENCE, build_matcher, enrich_firms
from seoulhub.support.tasks import enrich_firm
from seoulhub.taxonomy.models import Technology

pytestmark = pytest.mark.django_db


def tags(firm) -> dict[str, tuple[str, float]]:
    return {
        row.technology.slug: (row.provenance, row.confidence)
        for row in FirmTechnology.objects.filter(firm=firm).select_related("technology")
    }


def test_a_game_publisher_gets_games_from_its_products_and_ai_only_as_a_low_ksic_default(make_firm):
    firm = make_firm("예시 게임사", ksic="582", products="모바일 게임")  # 582: AI + 게임 + SW by KSIC
    assert enrich_firm.call(firm.pk) is True
    found = tags(firm)
    assert found["games"][0] == FirmTechnology.Provenance.PRODUCTS and found["games"][1] >= 0.5
    assert found["ai"] == (FirmTechnology.Provenance.KSIC, KSIC_DEFAULT_CONFIDENCE)


def test_declared_tags_survive_re_enrichment_and_inferred_ones_are_replaced(make_firm):
    firm = make_firm("예시 로봇", ksic="58221", products="협동로봇 제어 소프트웨어")
    quantum = Technology.objects.get(slug="quantum")
    firm.technologies.add(quantum)  # as the form and the API do: a person's tag is declared
    assert tags(firm)["quantum"] == (FirmTechnology.Provenance.DECLARED, 1.0)
    enrich_firms([firm])
    first = tags(firm)
    assert first["quantum"] == (FirmTechnology.Provenance.DECLARED, 1.0)
    assert first["robotics"][0] == FirmTechnology.Provenance.PRODUCTS
    firm.products = "클라우드 보안 서비스"
    firm.save()
    enrich_firms([firm])
    second = tags(firm)
    assert second["quantum"] == (FirmTechnology.Provenance.DECLARED, 1.0)
    assert "robotics" not in second and second["cloud"][0] == FirmTechnology.Provenance.PRODUCTS
    assert enrich_firms([firm]) == 1 and tags(firm) == second  # re-runs are safe


def test_matching_ranks_a_firm_with_evidence_above_a_ksic_default_only_firm():
    today = datetime.date(2026, 11, 25)
    programme = ProgrammeProfile(1, "AI voucher", (), frozenset({"ai"}), closes_on=today + datetime.timedelta(days=30))
    from seoulhub.matching.rules import FirmProfile

    ksic_only = FirmProfile(1, name="업종 기본값", technologies=frozenset({"ai"}), tech_confidence={"ai": 0.3})
    declared = FirmProfile(2, name="신고", technologies=frozenset({"ai"}), tech_confidence={"ai": 1.0})
    inferred = FirmProfile(
        3, name="제품", technologies=frozenset({"computer-vision"}), tech_confidence={"computer-vision": 0.8}
    )
    matcher = Matcher(
        [ksic_only, declared, inferred], [programme], None, None, {"ai": None, "computer-vision": "ai"}, today
    )
    ranked = matcher.for_programme(1)
    assert [m.firm_id for m in ranked] == [2, 3, 1]
    assert ranked[0].tech_fit == pytest.approx(1.0) and ranked[2].tech_fit == pytest.approx(0.3)


def test_the_database_matcher_reads_confidence(make_firm, programmes):
    from seoulhub.support.models import Programme

    ai = Technology.objects.get(slug="ai")
    ksic_only = make_firm("예시 업종만", ksic="58221")
    FirmTechnology.objects.create(firm=ksic_only, technology=ai, provenance="ksic", confidence=0.3)
    declared = make_firm("예시 신고", ksic="58221")
    declared.technologies.add(ai)
    voucher = Programme.objects.get(source_id="PBLN_000000000071235")
    voucher.technologies.set([ai])
    matcher = build_matcher()
    assert matcher.explain(declared.pk, voucher.pk).tech_fit > matcher.explain(ksic_only.pk, voucher.pk).tech_fit


def test_consortia_and_ranking_prefer_sure_tags():
    sure = PartnerProfile("sure", "신고", frozenset({"ai"}), tech_confidence={"ai": 1.0})
    default = PartnerProfile("default", "기본값", frozenset({"ai"}), tech_confidence={"ai": 0.3})
    assert [r.firm.id for r in rank_firms({"ai"}, [default, sure])] == ["sure", "default"]
    plan = propose_consortia({"ai"}, [default, sure], k=2)
    assert [c.members[0].id for c in plan.consortia] == ["sure", "default"]


def test_firm_page_and_api_show_the_provenance(client, make_firm):
    firm = make_firm("예시 게임사", ksic="582", products="모바일 게임")
    enrich_firm.call(firm.pk)
    page = client.get(firm.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "제품에서 추정" in page and "업종 기본값" in page
    data = client.get(f"/api/v1/firms/{firm.pk}").json()
    by_slug = {t["slug"]: t for t in data["technology_tags"]}
    assert by_slug["games"]["provenance"] == "products" and by_slug["ai"] == {
        "slug": "ai",
        "provenance": "ksic",
        "confidence": 0.3,
    }
