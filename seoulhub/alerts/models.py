"""What a person follows (one row per user), and every digest handed to a delivery channel.

One subscription covers the radar (technologies, sources, saved searches), the landscape's
weekly briefings per technology and programme deadlines (programmes followed one by one, or
those recommended to the firms the person belongs to). Digests go out by e-mail and/or to a
Slack-compatible webhook; `Delivery` rows make sending idempotent and hold the retry state."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        OFF = "off", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscription", verbose_name=_("user")
    )
    technologies = models.ManyToManyField(
        "taxonomy.Technology", blank=True, related_name="+", verbose_name=_("technologies (radar articles)")
    )
    sources = models.ManyToManyField("radar.Source", blank=True, related_name="+", verbose_name=_("sources"))
    briefings = models.ManyToManyField(
        "taxonomy.Technology",
        blank=True,
        related_name="briefing_followers",
        verbose_name=_("weekly landscape briefings"),
    )
    programmes = models.ManyToManyField(
        "support.Programme", blank=True, related_name="followers", verbose_name=_("programmes whose deadline I follow")
    )
    firm_programmes = models.BooleanField(_("deadlines of programmes recommended to my firms"), default=False)
    by_email = models.BooleanField(_("send the digest by e-mail"), default=True)
    webhook_url = models.URLField(
        _("webhook address"),
        max_length=500,
        blank=True,
        help_text=_("a Slack-compatible incoming webhook (Slack, Teams, Dooray, JANDI ...)"),
    )
    # Private: whoever has it can read this user's feed (feed readers cannot log in), so it is
    # not the API token and can be replaced on its own.
    feed_token = models.CharField(_("feed token"), max_length=64, unique=True, default=new_feed_token)
    # The address of the former landscape briefing feed, kept so feed readers are redirected to
    # the one feed; forgotten when the user replaces the feed address.
    legacy_briefing_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return str(self.user)

    def rotate_feed_token(self) -> None:
        self.feed_token = new_feed_token()
        self.legacy_briefing_token = None
        self.save(update_fields=["feed_token", "legacy_briefing_token", "updated_at"])


class SavedSearch(models.Model):
    """A keyword or phrase the user follows; matched with the radar search itself."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="searches", verbose_name=_("subscription")
    )
    query = models.CharField(_("search text"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["query"]
        constraints = [models.UniqueConstraint(fields=["subscription", "query"], name="alerts_savedsearch_unique")]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.query


class Delivery(models.Model):
    """One digest (one period) to one channel of one subscriber. The unique key means a re-run
    never sends a period twice; a failed attempt stays pending with the next attempt's time."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        WEBHOOK = "webhook", _("webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        EMPTY = "empty", _("nothing new to send")
        FAILED = "failed", _("given up after repeated failures")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    frequency = models.CharField(_("digest"), max_length=8, choices=Subscription.Frequency.choices)
    period = models.CharField(_("period"), max_length=10)  # 2026-11-25 or 2026-W48
    since = models.DateTimeField(_("items since"))
    until = models.DateTimeField(_("items until"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "channel", "frequency", "period"], name="alerts_delivery_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="alerts_delivery_due")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.subscription.user} {self.channel} {self.period} ({self.status})"
