"""Planning, rendering and sending digests, with retries.

`plan_deliveries(now)` writes one `Delivery` per channel for each subscriber's current period
(yesterday for a daily digest, the last ISO week for a weekly one); the unique key means a re-run
plans nothing twice. `send_delivery(id)` claims a due row (a conditional UPDATE, so two workers
never send the same row), builds the digest, hands it to the mail backend or the webhook, and
records the outcome: sent, or pending again after an exponential backoff with the error in words
(Korean, the worker's language), or given up after SEOULHUB_ALERT_ATTEMPTS attempts. A worker
that dies between sending and recording leaves the row claimed for LEASE, after which it is tried
again: at least once, never lost."""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from seoulhub.accounts.models import profile_for
from seoulhub.core import clock
from seoulhub.trends.periods import week_key

from . import webhook
from .models import Delivery, Subscription
from .selection import Digest, absolute, build_digest

logger = logging.getLogger("seoulhub.alerts")
LEASE = datetime.timedelta(minutes=10)
WEBHOOK_ITEMS = 15  # Slack allows 50 blocks a message


class NotDeliverable(Exception):
    """The channel has nowhere to deliver to any more; str() says why."""


# --- the one place that reads the person's preferences -------------------------------------------


def digest_frequency(subscription: Subscription) -> str:
    """How often this person wants the digest: their profile's setting (accounts.Profile)."""
    return profile_for(subscription.user).digest_frequency


def recipient_language(user) -> str:
    language = getattr(getattr(user, "profile", None), "language", "")
    return language if language in ("ko", "en") else settings.LANGUAGE_CODE


# --- periods -----------------------------------------------------------------------------------


def digest_period(frequency: str, now: datetime.datetime) -> tuple[str, datetime.datetime, datetime.datetime]:
    """The period a digest sent `now` covers: yesterday (daily) or last ISO week (weekly)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Subscription.Frequency.DAILY:
        start = today - datetime.timedelta(days=1)
        return start.date().isoformat(), start, today
    monday = today - datetime.timedelta(days=today.weekday())
    start = monday - datetime.timedelta(days=7)
    return week_key(start.date()), start, monday


def channels_of(subscription: Subscription) -> list[str]:
    channels = []
    if subscription.by_email and subscription.user.email:
        channels.append(Delivery.Channel.EMAIL)
    if subscription.webhook_url:
        channels.append(Delivery.Channel.WEBHOOK)
    return channels


def plan_deliveries(now: datetime.datetime | None = None) -> int:
    """Write this period's deliveries that do not exist yet; returns how many are to be sent.
    The period is the hub's present (`clock`, pinned in the demo); sending times are real time."""
    now = now or clock.now()
    if timezone.localtime(now).hour < settings.SEOULHUB_DIGEST_HOUR:
        return 0
    planned = 0
    subscriptions = Subscription.objects.filter(user__is_active=True).select_related("user", "user__profile")
    for subscription in subscriptions:
        frequency = digest_frequency(subscription)
        if frequency == Subscription.Frequency.OFF:
            continue
        period, since, until = digest_period(frequency, now)
        done = set(
            Delivery.objects.filter(subscription=subscription, frequency=frequency, period=period).values_list(
                "channel", flat=True
            )
        )
        todo = [channel for channel in channels_of(subscription) if channel not in done]
        if not todo:
            continue
        count = build_digest(subscription, frequency, period, since, until).item_count
        for channel in todo:
            try:
                with transaction.atomic():
                    Delivery.objects.create(
                        subscription=subscription,
                        channel=channel,
                        frequency=frequency,
                        period=period,
                        since=since,
                        until=until,
                        item_count=count,
                        next_attempt_at=now if count else None,
                        status=Delivery.Status.PENDING if count else Delivery.Status.EMPTY,
                    )
            except IntegrityError:  # planned meanwhile by a concurrent run
                continue
            planned += bool(count)
    return planned


def due_deliveries(now: datetime.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )


# --- rendering ---------------------------------------------------------------------------------


def _context(subscription: Subscription, digest: Digest) -> dict:
    return {
        "subscription": subscription,
        "digest": digest,
        "matches": digest.matches,
        "briefings": [(b, absolute(reverse("landscape:briefing", args=[b.pk]))) for b in digest.briefings],
        "deadlines": [(p, absolute(p.get_absolute_url())) for p in digest.deadlines],
        "since": digest.since,
        "until": digest.until - datetime.timedelta(seconds=1),
        "settings_url": absolute(reverse("alerts:index")),
        "feed_url": absolute(reverse("alerts:feed", args=[subscription.feed_token])),
    }


