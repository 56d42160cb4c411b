"""alerts 0002 copies the radar's and the landscape's subscriptions into the one subscription
(and radar 0009 / landscape 0002 then drop the old tables): what was followed, the feed tokens,
and what was already sent, so nothing is sent twice after the upgrade."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("alerts", "0001_initial"), ("radar", "0008_story_members_index_with_id"), ("landscape", "0001_initial")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_both_old_systems_are_copied_into_one_subscription_per_user(django_user_model):
    try:
        old = migrate_to(BEFORE)
        User = old.get_model("auth", "User")
        Technology = old.get_model("taxonomy", "Technology")
        Source = old.get_model("radar", "Source")
        OldSubscription = old.get_model("radar", "Subscription")
        ai, xr = Technology.objects.get(slug="ai"), Technology.objects.get(slug="xr")
        source = Source.objects.create(name="연합뉴스", url="https://example.org/feed.xml")
        both, radar_only, landscape_only = (
            User.objects.create(username=n, email=f"{n}@example.org") for n in ("both", "radar", "landscape")
        )
        quiet = OldSubscription.objects.create(user=both, frequency="none", feed_token="radar-token-both")
        quiet.technologies.add(ai)
        quiet.sources.add(source)
        old.get_model("radar", "SavedSearch").objects.create(subscription=quiet, query="자율주행")
        daily = OldSubscription.objects.create(user=radar_only, frequency="daily", feed_token="radar-token-2")
        now = datetime.datetime(2026, 11, 24, 6, tzinfo=datetime.UTC)
        old.get_model("radar", "DigestDelivery").objects.create(
            subscription=daily,
            frequency="daily",
            period="2026-11-23",
            since=now - datetime.timedelta(days=1),
            until=now,
            article_count=4,
        )
        LandscapeSubscription = old.get_model("landscape", "LandscapeSubscription")
        LandscapeSubscription.objects.create(user=both, technology=xr, email=True)
        LandscapeSubscription.objects.create(user=landscape_only, technology=ai, email=True)
        old.get_model("landscape", "BriefingFeedToken").objects.create(user=landscape_only, token="briefing-token")
        briefing = old.get_model("landscape", "Briefing").objects.create(technology=ai, week="2026-W47")
        old.get_model("landscape", "BriefingDelivery").objects.create(briefing=briefing, user=landscape_only)

        new = migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
        Subscription = new.get_model("alerts", "Subscription")
        Delivery = new.get_model("alerts", "Delivery")
        first = Subscription.objects.get(user__username="both")
        frequency = dict(new.get_model("accounts", "Profile").objects.values_list("user__username", "digest_frequency"))
        # Radar digest was off, but the landscape briefing was wanted by e-mail: a weekly digest carries it.
        assert (frequency["both"], first.by_email, first.feed_token) == ("weekly", True, "radar-token-both")
        assert [t.slug for t in first.technologies.all()] == ["ai"]
        assert [t.slug for t in first.briefings.all()] == ["xr"]
        assert list(first.sources.values_list("name", flat=True)) == ["연합뉴스"]
        assert list(first.searches.values_list("query", flat=True)) == ["자율주행"]
        second = Subscription.objects.get(user__username="radar")
        assert frequency["radar"] == "daily" and not second.briefings.exists()
        sent = Delivery.objects.get(subscription=second)
        assert (sent.channel, sent.period, sent.status, sent.item_count) == ("email", "2026-11-23", "sent", 4)
        third = Subscription.objects.get(user__username="landscape")
        assert frequency["landscape"] == "weekly" and third.legacy_briefing_token == "briefing-token"
        assert [t.slug for t in third.briefings.all()] == ["ai"]
        week = Delivery.objects.get(subscription=third)
        assert (week.frequency, week.period, week.status) == ("weekly", "2026-W47", "sent")
        assert "radar_subscription" not in connection.introspection.table_names()
        assert "landscape_landscapesubscription" not in connection.introspection.table_names()
    finally:
        migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
