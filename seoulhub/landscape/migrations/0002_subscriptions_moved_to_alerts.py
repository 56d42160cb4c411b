from django.db import migrations


class Migration(migrations.Migration):
    """Briefing subscriptions, feed tokens and deliveries moved to seoulhub.alerts (copied by
    alerts 0002 first)."""

    dependencies = [
        ("alerts", "0002_from_radar_and_landscape"),
        ("landscape", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="BriefingDelivery"),
        migrations.DeleteModel(name="BriefingFeedToken"),
        migrations.DeleteModel(name="LandscapeSubscription"),
    ]
