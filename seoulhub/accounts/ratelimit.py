"""A small fixed-window rate limiter on Django's cache (per process in development,
shared when CACHES points to Redis in production), and the one answer to "which client sent
this request" (client_ip) that every limit and log uses."""

import functools
import ipaddress
import time

from django.conf import settings
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
    """The address of the client that sent `request`.

    REMOTE_ADDR is the client unless it is a trusted proxy (settings.SEOULHUB_TRUSTED_PROXIES).
    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the header is read from the right, past the trusted proxies; anything further left was
    written by the client and may be invented. With no trusted proxy the header is ignored."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    trusted = settings.SEOULHUB_TRUSTED_PROXIES
    if not trusted:
        return remote
    forwarded = [_address(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [a for a in forwarded if a] + [remote]  # nearest last
    if isinstance(trusted, int):
        return hops[-min(trusted + 1, len(hops))]
    networks = _networks(tuple(trusted))
    for hop in reversed(hops):
        if not _in_networks(hop, networks):
            return hop
    return hops[0]  # every hop is a trusted proxy: the request started inside


def _address(part: str) -> str:
    """An X-Forwarded-For entry without the port some proxies add ("1.2.3.4:5678", "[::1]:80")."""
    part = part.strip()
    if part.startswith("["):
        part = part[1:].split("]", 1)[0]
    elif part.count(":") == 1:
        part = part.split(":", 1)[0]
    # It becomes part of cache keys: keep the characters an address can have.
    return "".join(ch for ch in part if ch.isascii() and (ch.isalnum() or ch in ".:-_"))[:64]


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _in_networks(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks if network.version == ip.version)


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AnonymousApiThrottle(SimpleRateThrottle):
    """API requests without a user, counted per client address."""

    scope = "anon"

    def get_ident(self, request):
        # ninja's own reading trusts every X-Forwarded-For unless NUM_PROXIES is set.
        return client_ip(request)

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
