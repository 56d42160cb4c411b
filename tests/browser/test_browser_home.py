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


MAIN_PAGES = [
    "/",
    "/radar/",
    "/radar/search?q=인공지능",
    "/radar/trends/",
    "/tech/",
    "/support/",
    "/support/programmes/",
    "/support/firms/",
    "/pilots/",
    "/observatory/",
    "/observatory/policies/",
    "/landscape/",
    "/about/",
    "/accounts/login/",
]


def test_main_pages_load_every_resource_without_a_script_error(page):
    """Each page's own requests (stylesheet, scripts, its icon) succeed and no script fails: a
    missing static file would show here, not in a view test. Without a declared icon the browser
    asks for /favicon.ico (a 404, logged as a console error) after the page has settled, too late
    to be seen reliably, so the declared icon is fetched directly."""
    problems = []
    page.on(
        "response",
        lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    page.on("requestfailed", lambda request: problems.append(f"failed {request.url}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
    for path in MAIN_PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() >= 1, path
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert icon, path
        response = page.request.get(icon)
        assert response.status == 200 and response.headers["content-type"].startswith("image/"), (path, icon)
        assert problems == [], (path, problems)
