"""The fetcher against a real HTTP server on 127.0.0.1: SSRF guard, redirects, conditional GET,
gzip, size cap, retries with backoff, politeness."""

import ipaddress
import time

import pytest
from django.utils import translation

from seoulhub.radar.ingest.fetch import Fetcher, FetchError, FetchRefused, address_problem

from .conftest import fixture_bytes, gzipped


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source wording; the stored and shown text is Korean by default
    (test_error_language.py, test_import_language.py, test_support_pages.py)."""
    with translation.override("en"):
        yield


RSS = fixture_bytes("netnewswire/cloudblog.rss")


def local_fetcher(**kw):
    kw.setdefault("allow", ["127.0.0.1"])
    kw.setdefault("min_host_delay", 0.0)
    kw.setdefault("backoff", 0.01)
    return Fetcher(**kw)


def test_loopback_is_refused_without_allow_list(feed_server):
    feed_server.routes["/feed"] = (200, {}, RSS)
    with pytest.raises(FetchRefused, match="loopback"):
        Fetcher().fetch(feed_server.url("/feed"))
    assert feed_server.hits == {}  # refused before connecting


@pytest.mark.parametrize(
    "address,words",
    [
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "metadata"),
        ("fe80::1", "link-local"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
    ],
)
def test_internal_addresses_are_named(address, words):
    assert words in address_problem(ipaddress.ip_address(address))


def test_public_address_has_no_problem():
    assert address_problem(ipaddress.ip_address("8.8.8.8")) == ""


def test_host_is_checked_after_dns_resolution():
    fetcher = Fetcher(resolver=lambda host, port: ["10.0.0.7"])
    with pytest.raises(FetchRefused, match=r"feeds\.example\.org \(10\.0\.0\.7\).*private"):
        fetcher.fetch("http://feeds.example.org/rss")


def test_any_internal_answer_among_several_is_refused():
    fetcher = Fetcher(resolver=lambda host, port: ["93.184.215.14", "127.0.0.1"])
    with pytest.raises(FetchRefused):
        fetcher.check_url("https://mixed.example.org/feed")


def test_non_http_scheme_is_refused():
    with pytest.raises(FetchRefused, match="only http and https"):
        Fetcher().fetch("file:///etc/passwd")


def test_allow_list_lets_operator_fetch_local_feed(feed_server):
    feed_server.routes["/feed"] = (200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, RSS)
    result = local_fetcher().fetch(feed_server.url("/feed"))
    assert result.status == 200 and result.content == RSS and result.etag == '"v1"'


def test_redirect_is_followed_and_each_hop_checked(feed_server):
    feed_server.routes["/old"] = (301, {"Location": "/new"}, b"")
    feed_server.routes["/new"] = (200, {}, RSS)
    result = local_fetcher().fetch(feed_server.url("/old"))
    assert result.content == RSS and result.url == feed_server.url("/new")
    # A redirect to an address off the allow-list is refused, even from an allowed host.
    feed_server.routes["/evil"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    with pytest.raises(FetchRefused, match="metadata"):
        local_fetcher().fetch(feed_server.url("/evil"))


def test_redirect_loop_is_bounded(feed_server):
    feed_server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="redirected more than"):
        local_fetcher().fetch(feed_server.url("/loop"))
    assert feed_server.hits["/loop"] == 6


def test_conditional_get_returns_not_modified(feed_server):
    def route(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Wed, 01 Oct 2025 00:00:00 GMT"}, RSS

    feed_server.routes["/feed"] = route
    fetcher = local_fetcher()
    first = fetcher.fetch(feed_server.url("/feed"))
    second = fetcher.fetch(feed_server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    assert feed_server.requests[-1]["headers"]["If-Modified-Since"] == "Wed, 01 Oct 2025 00:00:00 GMT"


def test_gzip_body_is_decoded(feed_server):
    feed_server.routes["/gz"] = (200, {"Content-Encoding": "gzip"}, gzipped(RSS))
    assert local_fetcher().fetch(feed_server.url("/gz")).content == RSS


def test_size_cap_applies_to_decoded_body(feed_server):
    bomb = gzipped(b"<rss>" + b" " * 2_000_000)  # small on the wire, 2 MB decoded
    feed_server.routes["/bomb"] = (200, {"Content-Encoding": "gzip"}, bomb)
    with pytest.raises(FetchError, match="larger than the 100,000-byte limit"):
        local_fetcher(max_bytes=100_000).fetch(feed_server.url("/bomb"))


def test_server_errors_are_retried_with_backoff(feed_server):
    calls = []

    def flaky(handler):
        calls.append(1)
        return (503, {}, b"busy") if len(calls) < 3 else (200, {}, RSS)

    feed_server.routes["/flaky"] = flaky
    sleeps = []
    result = local_fetcher(retries=2, backoff=0.5, sleep=sleeps.append).fetch(feed_server.url("/flaky"))
    assert result.content == RSS and len(calls) == 3
    assert sleeps == [0.5, 1.0]  # exponential


def test_persistent_error_is_reported_in_words(feed_server):
    feed_server.routes["/gone"] = (410, {}, b"")
    with pytest.raises(FetchError, match="answered HTTP 410"):
        local_fetcher().fetch(feed_server.url("/gone"))


def test_connection_refused_is_reported_in_words():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens
    with pytest.raises(FetchError, match="could not connect to 127.0.0.1"):
        local_fetcher(retries=1).fetch(f"http://127.0.0.1:{port}/feed")


def test_same_host_requests_keep_minimum_delay(feed_server):
    feed_server.routes["/a"] = (200, {}, b"a")
    fetcher = local_fetcher(min_host_delay=0.3)
    start = time.monotonic()
    fetcher.fetch(feed_server.url("/a"))
    fetcher.fetch(feed_server.url("/a"))
    assert time.monotonic() - start >= 0.3


def test_redirect_to_a_name_that_resolves_inside_is_refused(feed_server):
    """DNS rebinding through a redirect: an allowed feed redirects to a public-looking name whose
    DNS answer is internal. The hop's name is resolved and checked before any connection."""

    def resolver(host, port):
        return ["127.0.0.1"] if host == "127.0.0.1" else ["10.20.30.40"]

    feed_server.routes["/rebind"] = (302, {"Location": "http://feeds.rebind.example/rss"}, b"")
    with pytest.raises(FetchRefused, match=r"feeds\.rebind\.example \(10\.20\.30\.40\).*private"):
        local_fetcher(resolver=resolver).fetch(feed_server.url("/rebind"))
    assert feed_server.hits.get("/rebind") == 1


def test_an_ipv6_literal_inside_is_refused():
    with pytest.raises(FetchRefused, match="loopback"):
        Fetcher().fetch("http://[::1]:8000/feed")
    with pytest.raises(FetchRefused, match="private"):
        Fetcher().fetch("http://[fd00::5]/feed")
