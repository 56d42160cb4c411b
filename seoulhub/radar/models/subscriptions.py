"""What a user follows on the radar, the private token of their Atom feed, and digests sent."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """One per user: followed technologies and sources, saved searches (keywords) below, and how
    often an e-mail digest is wanted."""

    class Frequency(models.TextChoices):
        NONE = "none", _("No e-mail")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="radar_subscription", verbose_name=_("user"))
    technologies = models.ManyToManyField("taxonomy.Technology", blank=True, related_name="+",
                                          verbose_name=_("technologies"))
    sources = models.ManyToManyField("radar.Source", blank=True, related_name="+", verbose_name=_("sources"))
    frequency = models.CharField(_("e-mail digest"), max_length=8, choices=Frequency.choices,
                                 default=Frequency.WEEKLY)
    # Private: whoever has it can read this user's feed (feed readers cannot log in), so it is
    # not the API token and can be replaced on its own.
    feed_token = models.CharField(_("feed token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("radar subscription")
        verbose_name_plural = _("radar subscriptions")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_frequency_display()})"

    def rotate_feed_token(self) -> None:
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token", "updated_at"])

    @property
    def follows_anything(self) -> bool:
        return self.pk is not None and (self.technologies.exists() or self.sources.exists() or self.searches.exists())


class SavedSearch(models.Model):
    """A keyword or phrase the user follows; matched with the radar search itself."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="searches",
                                     verbose_name=_("subscription"))
    query = models.CharField(_("search text"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["query"]
        constraints = [models.UniqueConstraint(fields=["subscription", "query"], name="radar_savedsearch_unique")]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.query


class DigestDelivery(models.Model):
    """A digest e-mail sent for one period: the unique key makes sending idempotent (a re-run of
    the job in the same period sends nothing twice)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    frequency = models.CharField(max_length=8, choices=Subscription.Frequency.choices)
    period = models.CharField(_("period"), max_length=10)  # 2026-11-25 or 2026-W48
    since = models.DateTimeField(_("items since"))
    until = models.DateTimeField(_("items until"))
    article_count = models.PositiveIntegerField(_("articles"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["subscription", "frequency", "period"],
                                               name="radar_digest_once_per_period")]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")

    def __str__(self) -> str:
        return f"{self.subscription.user} {self.period}"
