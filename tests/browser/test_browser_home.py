import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_in_korean_and_switches_to_english(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "서울 디지털 허브"
    for area in ["레이더", "지원", "실증", "관측소"]:
        assert page.get_by_role("heading", name=area).count() == 1, area

    page.locator("button[data-lang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Seoul Digital Hub"
    assert page.get_by_role("heading", name="Radar").count() == 1

    page.goto("/tech/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("button[data-lang=ko]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "기술" in page.locator("h1").inner_text()
