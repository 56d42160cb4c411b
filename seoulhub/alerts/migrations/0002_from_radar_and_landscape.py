"""Copy the two former subscription systems into the one: the radar's subscriptions (technologies,
sources, saved searches, feed token, digests sent) and the landscape's briefing subscriptions
(briefing feed token, briefings sent). The old tables are dropped by radar 0009 and landscape 0002,
which run after this.

A landscape subscriber with an e-mail briefing whose radar digest was off gets the weekly digest
(which now carries the briefings), or they would lose the briefing e-mails they asked for. Sent
briefings become sent weekly deliveries of that week, so the week is not sent again."""

import datetime

from django.db import migrations

WEEK_CHARS = 8  # 2026-W48


def _week_bounds(week: str):
    start = datetime.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
    return begin, begin + datetime.timedelta(days=7)


def forwards(apps, schema_editor):
    Old = apps.get_model("radar", "Subscription")
    OldDelivery = apps.get_model("radar", "DigestDelivery")
    LandscapeSubscription = apps.get_model("landscape", "LandscapeSubscription")
    BriefingFeedToken = apps.get_model("landscape", "BriefingFeedToken")
    BriefingDelivery = apps.get_model("landscape", "BriefingDelivery")
    Subscription = apps.get_model("alerts", "Subscription")
    SavedSearch = apps.get_model("alerts", "SavedSearch")
    Delivery = apps.get_model("alerts", "Delivery")

    by_user = {}
    for old in Old.objects.all().order_by("pk"):
        new = Subscription.objects.create(
            user_id=old.user_id,
            frequency="off" if old.frequency == "none" else old.frequency,
            by_email=old.frequency != "none",
            feed_token=old.feed_token,
        )
        new.technologies.set(list(old.technologies.values_list("pk", flat=True)))
        new.sources.set(list(old.sources.values_list("pk", flat=True)))
        SavedSearch.objects.bulk_create([SavedSearch(subscription=new, query=s.query) for s in old.searches.all()])
        for sent in OldDelivery.objects.filter(subscription=old):
            Delivery.objects.create(
                subscription=new,
                channel="email",
                frequency=sent.frequency,
                period=sent.period,
                since=sent.since,
                until=sent.until,
                status="sent",
                item_count=sent.article_count,
                attempts=1,
                sent_at=sent.sent_at,
            )
        by_user[old.user_id] = new

    for row in LandscapeSubscription.objects.all().order_by("pk"):
        new = by_user.get(row.user_id)
        if new is None:
            new = Subscription.objects.create(user_id=row.user_id, frequency="weekly", by_email=row.email)
            by_user[row.user_id] = new
        elif row.email and not new.by_email:
            new.frequency, new.by_email = "weekly", True
            new.save(update_fields=["frequency", "by_email"])
        new.briefings.add(row.technology_id)

    for token in BriefingFeedToken.objects.all():
        new = by_user.get(token.user_id)
        if new is not None:
            new.legacy_briefing_token = token.token
            new.save(update_fields=["legacy_briefing_token"])

    sent_weeks = {}
    for sent in BriefingDelivery.objects.select_related("briefing"):
        key = (sent.user_id, sent.briefing.week)
        sent_weeks.setdefault(key, [0, sent.sent_at])[0] += 1
    for (user_id, week), (count, sent_at) in sent_weeks.items():
        new = by_user.get(user_id)
        if new is None or len(week) != WEEK_CHARS:
            continue
        since, until = _week_bounds(week)
        Delivery.objects.get_or_create(
            subscription=new,
            channel="email",
            frequency="weekly",
            period=week,
            defaults={
                "since": since,
                "until": until,
                "status": "sent",
                "item_count": count,
                "attempts": 1,
                "sent_at": sent_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("radar", "0008_story_members_index_with_id"),
        ("landscape", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
