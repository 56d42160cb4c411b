"""The digest frequency moves to the person's profile (accounts.Profile.digest_frequency), the one
place the profile page and the subscriptions page both set: each subscription's frequency is
copied into its user's profile (unless the profile already says something else), then dropped."""

from django.db import migrations


def to_profiles(apps, schema_editor):
    Subscription = apps.get_model("alerts", "Subscription")
    Profile = apps.get_model("accounts", "Profile")
    for user_id, frequency in Subscription.objects.values_list("user_id", "frequency").iterator():
        Profile.objects.get_or_create(user_id=user_id, defaults={"digest_frequency": frequency})


def to_subscriptions(apps, schema_editor):
    Subscription = apps.get_model("alerts", "Subscription")
    Profile = apps.get_model("accounts", "Profile")
    for user_id, frequency in Profile.objects.values_list("user_id", "digest_frequency").iterator():
        Subscription.objects.filter(user_id=user_id).update(frequency=frequency)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0002_from_radar_and_landscape"), ("accounts", "0002_profile")]

    operations = [
        migrations.RunPython(to_profiles, to_subscriptions),
        migrations.RemoveField(model_name="subscription", name="frequency"),
    ]
