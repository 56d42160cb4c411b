"""The landscape's demo step and home-page card."""

import pytest

from seoulhub.landscape import demo
from seoulhub.landscape.models import TechnologyLandscape, TechnologyPair

pytestmark = pytest.mark.django_db

FIGURES = [
    "technology_id",
    "firms",
    "firms_by_district",
    "open_programmes",
    "open_demands",
    "pilots",
    "gap",
    "emergence",
    "weekly_counts",
]


def test_loading_the_landscape_demo_twice_changes_nothing(tech, make_firm, make_programme, make_demand, gangnam):
    make_firm("demo", [tech["ai"], tech["cloud"]], gangnam)
    make_programme("demo programme", [tech["ai"]])
    for i in range(2):
        make_demand(f"demo demand {i}", [tech["ai"], tech["cloud"]])
    first = demo.load(lambda line: None)
    figures = list(TechnologyLandscape.objects.order_by("pk").values(*FIGURES))
    pairs = list(TechnologyPair.objects.order_by("pk").values("context", "tech_a", "tech_b", "together", "npmi"))
    assert demo.load(lambda line: None) == first
    assert list(TechnologyLandscape.objects.order_by("pk").values(*FIGURES)) == figures
    assert (
        list(TechnologyPair.objects.order_by("pk").values("context", "tech_a", "tech_b", "together", "npmi")) == pairs
    )
    assert first["technologies"] == TechnologyLandscape.objects.count() >= 40 and first["with firms"] == 2


def test_home_page_shows_the_landscape_area_with_firm_counts(client, tech, make_firm):
    for i in range(3):
        make_firm(f"home {i}", [tech["robotics"]])
    demo.load(lambda line: None)
    html = client.get("/").content.decode()
    assert 'href="/landscape/"' in html
    assert "/tech/robotics/" in html and "(3)" in html
