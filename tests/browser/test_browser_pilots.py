"""An official signs in, posts a demand in the browser and sees the consortium the hub proposes."""

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
