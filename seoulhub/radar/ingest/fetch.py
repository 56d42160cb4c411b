"""Safe feed fetching with httpx (settings are passed in by the task; only gettext comes from Django).

* SSRF guard: every hop's host is resolved first and refused if any address is loopback,
  private, link-local (incl. 169.254.169.254 metadata), multicast, reserved or otherwise not
  global — unless the host or address is on the operator's allow-list. The connection then goes
  to the checked address (Host header and TLS SNI keep the name), so a second DNS answer
  cannot swap in an internal address (DNS rebinding).
* Redirects are followed by hand (at most MAX_REDIRECTS), each hop checked again.
* Conditional GET (ETag / Last-Modified), gzip/deflate (decoded here, piece by piece, so a
  compressed body cannot unpack past the size cap: inflate.py), a size cap on the decoded body,
  per-read timeouts, per-host politeness (one request at a time per host, a minimum delay
  between them), retries with exponential backoff on connection errors, 429 and 5xx.
* One deadline bounds the whole fetch (redirects, retries, waiting for the host, every read),
  as Miniflux bounds its exchange: a server that drips one byte a second cannot hold a worker
  or the host's turn past it. Every socket read and write gets at most the time left.
Errors are FetchError with a message a person can act on, in the active language (the worker's is
settings.LANGUAGE_CODE, Korean), because it is stored on the source and shown on Korean pages.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx
from django.utils.translation import gettext as _

from .inflate import Damaged, Inflater, TooLarge

USER_AGENT = "SeoulDigitalHub-Radar/0.1 (+https://github.com/seoulhub; feed reader)"
MAX_REDIRECTS = 5
DECODED_ENCODINGS = ("gzip", "deflate")
RETRY_STATUSES = {429, 500, 502, 503, 504}
METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class FetchError(Exception):
    """A fetch that did not give a usable body; str() says why in words."""


class FetchRefused(FetchError):
    """The SSRF guard refused the address (not retried)."""


@dataclass
class FetchResult:
    url: str  # the final URL after redirects
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    redirects: list[str] = field(default_factory=list)
    location: str = ""  # of a redirect answer

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _parse_allow(entries) -> tuple[set[str], list]:
    hosts, networks = set(), []
    for entry in entries or []:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower().rstrip("."))
    return hosts, networks


NAT64_NETWORKS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address | None]:
    """(kind, IPv4 address) an IPv6 address carries inside it and reaches through a relay or
    translator (6to4, Teredo, NAT64, IPv4-compatible), or ("", None)."""
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]
    if any(ip in net for net in NAT64_NETWORKS):
        return "NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in IPV4_COMPATIBLE and int(ip) > 1:
        return "IPv4-compatible", ipaddress.IPv4Address(int(ip))
    return "", None


def address_problem(ip) -> str:
    """Why connecting to `ip` is refused, or "" when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address):
        kind, inner = _embedded_ipv4(ip)
        if inner is not None and (inner_problem := address_problem(inner)):
            return _("a %(kind)s address that embeds %(inner)s (%(problem)s)") % {
                "kind": kind,
                "inner": inner,
                "problem": inner_problem,
            }
    if ip in METADATA_ADDRESSES:
        return _("a cloud metadata address")
    for test, words in (
        ("is_unspecified", _("an unspecified address")),
        ("is_loopback", _("a loopback address")),
        ("is_link_local", _("a link-local address")),
        ("is_private", _("a private-network address")),
        ("is_multicast", _("a multicast address")),
        ("is_reserved", _("a reserved address")),
    ):
        if getattr(ip, test):
            return words
    if not ip.is_global:
        return _("a non-public address")
    return ""


