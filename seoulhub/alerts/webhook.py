"""Posting a digest to a Slack-compatible incoming webhook.

The address is checked with the radar fetcher's guard (seoulhub.radar.ingest.fetch): a private, loopback,
link-local or cloud-metadata address is refused when the user enters it and again when sending
(a name can resolve elsewhere later), and the request goes to the address that was checked.
SEOULHUB_WEBHOOK_ALLOW lists exceptions (tests allow 127.0.0.1)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from seoulhub.radar.ingest.fetch import USER_AGENT, Fetcher, FetchError


class WebhookError(Exception):
    """The webhook could not be reached or refused the message; str() says why, in words."""


def _guard() -> Fetcher:
    # No setting named in refusals: the subscriber reading them cannot change it.
    return Fetcher(allow=settings.SEOULHUB_WEBHOOK_ALLOW, timeout=settings.SEOULHUB_WEBHOOK_TIMEOUT, allow_setting=None)


def check_webhook_url(url: str) -> tuple[str, str]:
    """(host, address) of a webhook URL, or WebhookError saying why it is refused."""
    if len(url) > 500:
        raise WebhookError(_("the address is longer than 500 characters"))
    try:
        return _guard().check_url(url)
    except FetchError as exc:
        raise WebhookError(str(exc)) from exc
    except ValueError as exc:  # urlsplit: "http://[::1", a port over 65535 ...
        raise WebhookError(_("it is not a valid web address")) from exc


def post(url: str, payload: dict) -> int:
    """POST the JSON payload; returns the HTTP status (2xx), else WebhookError."""
    host, address = check_webhook_url(url)
    parts = urlsplit(url)
    ip_host = f"[{address}]" if ":" in address else address
    netloc = f"{ip_host}:{parts.port}" if parts.port else ip_host
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    headers = {"User-Agent": USER_AGENT, "Host": parts.netloc.rsplit("@", 1)[-1]}
    try:
        with httpx.Client(timeout=settings.SEOULHUB_WEBHOOK_TIMEOUT, follow_redirects=False, trust_env=False) as client:
            request = client.build_request("POST", pinned, json=payload, headers=headers, extensions=extensions)
            response = client.send(request)
    except httpx.TimeoutException as exc:
        raise WebhookError(
            _("the webhook did not answer within %(seconds)s seconds")
            % {"seconds": f"{settings.SEOULHUB_WEBHOOK_TIMEOUT:g}"}
        ) from exc
    except httpx.HTTPError as exc:
        raise WebhookError(
            _("could not connect to %(host)s: %(reason)s") % {"host": host, "reason": exc.__class__.__name__}
        ) from exc
    if not 200 <= response.status_code < 300:
        raise WebhookError(_("the webhook answered HTTP %(status)s") % {"status": response.status_code})
    return response.status_code
