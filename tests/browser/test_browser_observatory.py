"""The district map in a real browser (Playwright + Debian chromium, plotly.js served offline)."""

import pytest

from seoulhub.observatory.sectors import load_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests run earlier flush the tables the migrations filled: load the 25 gu and
    KSIC again (idempotent) and the digital-industry definition."""
    from seoulhub.taxonomy.loaders import load_districts, load_ksic
    from seoulhub.taxonomy.models import District, KsicCode

    load_districts(District)
    load_ksic(KsicCode)
    load_definition()
    # The official gu statistics that ship with the demo: without them (or enough registry
    # firms with a district) the page shows no map at all.
    from seoulhub.observatory.demo import load_establishments

    load_establishments(lambda line: None)


def test_the_choropleth_draws_all_25_districts(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/observatory/")
    page.wait_for_selector("#district-map .scatterlayer path.js-fill", timeout=15000)
    assert page.locator("#district-map .scatterlayer path.js-fill").count() == 25
    # Every path has a drawn outline, not an empty "d".
    lengths = page.eval_on_selector_all(
        "#district-map .scatterlayer path.js-fill", "els => els.map(e => e.getAttribute('d').length)"
    )
    assert min(lengths) > 50
    assert all(url.startswith(page.url.split("/observatory")[0]) for url in requests), (
        "the map must load nothing from outside"
    )


def test_the_district_table_links_to_a_profile(page):
    page.set_default_timeout(90_000)  # the shared test machine is often heavily loaded
    page.goto("/observatory/")
    page.locator("#district-table a", has_text="강남구").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("강남구")


def test_the_map_page_fits_a_phone(page):
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/observatory/")
    page.wait_for_selector("#district-map .scatterlayer path.js-fill", timeout=30000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#proxy-note").is_visible() and page.locator("#series-break-note").is_visible()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_definition_table_fits_the_screen_and_its_code_columns_are_readable(page, width):
    """The sector note wraps: unwrapped, it pushed the table past a 1366 px screen and squeezed
    the KSIC columns to a few letters a line."""
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/observatory/definition/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 1366:
        code_column = page.locator("table.obs-definition tbody tr").first.locator("td").nth(1)
        assert code_column.bounding_box()["width"] > 150