class Fetcher:
    """One fetcher per process (it keeps the per-host politeness clock)."""

    def __init__(
        self,
        *,
        allow=(),
        max_bytes: int = 5 * 1024 * 1024,
        timeout: float = 20.0,
        deadline: float = 20.0,
        min_host_delay: float = 1.0,
        retries: int = 2,
        backoff: float = 1.0,
        resolver=None,
        sleep=time.sleep,
        allow_setting: str | None = "SEOULHUB_FETCH_ALLOW",
    ):
        self.allow_hosts, self.allow_networks = _parse_allow(allow)
        self.allow_setting = allow_setting  # named in refusals, for the operator who can change it
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.deadline = deadline
        self.min_host_delay = min_host_delay
        self.retries = retries
        self.backoff = backoff
        self._resolve = resolver or self._getaddrinfo
        self._sleep = sleep
        self._host_locks: dict[str, threading.Lock] = {}
        self._host_last: dict[str, float] = {}
        self._guard = threading.Lock()

    # --- SSRF guard -------------------------------------------------------------------
    @staticmethod
    def _getaddrinfo(host: str, port: int) -> list[str]:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError(
                _("the host name %(host)s could not be resolved (%(reason)s)") % {"host": host, "reason": exc.strerror}
            ) from exc
        return list(dict.fromkeys(info[4][0] for info in infos))

    def _allowed(self, host: str, ip) -> bool:
        if host.lower().rstrip(".") in self.allow_hosts:
            return True
        return any(ip in net for net in self.allow_networks if net.version == ip.version)

    def check_url(self, url: str) -> tuple[str, str]:
        """(host, address to connect to) for `url`, or FetchRefused/FetchError in words."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(
                _("only http and https URLs can be fetched, not %(scheme)s")
                % {"scheme": repr(parts.scheme) if parts.scheme else _("a URL without a scheme")}
            )
        host = parts.hostname
        if not host:
            raise FetchRefused(_("the URL %(url)r has no host name") % {"url": url})
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            literal = ipaddress.ip_address(host)
            addresses = [str(literal)]
        except ValueError:
            addresses = self._resolve(host, port)
        if not addresses:
            raise FetchError(_("the host name %(host)s has no address") % {"host": host})
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            problem = address_problem(ip)
            if problem and not self._allowed(host, ip):
                target = host if host == address else f"{host} ({address})"
                message = _("refused to connect to %(target)s: it is %(problem)s") % {
                    "target": target,
                    "problem": problem,
                }
                if self.allow_setting:
                    message += _("; an operator can allow it with %(setting)s") % {"setting": self.allow_setting}
                raise FetchRefused(message)
        return host, addresses[0]

    # --- politeness -------------------------------------------------------------------
    def _host_lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def _wait_turn(self, host: str, deadline: float) -> None:
        last = self._host_last.get(host)
        if last is not None:
            wait = min(self.min_host_delay - (time.monotonic() - last), deadline - time.monotonic())
            if wait > 0:
                self._sleep(wait)

    def _past_deadline(self, url: str) -> FetchError:
        return FetchError(
            _("%(url)s did not finish within %(seconds)s seconds, the limit for one fetch (SEOULHUB_FETCH_DEADLINE)")
            % {"url": url, "seconds": f"{self.deadline:g}"}
        )

    # --- fetching ---------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
        redirects: list[str] = []
        current = url
        deadline = time.monotonic() + self.deadline
        transport = httpx.HTTPTransport(retries=0)
        # httpx has no public way to hand its connection pool a network backend; the pool reads
        # this attribute for every connection it opens (httpcore 1.x). tests/radar/test_feed_limits.py
        # fails if a new version stops honouring it.
        transport._pool._network_backend = _DeadlineBackend(deadline)
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False, transport=transport) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                host, address = self.check_url(current)
                response = self._request_with_retries(client, current, host, address, etag, last_modified, deadline)
                if response.status in (301, 302, 303, 307, 308):
                    location = response.location
                    if not location:
                        raise FetchError(
                            _("%(url)s answered with a redirect (%(status)s) but no Location")
                            % {"url": current, "status": response.status}
                        )
                    current = urljoin(current, location)
                    redirects.append(current)
                    continue
                response.url = current
                response.redirects = redirects
                return response
        raise FetchError(_("%(url)s redirected more than %(count)s times") % {"url": url, "count": MAX_REDIRECTS})

    def _request_with_retries(self, client, url, host, address, etag, last_modified, deadline) -> FetchResult:
        attempt = 0
        while True:
            pause = self.backoff * (2**attempt)
            try:
                result = self._request(client, url, host, address, etag, last_modified, deadline)
            except FetchRefused:
                raise
            except FetchError as exc:
                if self._last_try(attempt, pause, deadline) or not getattr(exc, "retryable", False):
                    raise
            else:
                if result.status not in RETRY_STATUSES or self._last_try(attempt, pause, deadline):
                    if result.status in RETRY_STATUSES or result.status >= 400:
                        if result.status == 429:
                            raise FetchError(
                                _("%(url)s answered HTTP %(status)s (too many requests)")
                                % {"url": url, "status": result.status}
                            )
                        raise FetchError(_("%(url)s answered HTTP %(status)s") % {"url": url, "status": result.status})
                    return result
            self._sleep(pause)
            attempt += 1

    def _last_try(self, attempt: int, pause: float, deadline: float) -> bool:
        # No retry that would start after the deadline: the last error is the answer.
        return attempt >= self.retries or time.monotonic() + pause >= deadline

    def _request(self, client, url, host, address, etag, last_modified, deadline) -> FetchResult:
        parts = urlsplit(url)
        port = parts.port
        ip_host = f"[{address}]" if ":" in address else address
        netloc = f"{ip_host}:{port}" if port else ip_host
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        headers = {
            "User-Agent": USER_AGENT,
            "Accept-Encoding": ", ".join(DECODED_ENCODINGS),
            "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
            "application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
            "Host": parts.netloc.rsplit("@", 1)[-1],
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        lock = self._host_lock(host)
        if not lock.acquire(timeout=max(deadline - time.monotonic(), 0)):
            raise self._past_deadline(url)  # another fetch from the same host held it all the time
        try:
            self._wait_turn(host, deadline)
            try:
                request = client.build_request("GET", pinned, headers=headers, extensions=extensions)
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline:
                    raise self._past_deadline(url) from exc
                raise _retryable(
                    _("%(url)s did not answer within %(seconds)s seconds")
                    % {"url": url, "seconds": f"{self.timeout:g}"}
                ) from exc
            except httpx.TransportError as exc:
                raise _retryable(
                    _("could not connect to %(host)s: %(reason)s")
                    % {"host": host, "reason": f"{exc.__class__.__name__} {exc}"}
                ) from exc
            try:
                if response.status_code in (301, 302, 303, 307, 308):
                    return FetchResult(url, response.status_code, location=response.headers.get("location", ""))
                if response.status_code != 200:
                    return FetchResult(url, response.status_code)
                declared = response.headers.get("content-length", "")
                if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(
                        _("%(url)s is %(size)s bytes, over the %(limit)s-byte limit")
                        % {"url": url, "size": f"{int(declared):,}", "limit": f"{self.max_bytes:,}"}
                    )
                body = self._read_body(url, response, deadline)
                return FetchResult(
                    url,
                    200,
                    body,
                    response.headers.get("content-type", ""),
                    response.headers.get("etag", ""),
                    response.headers.get("last-modified", ""),
                )
            finally:
                response.close()
        finally:
            self._host_last[host] = time.monotonic()
            lock.release()

    def _read_body(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        """The body, decoded, refused past max_bytes whether it arrives compressed or not."""
        encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",")]
        encodings = [e for e in encodings if e and e != "identity"]
        if len(encodings) > 1 or (encodings and encodings[0] not in DECODED_ENCODINGS + ("x-gzip",)):
            raise FetchError(
                _(
                    "%(url)s sent its body encoded as %(encoding)s, which the hub does not read "
                    "(it asks for %(accepted)s)"
                )
                % {"url": url, "encoding": ", ".join(encodings), "accepted": ", ".join(DECODED_ENCODINGS)}
            )
        inflater = Inflater(encodings[0], self.max_bytes) if encodings else None
        too_large = FetchError(
            _("%(url)s is larger than the %(limit)s-byte limit") % {"url": url, "limit": f"{self.max_bytes:,}"}
        )
        body = bytearray()
        received = 0
        try:
            # Raw bytes, decoded here: httpx would unpack a whole network chunk at once (about
            # 1,000 times its size for a gzip bomb) before the size could be checked.
            for chunk in response.iter_raw():
                received += len(chunk)
                if received > self.max_bytes:
                    raise too_large
                body += inflater.feed(chunk) if inflater else chunk
                if len(body) > self.max_bytes:
                    raise too_large
            if inflater:
                inflater.finish()
        except TooLarge as exc:
            raise too_large from exc
        except Damaged as exc:
            raise FetchError(
                _("%(url)s sent a body that could not be decompressed: %(reason)s") % {"url": url, "reason": exc}
            ) from exc
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline:
                raise self._past_deadline(url) from exc
            raise _retryable(
                _("%(url)s stopped sending within %(seconds)s seconds") % {"url": url, "seconds": f"{self.timeout:g}"}
            ) from exc
        except httpx.TransportError as exc:
            raise _retryable(
                _("%(url)s broke off while sending: %(reason)s")
                % {"url": url, "reason": f"{exc.__class__.__name__} {exc}"}
            ) from exc
        return bytes(body)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write gets at most the time left before the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self._stream = stream
        self._deadline = deadline

    def _time_left(self, timeout: float | None, error) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("the fetch deadline has passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        tls = self._stream.start_tls(ssl_context, server_hostname, self._time_left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def __init__(self, deadline: float):
        self._deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the fetch deadline has passed")
        stream = super().connect_tcp(
            host, port, left if timeout is None else min(timeout, left), local_address, socket_options
        )
        return _DeadlineStream(stream, self._deadline)


def _retryable(message: str) -> FetchError:
    error = FetchError(message)
    error.retryable = True
    return error
