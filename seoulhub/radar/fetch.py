"""Safe feed fetching with httpx (no Django import; settings are passed in by the task).

* SSRF guard: every hop's host is resolved first and refused if any address is loopback,
  private, link-local (incl. 169.254.169.254 metadata), multicast, reserved or otherwise not
  global — unless the host or address is on the operator's allow-list. The connection then goes
  to the checked address (Host header and TLS SNI keep the name), so a second DNS answer
  cannot swap in an internal address (DNS rebinding).
* Redirects are followed by hand (at most MAX_REDIRECTS), each hop checked again.
* Conditional GET (ETag / Last-Modified), gzip/deflate (httpx decodes), a response-size cap on
  the decoded body, timeouts, per-host politeness (one request at a time per host, a minimum
  delay between them), retries with exponential backoff on connection errors, 429 and 5xx.
Errors are FetchError with a message a person can act on.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

USER_AGENT = "SeoulDigitalHub-Radar/0.1 (+https://github.com/seoulhub; feed reader)"
MAX_REDIRECTS = 5
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


def address_problem(ip) -> str:
    """Why connecting to `ip` is refused, or "" when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for test, words in (("is_unspecified", "an unspecified address"), ("is_loopback", "a loopback address"),
                        ("is_link_local", "a link-local address"), ("is_private", "a private-network address"),
                        ("is_multicast", "a multicast address"), ("is_reserved", "a reserved address")):
        if getattr(ip, test):
            return words
    if not ip.is_global:
        return "a non-public address"
    return ""


class Fetcher:
    """One fetcher per process (it keeps the per-host politeness clock)."""

    def __init__(self, *, allow=(), max_bytes: int = 5 * 1024 * 1024, timeout: float = 20.0,
                 min_host_delay: float = 1.0, retries: int = 2, backoff: float = 1.0,
                 resolver=None, sleep=time.sleep):
        self.allow_hosts, self.allow_networks = _parse_allow(allow)
        self.max_bytes = max_bytes
        self.timeout = timeout
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
            raise FetchError(f"the host name {host} could not be resolved ({exc.strerror})") from exc
        return list(dict.fromkeys(info[4][0] for info in infos))

    def _allowed(self, host: str, ip) -> bool:
        if host.lower().rstrip(".") in self.allow_hosts:
            return True
        return any(ip in net for net in self.allow_networks if net.version == ip.version)

    def check_url(self, url: str) -> tuple[str, str]:
        """(host, address to connect to) for `url`, or FetchRefused/FetchError in words."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(f"only http and https URLs can be fetched, not {parts.scheme or 'no scheme'!r}")
        host = parts.hostname
        if not host:
            raise FetchRefused(f"the URL {url!r} has no host name")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            literal = ipaddress.ip_address(host)
            addresses = [str(literal)]
        except ValueError:
            addresses = self._resolve(host, port)
        if not addresses:
            raise FetchError(f"the host name {host} has no address")
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            problem = address_problem(ip)
            if problem and not self._allowed(host, ip):
                raise FetchRefused(
                    f"refused to connect to {host} ({address}): it is {problem}; an operator can allow it "
                    f"with SEOULHUB_FETCH_ALLOW")
        return host, addresses[0]

    # --- politeness -------------------------------------------------------------------
    def _host_lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def _wait_turn(self, host: str) -> None:
        last = self._host_last.get(host)
        if last is not None:
            wait = self.min_host_delay - (time.monotonic() - last)
            if wait > 0:
                self._sleep(wait)

    # --- fetching ---------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
        redirects: list[str] = []
        current = url
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                host, address = self.check_url(current)
                response = self._request_with_retries(client, current, host, address, etag, last_modified)
                if response.status in (301, 302, 303, 307, 308):
                    location = response.location
                    if not location:
                        raise FetchError(f"{current} answered with a redirect ({response.status}) but no Location")
                    current = urljoin(current, location)
                    redirects.append(current)
                    continue
                response.url = current
                response.redirects = redirects
                return response
        raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times")

    def _request_with_retries(self, client, url, host, address, etag, last_modified) -> FetchResult:
        attempt = 0
        while True:
            try:
                result = self._request(client, url, host, address, etag, last_modified)
            except FetchRefused:
                raise
            except FetchError as exc:
                if attempt >= self.retries or not getattr(exc, "retryable", False):
                    raise
            else:
                if result.status not in RETRY_STATUSES or attempt >= self.retries:
                    if result.status in RETRY_STATUSES or result.status >= 400:
                        raise FetchError(f"{url} answered HTTP {result.status}" +
                                         (" (too many requests)" if result.status == 429 else ""))
                    return result
            self._sleep(self.backoff * (2 ** attempt))
            attempt += 1

    def _request(self, client, url, host, address, etag, last_modified) -> FetchResult:
        parts = urlsplit(url)
        port = parts.port
        ip_host = f"[{address}]" if ":" in address else address
        netloc = f"{ip_host}:{port}" if port else ip_host
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
                   "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                             "application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
                   "Host": parts.netloc.rsplit("@", 1)[-1]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        lock = self._host_lock(host)
        with lock:
            self._wait_turn(host)
            try:
                request = client.build_request("GET", pinned, headers=headers, extensions=extensions)
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise _retryable(f"{url} did not answer within {self.timeout:g} seconds") from exc
            except httpx.TransportError as exc:
                raise _retryable(f"could not connect to {host}: {exc.__class__.__name__} {exc}") from exc
            finally:
                self._host_last[host] = time.monotonic()
            try:
                if response.status_code in (301, 302, 303, 307, 308):
                    return FetchResult(url, response.status_code, location=response.headers.get("location", ""))
                if response.status_code != 200:
                    return FetchResult(url, response.status_code)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes * 20:
                    raise FetchError(f"{url} is {int(declared):,} bytes, over the {self.max_bytes:,}-byte limit")
                body = bytearray()
                try:
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > self.max_bytes:
                            raise FetchError(f"{url} is larger than the {self.max_bytes:,}-byte limit")
                except httpx.DecodingError as exc:
                    raise FetchError(f"{url} sent a body that could not be decompressed: {exc}") from exc
                except httpx.TimeoutException as exc:
                    raise _retryable(f"{url} stopped sending within {self.timeout:g} seconds") from exc
                return FetchResult(url, 200, bytes(body), response.headers.get("content-type", ""),
                                   response.headers.get("etag", ""), response.headers.get("last-modified", ""))
            finally:
                response.close()


def _retryable(message: str) -> FetchError:
    error = FetchError(message)
    error.retryable = True
    return error
