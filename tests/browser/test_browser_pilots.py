"""An official signs in, posts a demand in the browser and sees the consortium the hub proposes."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from seoulhub.accounts.models import Role
from seoulhub.support.models import Firm
from seoulhub.taxonomy.models import Technology

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _firm(name: str, *slugs: str) -> Firm:
    firm = Firm.objects.create(name_ko=name, name_en=name)
    firm.technologies.set(Technology.objects.filter(slug__in=slugs))
    return firm


def test_official_posts_a_demand_and_sees_a_proposed_consortium(page):
    official = get_user_model().objects.create_user("city-official", password="pw-for-tests-1")
    official.groups.add(Group.objects.get_or_create(name=Role.OFFICIAL.value)[0])
    _firm("드론테스트㈜", "drones")
    _firm("비전테스트㈜", "computer-vision")
    _firm("핀테크테스트㈜", "fintech")

    page.goto("/accounts/login/?next=/pilots/demands/new/")
    page.fill("input[name=username]", "city-official")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/pilots/demands/new/")

    page.fill("input[name=title]", "교량 하부 드론 점검 (테스트)")
    page.fill("textarea[name=problem]", "사람이 접근하기 어려운 교량 하부를 안전하게 점검한다.")
    drones = Technology.objects.get(slug="drones").pk
    vision = Technology.objects.get(slug="computer-vision").pk
    page.check(f"input[name=technologies][value='{drones}']")
    page.check(f"input[name=technologies][value='{vision}']")
    page.check("input[name=is_example]")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/pilots/demands/*/")

    assert page.locator("h1").inner_text().startswith("교량 하부 드론 점검 (테스트)")
    assert page.locator("h1 .example-label").inner_text() == "예시 / Example"
    consortium = page.locator("#consortia .consortium").first
    text = consortium.inner_text()
    assert "드론테스트㈜" in text and "비전테스트㈜" in text
    assert "핀테크테스트㈜" not in page.locator("#consortia").inner_text()


def _sign_in(page, username: str, next_path: str) -> None:
    page.goto(f"/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def _example_demand():
    from seoulhub.pilots import services

    official = get_user_model().objects.create_user("city-official", password="pw-for-tests-1")
    official.groups.add(Group.objects.get_or_create(name=Role.OFFICIAL.value)[0])
    return official, services.create_demand(
        official,
        title="드론 교량 점검 (테스트)",
        problem="교량 하부 점검",
        is_example=True,
        technologies=list(Technology.objects.filter(slug__in=["drones", "computer-vision"])),
        criteria=[("기술성", 100)],
    )


def test_a_firm_finds_a_partner_by_search_and_no_spac_is_offered(page):
    from seoulhub.pilots.models import Proposal
    from seoulhub.support.models import FirmMember

    _official, demand = _example_demand()
    member = get_user_model().objects.create_user("firm-member", password="pw-for-tests-1")
    member.groups.add(Group.objects.get_or_create(name=Role.FIRM_MEMBER.value)[0])
    lead = _firm("드론리드㈜", "drones")
    FirmMember.objects.create(firm=lead, user=member)
    partner = _firm("미래비전랩㈜", "computer-vision")
    _firm("미래에셋비전스팩10호", "computer-vision")
    for i in range(30):
        _firm(f"등록기업{i:02d}")

    _sign_in(page, "firm-member", f"/pilots/demands/{demand.pk}/propose/")
    assert page.locator("input[name=partners]").count() == 0  # no list of the registry
    page.fill("#partner-q", "미래")  # htmx asks the search endpoint as one types
    hit = page.locator(f"#partner-choices input[name=partners][value='{partner.pk}']")
    hit.wait_for()
    assert "스팩" not in page.locator("#partner-choices").inner_text()
    hit.check()
    page.fill("#partner-q", "등록기업0")  # a second search keeps the ticked partner
    page.locator("#partner-choices", has_text="등록기업01").wait_for()
    assert page.locator(f"#partner-choices input[value='{partner.pk}']").is_checked()
    page.fill("input[name=title]", "교량 드론 점검 제안")
    page.fill("textarea[name=summary]", "드론과 영상 분석으로 점검합니다.")
    page.click("button[name=save]")
    page.wait_for_url("**/pilots/proposals/*/")
    proposal = Proposal.objects.get(title="교량 드론 점검 제안")
    assert list(proposal.partners.values_list("name_ko", flat=True)) == ["미래비전랩㈜"]


def test_the_certificate_prints_on_one_a4_sheet_and_its_code_verifies(page):
    from seoulhub.pilots import lifecycle as lc
    from seoulhub.pilots.certificates import display
    from seoulhub.pilots.models import Proposal

    official, demand = _example_demand()
    official.groups.add(Group.objects.get_or_create(name=Role.OPERATOR.value)[0])
    lead = _firm("드론리드㈜", "drones")
    proposal = Proposal.objects.create(
        demand=demand,
        lead_firm=lead,
        title="교량 드론 점검 실증",
        summary="s",
        is_example=True,
        state=lc.CERTIFIED,
        outcome="success",
        certificate_number="SDH-PILOT-2026-00042",
        certificate_code="K7QM3XWD9TRAHZ2P",
        certificate_issued_on="2026-07-31",
    )

    _sign_in(page, "city-official", f"/pilots/proposals/{proposal.pk}/certificate/")
    assert page.locator("#certificate-code").inner_text() == display(proposal.certificate_code)
    page.emulate_media(media="print")
    assert page.locator("nav.toolbar").is_hidden()
    pdf = page.pdf(prefer_css_page_size=True)  # the page size comes from the certificate's @page
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1  # one sheet
    [box] = set(re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf))
    assert (round(float(box[0])), round(float(box[1]))) == (595, 842)  # A4 in points

    page.emulate_media(media="screen")
    page.goto("/pilots/verify/")
    page.fill("#verify-code", "k7qm 3xwd 9tra hz2p")
    page.click(".verify-form button[type=submit]")
    result = page.locator("#verify-result")
    assert "SDH-PILOT-2026-00042" in result.inner_text() and "드론리드㈜" in result.inner_text()
