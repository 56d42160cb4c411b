"""The home page's shared figures are cached for a minute; what concerns the signed-in user is not."""

import pytest
from django.core.cache import cache

from seoulhub.core.localcache import clear_all

from seoulhub.support.models import FirmMember

pytestmark = pytest.mark.django_db


def test_home_firm_count_is_cached_but_my_firm_is_live(client, make_firm, firm_member):
    make_firm("예시 하나", brn="1248100998")
    client.force_login(firm_member)
    first = client.get("/")
    assert first.context["sections"][1]["card"]["firms"] == 1
    assert first.context["sections"][1]["card"]["my_firm"] is None

    mine = make_firm("예시 둘", brn="2208162517")
    FirmMember.objects.create(firm=mine, user=firm_member)
    second = client.get("/")
    card = second.context["sections"][1]["card"]
    assert card["firms"] == 1  # still the cached figure
    assert card["my_firm"] == mine  # never cached

    cache.clear()  # what a minute does
    clear_all()
    assert client.get("/").context["sections"][1]["card"]["firms"] == 2
