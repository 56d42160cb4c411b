"""Fixtures for pilots: real taxonomy rows (loaded by migration), firms made in the test."""

import datetime

import pytest
from django.utils import timezone

from seoulhub.pilots import services
from seoulhub.support.models import Firm, FirmMember
from seoulhub.taxonomy.models import Technology


@pytest.fixture
def tech(db):
    def get(*slugs):
        found = list(Technology.objects.filter(slug__in=slugs))
        assert len(found) == len(slugs), slugs
        return found

    return get


@pytest.fixture
def make_firm(db, tech):
    def make(name: str, *slugs: str, member=None) -> Firm:
        firm = Firm.objects.create(name_ko=name, name_en=name)
        firm.technologies.set(tech(*slugs) if slugs else [])
        if member is not None:
            FirmMember.objects.create(firm=firm, user=member)
        return firm

    return make


@pytest.fixture
def demand(official, tech):
    today = timezone.localdate()
    return services.create_demand(
        official,
        title="Drone inspection of bridges",
        problem="Inspect bridge undersides safely.",
        place="Example site",
        closes_on=today + datetime.timedelta(days=30),
        technologies=tech("drones", "computer-vision"),
        criteria=[("Technical merit", 60), ("Cost", 40)],
        is_example=True,
    )


@pytest.fixture
def member_firm(make_firm, firm_member):
    return make_firm("Example Vision Co", "computer-vision", "drones", member=firm_member)


@pytest.fixture
def proposal(demand, member_firm, firm_member):
    return services.create_proposal(
        firm_member,
        demand,
        member_firm,
        title="Vision drones",
        summary="Drones with defect detection.",
        is_example=True,
    )


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """Assertions below read English messages; Korean wording is tested on its own."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
