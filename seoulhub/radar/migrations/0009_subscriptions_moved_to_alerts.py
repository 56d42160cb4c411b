from django.db import migrations


class Migration(migrations.Migration):
    """Subscriptions, saved searches and digest deliveries moved to seoulhub.alerts (copied by
    alerts 0002 first)."""

    dependencies = [
        ("alerts", "0002_from_radar_and_landscape"),
        ("radar", "0008_story_members_index_with_id"),
    ]

    operations = [
        migrations.DeleteModel(name="DigestDelivery"),
        migrations.DeleteModel(name="SavedSearch"),
        migrations.DeleteModel(name="Subscription"),
    ]
