"""The partner picker: a search (htmx, and a plain form submit without JavaScript) that never
offers SPACs or REITs, and partner suggestions that agree on every page."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from seoulhub.pilots import views
from seoulhub.pilots.models import Demand, Proposal
from seoulhub.pilots.partners import (
    is_shell_company,
    parse_ids,
    partner_candidates,
    search_partners,
)
from seoulhub.support.models import Firm

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(make_firm):
    firms = {
        "spac": make_firm("미래에셋비전스팩10호", "ai"),
        "spac_en": make_firm("Hana SPAC 36", "ai"),
        "reit": make_firm("삼성FN리츠", "ai"),
        "reit_inside": make_firm("이리츠코크렙"),
        "meritz": make_firm("메리츠금융지주", "fintech"),
        "blitz": make_firm("블리츠웨이엔터테인먼트"),
        "drone": make_firm("미래드론㈜", "drones"),
    }
    Firm.objects.filter(pk__in=[firms["reit"].pk, firms["reit_inside"].pk]).update(
        industry_text="부동산 임대 및 공급업"
    )
    Firm.objects.filter(pk=firms["meritz"].pk).update(industry_text="기타 금융업")
    return firms


def test_spacs_and_reits_are_known_by_their_krx_names():
    assert is_shell_company("미래에셋비전스팩10호") and is_shell_company("디비금융스팩12호", "", "기타 금융업")
    assert is_shell_company("Foo", "Foo SPAC Inc.") and is_shell_company("한화리츠")
    assert is_shell_company("이리츠코크렙", "", "부동산 임대 및 공급업")
    assert not is_shell_company("메리츠금융지주", "", "기타 금융업")
    assert not is_shell_company("블리츠웨이엔터테인먼트", "", "창작 및 예술관련 서비스업")
    assert not is_shell_company("로보티즈", "", "특수 목적용 기계 제조업")


def test_the_shipped_krx_list_loses_its_shells_and_nothing_else():
    path = Path(settings.DATA_DIR, "krx", "krx_listed_companies_2026-01_utf8.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    shells = [r["회사명"] for r in rows if is_shell_company(r["회사명"], "", r["업종"])]
    assert all("스팩" in name or "리츠" in name for name in shells)
    assert sum("스팩" in name for name in shells) == sum("스팩" in r["회사명"] for r in rows)
    assert "메리츠금융지주" not in shells and "블리츠웨이엔터테인먼트" not in shells
    assert 100 <= len(shells) <= 120  # 85 SPACs and about 25 REITs of 2,781 listed firms


def test_the_database_filter_agrees_with_the_rule(registry):
    kept = set(partner_candidates().values_list("name_ko", flat=True))
    assert kept == {"메리츠금융지주", "블리츠웨이엔터테인먼트", "미래드론㈜"}
    assert [f.name_ko for f in search_partners("미래")] == ["미래드론㈜"]
    assert [f.name_ko for f in search_partners("리츠")] == ["메리츠금융지주", "블리츠웨이엔터테인먼트"]
    assert search_partners("   ") == []


def test_ids_from_the_query_string_never_crash():
    assert parse_ids(["1,2", "2", "²", "-3", "9" * 30, "４", " 7 ", "", "x"]) == [1, 2, 7]
    assert len(parse_ids([",".join(str(i) for i in range(1, 500))])) == 50


def test_the_propose_page_has_a_search_instead_of_every_firm(client, demand, member_firm, firm_member, make_firm):
    for i in range(40):
        make_firm(f"목록기업{i:02d}")
    client.force_login(firm_member)
    html = client.get(reverse("pilots:proposal_create", args=[demand.pk])).content.decode()
    assert 'name="partner_q"' in html and 'hx-get="/pilots/partners/search/"' in html
    assert "목록기업" not in html  # no list of the whole registry
    assert 'name="partner_search"' in html  # the search works without JavaScript too


def test_the_htmx_search_returns_checkboxes_and_keeps_the_ticked_ones(client, registry):
    ticked = registry["meritz"]
    response = client.get(
        reverse("pilots:partner_search"),
        {"partner_q": "미래", "partners": [str(ticked.pk), "²"]},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{ticked.pk}" checked' in html and f'value="{registry["drone"].pk}"' in html
    assert "스팩" not in html
    for hostile in ["%ED%A0%80", "x" * 5000, "%"]:  # a lone surrogate in UTF-8, too long, a stray escape
        assert client.get(reverse("pilots:partner_search") + "?partner_q=" + hostile).status_code == 200
    # A NUL is refused before any view runs, with a message (core.middleware.RejectUnstorableTextMiddleware).
    assert client.get(reverse("pilots:partner_search") + "?partner_q=%00").status_code == 400
    assert search_partners("\ud800\x00") == []


def test_searching_without_javascript_keeps_the_form_and_saves_nothing(
    client, demand, member_firm, firm_member, registry
):
    client.force_login(firm_member)
    response = client.post(
        reverse("pilots:proposal_create", args=[demand.pk]),
        {
            "lead_firm": member_firm.pk,
            "title": "교량 점검 제안",
            "summary": "드론으로 점검",
            "partner_q": "미래",
            "partner_search": "1",
            "partners": [registry["meritz"].pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and Proposal.objects.count() == 0
    assert "교량 점검 제안" in html and "드론으로 점검" in html
    assert "미래드론㈜" in html and f'value="{registry["meritz"].pk}" checked' in html
    assert "errorlist" not in html  # a search is not a failed save


def test_saving_with_a_ticked_partner_and_refusing_a_spac(client, demand, member_firm, firm_member, registry):
    client.force_login(firm_member)
    url = reverse("pilots:proposal_create", args=[demand.pk])
    refused = client.post(
        url, {"lead_firm": member_firm.pk, "title": "t", "summary": "s", "partners": [registry["spac"].pk]}
    )
    assert refused.status_code == 200 and Proposal.objects.count() == 0
    saved = client.post(
        url,
        {"lead_firm": member_firm.pk, "title": "t", "summary": "s", "save": "1", "partners": [registry["drone"].pk]},
    )
    assert saved.status_code == 302
    assert list(Proposal.objects.get().partners.values_list("name_ko", flat=True)) == ["미래드론㈜"]


def test_hostile_partner_ids_and_draft_demands_on_the_propose_page(client, demand, member_firm, firm_member):
    client.force_login(firm_member)
    url = reverse("pilots:proposal_create", args=[demand.pk])
    for value in ["²", "9" * 25, "1,²,-2"]:
        assert client.get(url, {"partners": value}).status_code == 200
    assert client.get(url, {"partners": "\x00"}).status_code == 400  # refused by the NUL middleware
    Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.DRAFT)
    draft = client.get(url)
    assert draft.status_code == 404 and demand.title not in draft.content.decode()


def test_partner_suggestions_agree_between_the_demand_page_the_propose_page_and_the_firm_page(
    client, demand, member_firm, firm_member, make_firm, monkeypatch
):
    from seoulhub.pilots import matchmaking

    member_firm.technologies.set(member_firm.technologies.filter(slug="drones"))  # brings drones only
    make_firm("비전하나", "computer-vision")
    make_firm("비전둘", "computer-vision")
    calls = []
    real = matchmaking.partner_suggestion

    def spy(d, firm):
        fit = real(d, firm)
        calls.append(((d.pk, firm.pk), [m.name for m in fit.partners.members] if fit and fit.partners else None))
        return fit

    monkeypatch.setattr(views, "partner_suggestion", spy)
    monkeypatch.setattr(matchmaking, "partner_suggestion", spy)
    client.force_login(firm_member)
    demand_page = client.get(demand.get_absolute_url()).content.decode()
    propose_page = client.get(reverse("pilots:proposal_create", args=[demand.pk])).content.decode()
    firm_page = client.get(reverse("pilots:firm_demands", args=[member_firm.pk])).content.decode()
    ours = [c for c in calls if c[0] == (demand.pk, member_firm.pk)]
    assert len(ours) == 3 and len({tuple(c[1]) for c in ours}) == 1  # the same inputs and the same answer
    [partner] = ours[0][1]
    for page in (demand_page, propose_page, firm_page):
        assert partner in page
    assert f"lead={member_firm.pk}" in demand_page


@pytest.mark.parametrize("value", ["²", "9" * 25, "-1", "\x00", "1e400"])
def test_hostile_ids_in_the_forms_are_invalid_choices_not_crashes(
    client, demand, member_firm, firm_member, official, value
):
    ok = 400 if value == "\x00" else 200  # a NUL is refused by the middleware before the form sees it
    client.force_login(firm_member)
    url = reverse("pilots:proposal_create", args=[demand.pk])
    for data in (
        {"lead_firm": value, "title": "t", "summary": "s"},
        {"lead_firm": member_firm.pk, "title": "t", "summary": "s", "partners": [value]},
        {"lead_firm": member_firm.pk, "title": "t", "summary": "s", "technologies": [value]},
        {"lead_firm": value, "partner_search": "1", "partner_q": value, "partners": [value]},
    ):
        assert client.post(url, data).status_code == ok
    assert Proposal.objects.count() == 0
    search = client.get(reverse("pilots:partner_search"), {"partner_q": "a", "partners": value, "lead_firm": value})
    assert search.status_code == ok
    client.force_login(official)
    posted = client.post(
        reverse("pilots:demand_create"),
        {
            "kind": "demand",
            "title": "t",
            "problem": "p",
            "criteria": "merit: 100",
            "district": value,
            "technologies": [value],
        },
    )
    assert posted.status_code == ok and Demand.objects.filter(title="t").count() == 0
