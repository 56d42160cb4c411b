"""The technology landscape in a real browser (Korean, the default UI language): the district map leads to the firms it counted,
and a signed-in user subscribes to the weekly briefing from the technology page."""

import pytest
from django.contrib.auth import get_user_model

from seoulhub.support.models import Firm
from seoulhub.taxonomy.models import District, KsicCode, Technology

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_district_leads_to_the_counted_firms_and_a_user_subscribes(page):
    gangnam = District.objects.get(name_ko="강남구")
    firm = Firm.objects.create(
        name_ko="드론지형테스트㈜",
        name_en="Drone Landscape Test",
        district=gangnam,
        ksic=KsicCode.objects.get(revision="10", code="58221"),
    )
    firm.technologies.set(Technology.objects.filter(slug="drones"))  # counted on commit by the landscape signals

    page.goto("/tech/drones/")
    figure = page.locator(".landscape-figures a.figure").nth(1)
    assert figure.inner_text().startswith("1")
    page.locator(".district-map a", has=page.locator("title", has_text="강남구")).click()
    page.wait_for_url("**/support/firms/?tech=drones*")
    assert "district=" in page.url
    assert page.get_by_role("link", name="드론지형테스트㈜").count() == 1

    get_user_model().objects.create_user("reader", password="pw-for-tests-1", email="reader@example.org")
    page.goto("/accounts/login/?next=/tech/drones/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/tech/drones/")
    page.get_by_role("button", name="주간 브리핑을 이메일로 받기").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="주간 브리핑 그만 받기").count() == 1
