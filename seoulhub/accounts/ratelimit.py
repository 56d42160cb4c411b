"""A small fixed-window rate limiter on Django's cache (per process in development,
shared when CACHES points to Redis in production)."""

import time

from django.core.cache import cache
from ninja.throttling import SimpleRateThrottle


def hit(key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one attempt; True while the caller is within `limit` attempts per window.

    A sliding-window counter: the previous fixed window still counts in proportion to how
    much of it overlaps the last `window_seconds`, so a burst that straddles a window
    boundary cannot get twice the limit (a plain fixed window let it)."""
    now = time.time() if now is None else now
    window, into_window = divmod(now, window_seconds)
    current = _increment(f"ratelimit:{key}:{int(window)}", timeout=2 * window_seconds + 1)
    previous = cache.get(f"ratelimit:{key}:{int(window) - 1}", 0)
    overlap = 1 - into_window / window_seconds
    return previous * overlap + current <= limit


def _increment(bucket: str, timeout: int) -> int:
    if cache.add(bucket, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=timeout)
        return 1


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AnonymousApiThrottle(SimpleRateThrottle):
    """API requests without a user, counted per client address."""

    scope = "anon"

    def get_cache_key(self, request):
        if _user(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserApiThrottle(SimpleRateThrottle):
    """API requests with a token or session, counted per user."""

    scope = "user"

    def get_cache_key(self, request):
        user = _user(request)
        if user is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
