"""Kept for migration 0002, which names this default; subscriptions live in seoulhub.alerts."""

from seoulhub.alerts.models import new_feed_token  # noqa: F401
