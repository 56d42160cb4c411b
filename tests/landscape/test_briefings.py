"""Weekly landscape briefings: written once per technology and week, readable on their page and as
Atom. Subscribers receive them in their digest: tests/alerts/."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from seoulhub.alerts.models import Subscription
from seoulhub.landscape.briefing import write_briefings
from seoulhub.landscape.local import refresh_local
from seoulhub.landscape.models import Briefing

pytestmark = pytest.mark.django_db

WEEK = "2026-W47"


def test_a_briefing_is_written_once_per_technology_and_week(tech, make_firm):
    make_firm("q", [tech["quantum"]])
    refresh_local()
    assert write_briefings(WEEK, [tech["quantum"]]) == 1
    assert write_briefings(WEEK, [tech["quantum"]]) == 0
    briefing = Briefing.objects.get(technology=tech["quantum"], week=WEEK)
    assert briefing.content["figures"]["firms"] == 1


def test_the_next_briefing_reports_what_changed_since_the_last(tech, make_firm):
    refresh_local()
    write_briefings("2026-W46", [tech["quantum"]])
    make_firm("q1", [tech["quantum"]])
    make_firm("q2", [tech["quantum"]])
    refresh_local()
    write_briefings(WEEK, [tech["quantum"]])
    assert Briefing.objects.get(week=WEEK).content["changes"]["firms"] == 2


def test_command_refuses_a_malformed_week_with_words():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-W47"):
        call_command("write_landscape_briefings", "--week", "last week")


def test_public_technology_feed_and_briefing_page(client, tech):
    write_briefings(WEEK, [tech["ai"]])
    feed = client.get(reverse("landscape:technology_feed", args=["ai"])).content.decode()
    assert "<feed" in feed and WEEK in feed
    briefing = Briefing.objects.get(technology=tech["ai"])
    assert client.get(reverse("landscape:briefing", args=[briefing.pk])).status_code == 200


def test_subscribing_from_the_page_and_the_api(client, make_user, tech):
    user = make_user("follower")
    client.force_login(user)
    response = client.post(
        reverse("landscape:subscriptions"), {"technology": "xr", "action": "subscribe", "next": "/tech/xr/"}
    )
    assert response.status_code == 302 and response.url == "/tech/xr/"
    assert Subscription.objects.filter(user=user, briefings=tech["xr"]).exists()
    assert (
        client.post(
            "/api/v1/landscape/subscriptions", {"technology": "ai"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/landscape/subscriptions", {"technology": "ai"}, content_type="application/json"
        ).status_code
        == 200
    )
    bad = client.post("/api/v1/landscape/subscriptions", {"technology": "nope"}, content_type="application/json")
    assert bad.status_code == 422 and "nope" in bad.json()["message"]
    assert client.delete("/api/v1/landscape/subscriptions/ai").status_code == 204
    assert client.delete("/api/v1/landscape/subscriptions/ai").status_code == 404


def test_subscribing_needs_a_signed_in_user(client):
    assert (
        client.post(
            "/api/v1/landscape/subscriptions", {"technology": "ai"}, content_type="application/json"
        ).status_code
        == 401
    )
    assert client.post(reverse("landscape:subscriptions"), {"technology": "ai"}).status_code == 302


def test_briefings_api_lists_newest_first_and_filters_by_technology(client, tech):
    write_briefings("2026-W46", [tech["ai"], tech["xr"]])
    write_briefings(WEEK, [tech["ai"]])
    body = client.get("/api/v1/landscape/briefings", {"technology": "ai"}).json()
    assert body["count"] == 2 and [b["week"] for b in body["items"]] == [WEEK, "2026-W46"]
    assert body["items"][0]["url"].startswith("/landscape/briefings/")
    assert client.get("/api/v1/landscape/briefings", {"week": "2026-W46"}).json()["count"] == 2
