"""The hub in a real browser without the internet, under its Content-Security-Policy, and on a
390 px phone: no page asks another origin for anything, the policy refuses nothing the pages
need (charts, htmx, Swagger UI), and no page scrolls sideways."""

from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from radar.search_factories import make_article, make_source  # tests/radar, on the path as a package
from seoulhub.accounts.models import Role
from seoulhub.radar.models.trends import record_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_PAGES = [
    "/",
    "/radar/",
    "/radar/search?q=AI",
    "/radar/trends/",
    "/support/",
    "/pilots/",
    "/observatory/",
    "/landscape/",
    "/tech/ai/",
    "/api/v1/docs",
    "/accounts/login/",
]

# Recorded before any page script runs (an init script is not subject to the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def articles(db):
    """Articles over three months, counted into the trend tables, so the trend page draws
    plotly charts with a date axis and search has results."""
    source = make_source("arXiv cs.AI (test)")
    titles = [
        "Large language models for city services",
        "AI agents that plan public transport",
        "Small AI models on device for smart cities",
        "Benchmarking AI chips for inference",
        "Federated learning across hospitals with AI",
        "AI safety evaluation of language models",
    ]
    made = []
    for number, title in enumerate(titles):
        article = make_article(
            source,
            title,
            techs=["ai"],
            keywords=["agents", "language"],
            language="en",
            published_at=datetime(2026, 2 + number % 3, 3 + number, tzinfo=timezone.utc),
        )
        record_article(article)
        made.append(article)
    from seoulhub.text.embed import embed

    embed(["AI"])  # load the query encoder now, not inside a page's time limit
    return made


def _korean_context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="ko-KR", **options)
    context.add_init_script(RECORD_VIOLATIONS)
    return context


@pytest.fixture
def official_statistics(db):
    """The shipped KOSIS figures, so the observatory draws its map (the registry alone has too few
    firms with a district to map)."""
    from seoulhub.observatory.demo import load_establishments
    from seoulhub.observatory.sectors import load_definition

    load_definition()
    load_establishments(lambda line: None)


def test_no_page_loads_anything_from_another_origin_or_breaks_the_policy(
    browser, live_server, articles, official_statistics
):
    context = _korean_context(browser, live_server)
    own = urlsplit(live_server.url).netloc
    foreign, console = [], []

    def only_our_origin(route):  # the test machine is offline in spirit: nothing leaves it
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own:
            foreign.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_our_origin)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.on("console", lambda message: console.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: console.append(f"script error: {error}"))
    for path in [*MAIN_PAGES, "/radar/trends/tech/ai/"]:
        response = page.goto(path)
        assert response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (path, policy)
        page.wait_for_load_state("networkidle")
        if path == "/radar/trends/tech/ai/":
            page.wait_for_selector(".chart .main-svg")  # plotly drew, from its static file
            ticks = page.locator(".chart .xtick text").all_text_contents()
            assert ticks and all("년" in tick for tick in ticks), ticks  # "2026년 3월", not "Mar 2026"
        if path == "/observatory/":
            page.wait_for_selector("#district-map .scatterlayer path.js-fill")
        if path == "/api/v1/docs":  # Swagger UI from ninja's static files, not a CDN
            page.wait_for_selector(".swagger-ui .info .title")
            assert "Seoul Digital Hub API" in page.locator(".swagger-ui .info .title").inner_text()
            assert page.locator(".opblock").count() > 10
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], (path, violations)
        assert not [text for text in console if "Content Security Policy" in text or "script error" in text], (
            path,
            console,
        )
        assert foreign == [], (path, foreign)
    context.close()


def test_the_policy_refuses_an_injected_inline_script(browser, live_server):
    """The policy is not decorative: an inline script that got into a page does not run."""
    context = _korean_context(browser, live_server)
    page = context.new_page()
    page.goto("/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';
                             document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran === true") is False
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
    context.close()


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server, articles, make_user):
    make_user("reader", Role.FIRM_MEMBER)
    make_source("서울시 보도자료 (test)")  # the subscription form lists sources as checkboxes
    context = _korean_context(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(120_000)
    wide = {}
    for path in [*MAIN_PAGES, "/support/programmes/", "/support/firms/", "/tech/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if _scroll_width(page) > 390:
            wide[path] = _scroll_width(page)
    assert wide == {}, f"pages wider than a 390 px phone: {wide}"

    # Search: the results come before the facets on a phone.
    page.goto("/radar/search?q=AI")
    page.wait_for_selector("article.hit")
    first_hit = page.locator("article.hit").first.bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert first_hit["y"] < facets["y"], (first_hit, facets)

    # Signed in: the subscription page fits, and each checkbox or radio sits right before its words.
    page.goto("/accounts/login/?next=/alerts/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/alerts/")
    page.wait_for_load_state("networkidle")
    assert _scroll_width(page) <= 390, _scroll_width(page)  # the long private feed address wraps
    gaps = page.evaluate("""() => Array.from(document.querySelectorAll(
          'form.form label > input[type=checkbox], form.form label > input[type=radio]')).map(input => {
        const label = input.parentElement, range = document.createRange();
        range.selectNodeContents(label); range.setStartAfter(input);
        const text = Array.from(range.getClientRects()).filter(r => r.width > 0)[0];
        const box = input.getBoundingClientRect(), outer = label.getBoundingClientRect();
        return {name: input.name, before: box.left - outer.left, after: text.left - box.right,
                sameLine: Math.abs((text.top + text.bottom) / 2 - (box.top + box.bottom) / 2) < box.height};
    })""")
    assert {gap["name"] for gap in gaps} >= {"frequency", "technologies", "sources"}, gaps
    apart = [gap for gap in gaps if not (gap["before"] < 4 and 0 <= gap["after"] < 16 and gap["sameLine"])]
    assert apart == [], apart
    page.goto("/landscape/subscriptions/")
    assert _scroll_width(page) <= 390, _scroll_width(page)
    context.close()


def test_behaviours_bound_by_data_attributes_work_without_inline_handlers(browser, live_server):
    """The CSP refuses onchange= and onsubmit=; static/seoulhub/hub.js binds them instead."""
    from seoulhub.observatory.sectors import load_definition
    from seoulhub.support.models import Firm

    load_definition()
    firm = Firm.objects.create(name_ko="예시 자동제출 기업")
    context = _korean_context(browser, live_server)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"/support/firms/{firm.pk}/dashboard/")
    with page.expect_navigation():
        page.check("input[name=closed][data-autosubmit]")
    assert "closed=1" in page.url
    page.goto("/observatory/districts/11680/")
    page.select_option("form[data-action-from=code] select[name=code]", "11110")
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[data-action-from=code]').requestSubmit()")
    assert "/observatory/districts/11110/" in page.url
    assert page.evaluate("window.__cspViolations") == []
    context.close()
