"""The pilots demo loader: labelled examples, real firms, idempotent."""

import pytest

from seoulhub.accounts import demo as accounts_demo
from seoulhub.pilots import demo
from seoulhub.pilots.models import AuditEntry, Demand, Proposal
from seoulhub.support.models import FirmMember

pytestmark = pytest.mark.django_db


def test_demo_demands_are_examples_with_their_sources_and_a_second_run_changes_nothing(make_firm):
    accounts_demo.load(lambda line: None)
    from django.contrib.auth import get_user_model

    firm_user = get_user_model().objects.get(username="firm")
    make_firm("Sensor Firm", "iot", member=firm_user)
    make_firm("AI Cloud Firm", "ai", "cloud")
    make_firm("Health Data", "digital-health", "big-data")
    first = demo.load(lambda line: None)
    assert first["example demands created"] == 4
    for demand in Demand.objects.filter(is_example=True):
        assert "news.seoul.go.kr/economy/archives/566330" in demand.source_note
        assert "최대 4억원" in demand.source_note and "Modelled on" not in demand.source_note  # Korean pages
        assert demand.title.startswith("[예시]")
    assert Proposal.objects.filter(is_example=False).count() == 0
    own = Proposal.objects.get(lead_firm__members__user=firm_user)
    assert own.state == "under_review" and [f.name_ko for f in own.partners.all()] == ["AI Cloud Firm"]
    counts = (Demand.objects.count(), Proposal.objects.count(), AuditEntry.objects.count())
    again = demo.load(lambda line: None)
    assert {k: v for k, v in again.items() if "created" in k or "updated" in k} == dict.fromkeys(again, 0)
    assert (Demand.objects.count(), Proposal.objects.count(), AuditEntry.objects.count()) == counts


def test_demo_without_firms_still_loads_the_demands():
    result = demo.load(lambda line: None)
    assert result["example demands created"] == 4 and result["example proposals created"] == 0
    assert FirmMember.objects.count() == 0
