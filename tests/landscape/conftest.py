"""Fixtures for the landscape tests: small, named sets of firms, programmes and demands built on
the real taxonomy and districts (loaded by migrations). Firm names are labelled as test firms."""

import datetime

import pytest
from django.utils import timezone

from seoulhub.pilots import lifecycle
from seoulhub.pilots.models import Demand, Proposal
from seoulhub.support.models import Firm, Programme
from seoulhub.taxonomy.models import District, KsicCode, Technology


@pytest.fixture
def tech(db):
    return {t.slug: t for t in Technology.objects.all()}


@pytest.fixture
def gangnam(db):
    return District.objects.get(name_ko="강남구")


@pytest.fixture
def mapo(db):
    return District.objects.get(name_ko="마포구")


@pytest.fixture
def make_firm(db):
    # The support firm list needs a KSIC code on each firm to render (a real rev. 10 class here).
    software = KsicCode.objects.get(revision="10", code="58221")

    def make(name: str, technologies, district=None, **fields):
        fields.setdefault("ksic", software)
        firm = Firm.objects.create(name_ko=f"(시험) {name}", district=district, **fields)
        firm.technologies.set(technologies)
        return firm

    return make


@pytest.fixture
def make_programme(db):
    def make(title: str, technologies, open_now: bool = True, **fields):
        today = timezone.localdate()
        if open_now:
            window = (today - datetime.timedelta(days=3), today + datetime.timedelta(days=10))
        else:
            window = (datetime.date(2021, 1, 4), datetime.date(2021, 2, 1))
        programme = Programme.objects.create(title=title, opens_on=window[0], closes_on=window[1], **fields)
        programme.technologies.set(technologies)
        return programme

    return make


@pytest.fixture
def make_demand(db):
    def make(title: str, technologies, is_example: bool = False, status=Demand.Status.OPEN, **fields):
        demand = Demand.objects.create(
            title=title, problem="(test) " + title, status=status, is_example=is_example, **fields
        )
        demand.technologies.set(technologies)
        return demand

    return make


@pytest.fixture
def make_pilot(db):
    def make(demand, firm, technologies, state=lifecycle.RUNNING):
        pilot = Proposal.objects.create(
            demand=demand,
            lead_firm=firm,
            title="pilot " + demand.title,
            summary="test",
            state=state,
            is_example=demand.is_example,
        )
        pilot.technologies.set(technologies)
        return pilot

    return make
