"""Weekly landscape briefings: written once per technology and week, e-mailed once per subscriber,
readable as Atom (personal private feed and public per-technology feed)."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from seoulhub.landscape.briefing import send_briefings, write_briefings
from seoulhub.landscape.local import refresh_local
from seoulhub.landscape.models import Briefing, BriefingDelivery, BriefingFeedToken, LandscapeSubscription

pytestmark = pytest.mark.django_db

WEEK = "2026-W47"


@pytest.fixture
def subscriber(make_user, tech):
    user = make_user("reader", email="reader@example.org")
    LandscapeSubscription.objects.create(user=user, technology=tech["quantum"])
    return user


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


def test_subscribers_get_one_email_per_briefing_even_when_sending_runs_twice(subscriber):
    assert send_briefings(WEEK)["sent"] == 1
    assert send_briefings(WEEK) == {"sent": 0, "skipped": 1, "failed": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "2026-W47" in message.subject
    assert message.alternatives and "<h1>" in message.alternatives[0][0]
    assert BriefingDelivery.objects.count() == 1


def test_plain_text_subject_and_body_are_not_html_escaped(subscriber, tech):
    quantum = tech["quantum"]
    quantum.name_ko = quantum.name_en = "R&D <양자> \"큐비트\""
    quantum.save()
    assert send_briefings(WEEK)["sent"] == 1
    message = mail.outbox[0]
    assert 'R&D <양자> "큐비트"' in message.subject and "&amp;" not in message.subject
    assert 'R&D <양자> "큐비트"' in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "R&amp;D &lt;양자&gt;" in html  # the HTML part stays escaped


def test_a_failing_mail_server_records_no_delivery_so_the_next_run_retries(subscriber, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    assert send_briefings(WEEK)["failed"] == 1
    assert BriefingDelivery.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_briefings(WEEK)["sent"] == 1


def test_command_refuses_a_malformed_week_with_words():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-W47"):
        call_command("send_landscape_briefings", "--week", "last week")


def test_private_atom_feed_lists_the_subscribed_briefings_and_a_reset_address_stops_working(client, subscriber, tech):
    send_briefings(WEEK)
    client.force_login(subscriber)
    client.get(reverse("landscape:subscriptions"))
    token = BriefingFeedToken.objects.get(user=subscriber).token
    client.logout()
    feed = client.get(reverse("landscape:feed", args=[token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert WEEK in feed.content.decode()
    client.force_login(subscriber)
    client.post(reverse("landscape:reset_feed_token"))
    client.logout()
    assert client.get(reverse("landscape:feed", args=[token])).status_code == 404


def test_public_technology_feed_and_briefing_page(client, tech):
    write_briefings(WEEK, [tech["ai"]])
    feed = client.get(reverse("landscape:technology_feed", args=["ai"])).content.decode()
    assert "<feed" in feed and WEEK in feed
    briefing = Briefing.objects.get(technology=tech["ai"])
    assert client.get(reverse("landscape:briefing", args=[briefing.pk])).status_code == 200


def test_subscribing_from_the_page_and_the_api(client, make_user, tech):
    user = make_user("follower")
    client.force_login(user)
    response = client.post(reverse("landscape:subscriptions"), {"technology": "xr", "action": "subscribe",
                                                                 "next": "/tech/xr/"})
    assert response.status_code == 302 and response.url == "/tech/xr/"
    assert LandscapeSubscription.objects.filter(user=user, technology=tech["xr"]).exists()
    assert client.post("/api/v1/landscape/subscriptions", {"technology": "ai"}, content_type="application/json").status_code == 201
    assert client.post("/api/v1/landscape/subscriptions", {"technology": "ai"}, content_type="application/json").status_code == 200
    bad = client.post("/api/v1/landscape/subscriptions", {"technology": "nope"}, content_type="application/json")
    assert bad.status_code == 422 and "nope" in bad.json()["message"]
    assert client.delete("/api/v1/landscape/subscriptions/ai").status_code == 204
    assert client.delete("/api/v1/landscape/subscriptions/ai").status_code == 404


def test_subscribing_needs_a_signed_in_user(client):
    assert client.post("/api/v1/landscape/subscriptions", {"technology": "ai"},
                       content_type="application/json").status_code == 401
    assert client.post(reverse("landscape:subscriptions"), {"technology": "ai"}).status_code == 302


def test_briefings_api_lists_newest_first_and_filters_by_technology(client, tech):
    write_briefings("2026-W46", [tech["ai"], tech["xr"]])
    write_briefings(WEEK, [tech["ai"]])
    body = client.get("/api/v1/landscape/briefings", {"technology": "ai"}).json()
    assert body["count"] == 2 and [b["week"] for b in body["items"]] == [WEEK, "2026-W46"]
    assert body["items"][0]["url"].startswith("/landscape/briefings/")
    assert client.get("/api/v1/landscape/briefings", {"week": "2026-W46"}).json()["count"] == 2