def render_email(subscription: Subscription, digest: Digest) -> tuple[str, str, str]:
    context = _context(subscription, digest)
    # Plain text (the template turns autoescaping off), on one line: a header cannot hold a line break.
    subject = " ".join(render_to_string("alerts/digest_subject.txt", context).split())
    return subject, render_to_string("alerts/digest.txt", context), render_to_string("alerts/digest.html", context)


def _slack(text: str) -> str:
    # Slack's mrkdwn reads &, < and > as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_payload(subscription: Subscription, digest: Digest) -> dict:
    """Slack incoming-webhook JSON: `text` (all that Teams and most Korean tools read) and `blocks`."""
    context = _context(subscription, digest)
    subject = " ".join(render_to_string("alerts/digest_subject.txt", context).split())
    lines = []
    for match in digest.matches[:WEBHOOK_ITEMS]:
        line = f"• <{match.url}|{_slack(match.article.title)}> — {_slack(match.article.source.name)}"
        if match.snippet:
            line += "\n  " + _slack(match.snippet[:200])
        lines.append(line)
    for briefing, url in context["briefings"]:
        lines.append(
            "• <%s|%s>"
            % (
                url,
                _slack(
                    _("Landscape briefing: %(tech)s, week %(week)s")
                    % {"tech": briefing.technology.name, "week": briefing.week}
                ),
            )
        )
    for programme, url in context["deadlines"]:
        lines.append(
            "• <%s|%s>"
            % (
                url,
                _slack(
                    _("Closes %(date)s: %(title)s")
                    % {"date": programme.closes_on.isoformat(), "title": programme.title}
                ),
            )
        )
    footer = _("Change what you follow: %(url)s") % {"url": context["settings_url"]}
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": subject[:150]}}]
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": line[:3000]}} for line in lines[:46]]
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    return {"text": "\n".join([subject, *lines, footer]), "blocks": blocks}


# --- sending -----------------------------------------------------------------------------------


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SEOULHUB_ALERT_RETRY_SECONDS * 2 ** (attempts - 1))


def _failure_words(exc: Exception) -> str:
    if isinstance(exc, NotDeliverable):
        return str(exc)
    if isinstance(exc, webhook.WebhookError):
        return _("The webhook did not take the digest: %(reason)s") % {"reason": exc}
    if isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException):  # SMTP errors are OSErrors too
        return _("The mail server could not be reached: %(reason)s") % {"reason": exc.strerror or exc}
    return _("The mail server refused the digest: %(reason)s") % {"reason": exc}


def send_delivery(delivery_id: int, now: datetime.datetime | None = None) -> str:
    """Send one due delivery; returns what happened ("sent", "retry", "failed", "empty", "not due")."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at=None),
        pk=delivery_id,
        status=Delivery.Status.PENDING,
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return "not due"
    delivery = Delivery.objects.select_related("subscription__user").get(pk=delivery_id)
    subscription = delivery.subscription
    try:
        digest = build_digest(subscription, delivery.frequency, delivery.period, delivery.since, delivery.until)
        if not digest.item_count:
            Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.EMPTY, next_attempt_at=None)
            return "empty"
        with translation.override(recipient_language(subscription.user)):
            if delivery.channel == Delivery.Channel.EMAIL:
                subject, text, html = render_email(subscription, digest)
            else:
                payload = webhook_payload(subscription, digest)
        if delivery.channel == Delivery.Channel.EMAIL:
            if not subscription.user.email:
                raise NotDeliverable(_("Your account has no e-mail address."))
            message = EmailMultiAlternatives(subject, text, to=[subscription.user.email])
            message.attach_alternative(html, "text/html")
            message.send()
        else:
            if not subscription.webhook_url:
                raise NotDeliverable(_("No webhook address is set any more."))
            webhook.post(subscription.webhook_url, payload)
    except Exception as exc:  # whatever went wrong is recorded, shown to the subscriber and retried
        logger.info("delivery %s failed: %s", delivery.pk, exc)
        attempts = delivery.attempts + 1
        gave_up = attempts >= settings.SEOULHUB_ALERT_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            last_error=_failure_words(exc)[:2000],
            status=Delivery.Status.FAILED if gave_up else Delivery.Status.PENDING,
            next_attempt_at=None if gave_up else now + _backoff(attempts),
        )
        return "failed" if gave_up else "retry"
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        attempts=delivery.attempts + 1,
        item_count=digest.item_count,
        last_error="",
        next_attempt_at=None,
    )
    return "sent"


def send_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Plan and send everything due, in this process (the command without --enqueue; tests)."""
    now = now or timezone.now()
    planned = plan_deliveries(now)
    outcomes: dict[str, int] = {"planned": planned}
    for delivery_id in due_deliveries(now):
        outcome = send_delivery(delivery_id, now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
