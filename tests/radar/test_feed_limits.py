"""A feed cannot take the radar down: one bad item, a gzip bomb, a server that drips one byte a
second, an IPv6 address that embeds an internal IPv4 one. Real HTTP to servers on 127.0.0.1."""

import gzip
import ipaddress
import json
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from seoulhub.radar.ingest import store as ingest_module
from seoulhub.radar.ingest.fetch import Fetcher, FetchError, FetchRefused, address_problem
from seoulhub.radar.models import Article, Source
from seoulhub.radar.ingest.parse import ParseError, parse_feed
from seoulhub.radar.tasks import SourceFailed, run_source


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source wording; the stored and shown text is Korean by default
    (test_error_language.py, test_import_language.py, test_support_pages.py)."""
    with translation.override("en"):
        yield


MB = 1024 * 1024


def json_feed(*items) -> bytes:
    # ensure_ascii writes a lone surrogate as the escape "\ud800", which is valid JSON.
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Feed", "items": list(items)}).encode()


def item(n: int, **fields) -> dict:
    return {
        "id": f"https://example.org/{n}",
        "url": f"https://example.org/{n}",
        "title": f"Robot arm number {n} learns to sort parcels",
        "content_html": f"<p>A warehouse in Seoul tests robot arm {n} with computer vision.</p>",
        **fields,
    }


def http_source(url: str) -> Source:
    return Source.objects.create(name="Feed", url=url, kind=Source.Kind.JSON)


def local_fetcher(**kw) -> Fetcher:
    kw.setdefault("allow", ["127.0.0.1"])
    kw.setdefault("min_host_delay", 0.0)
    kw.setdefault("backoff", 0.01)
    return Fetcher(**kw)


# --- one bad item ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_item_with_a_lone_surrogate_is_stored_cleaned_with_its_siblings(feed_server, allow_local):
    bad = item(
        2,
        title="R&D \ud800 robots",
        summary="<b>half a pair \udc00</b> & more",
        content_html="<p>NUL\x00 and \ud83d alone</p>",
        authors=[{"name": "Kim \udfff"}],
    )
    feed_server.routes["/feed.json"] = (
        200,
        {"Content-Type": "application/feed+json"},
        json_feed(item(1), bad, item(3)),
    )
    source = http_source(feed_server.url("/feed.json"))
    stats = run_source(source)
    assert stats.new == 3 and stats.errors == 0
    stored = Article.objects.get(guid="https://example.org/2")
    assert stored.title == "R&D \ufffd robots" and "\x00" not in stored.text and "\ufffd alone" in stored.text
    assert stored.author == "Kim \ufffd"
    source.refresh_from_db()
    assert source.last_error == "" and source.consecutive_errors == 0
    again = run_source(source)  # the re-run that used to crash the same way every time
    assert again.new == 0 and again.duplicates == 3


@pytest.mark.django_db
def test_an_item_that_breaks_processing_is_skipped_and_reported_on_the_source(feed_server, allow_local, monkeypatch):
    real = ingest_module.process_item

    def process_item(parsed, **kw):
        if parsed.guid.endswith("/2"):
            raise RuntimeError("boom")
        return real(parsed, **kw)

    monkeypatch.setattr(ingest_module, "process_item", process_item)
    feed_server.routes["/feed.json"] = (200, {}, json_feed(item(1), item(2), item(3)))
    source = http_source(feed_server.url("/feed.json"))
    stats = run_source(source)
    assert stats.new == 2 and stats.errors == 1
    assert set(Article.objects.values_list("guid", flat=True)) == {"https://example.org/1", "https://example.org/3"}
    source.refresh_from_db()
    assert source.last_error.startswith("1 item skipped: https://example.org/2: could not be processed (RuntimeError)")
    assert source.consecutive_errors == 0  # the feed itself works


@pytest.mark.django_db
def test_malformed_json_feed_items_are_skipped_and_the_rest_stored(feed_server, allow_local):
    feed_server.routes["/feed.json"] = (
        200,
        {},
        json_feed(item(1), "not an object", item(2, tags=5, language=7), item(3, tags=["robotics", None])),
    )
    source = http_source(feed_server.url("/feed.json"))
    stats = run_source(source)
    assert stats.new == 3
    source.refresh_from_db()
    assert source.last_error == "1 unreadable item skipped"


# --- gzip bombs ----------------------------------------------------------------------------------


def bomb(unpacked: int) -> bytes:
    return gzip.compress(b"{" + b" " * unpacked, compresslevel=9)


def peak_memory(call) -> int:
    tracemalloc.start()
    try:
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_gzip_bomb_file_is_refused_at_the_unpacked_limit_without_unpacking_it():
    packed = bomb(64 * MB)  # 64 KB on disk

    def parse():
        with pytest.raises(ParseError, match="unpacks to more than 1,048,576 bytes"):
            parse_feed(packed, max_unpacked=MB)

    assert peak_memory(parse) < 4 * MB


def test_several_gzip_members_still_unpack_like_gzip_does():
    lines = [
        json.dumps({"id": f"2501.0000{n}", "title": f"Paper {n}", "categories": ["cs.AI"]}).encode() for n in range(3)
    ]
    packed = gzip.compress(lines[0] + b"\n") + gzip.compress(b"\n".join(lines[1:])) + b"\0" * 8
    assert [i.title for i in parse_feed(packed).items] == ["Paper 0", "Paper 1", "Paper 2"]
    with pytest.raises(ParseError, match="damaged"):
        parse_feed(packed[:20])


@pytest.mark.django_db
def test_a_gzip_bomb_served_as_application_gzip_fails_the_source_in_words(feed_server, allow_local, settings):
    settings.SEOULHUB_FEED_MAX_UNPACKED_BYTES = 2 * MB
    feed_server.routes["/listing.jsonl.gz"] = (200, {"Content-Type": "application/gzip"}, bomb(20 * MB))
    source = Source.objects.create(name="Bomb", url=feed_server.url("/listing.jsonl.gz"), kind=Source.Kind.ARXIV)
    with pytest.raises(SourceFailed, match="unpacks to more than 2,097,152 bytes"):
        run_source(source)
    source.refresh_from_db()
    assert "SEOULHUB_FEED_MAX_UNPACKED_BYTES" in source.last_error and source.consecutive_errors == 1
    assert not Article.objects.exists()


def test_a_content_encoding_gzip_bomb_is_cut_off_at_the_body_limit(feed_server):
    feed_server.routes["/feed"] = (200, {"Content-Encoding": "gzip"}, bomb(50 * MB))  # 50 KB on the wire
    fetcher = local_fetcher(max_bytes=MB)

    def fetch():
        with pytest.raises(FetchError, match="larger than the 1,048,576-byte limit"):
            fetcher.fetch(feed_server.url("/feed"))

    # httpx alone unpacked each network chunk whole: the 50 KB body became 50 MB before any check.
    assert peak_memory(fetch) < 6 * MB


def test_a_deflate_body_is_decoded(feed_server):
    import zlib

    body = b"<rss><channel><title>x</title></channel></rss>"
    feed_server.routes["/zlib"] = (200, {"Content-Encoding": "deflate"}, zlib.compress(body))
    raw = zlib.compressobj(wbits=-15)
    feed_server.routes["/raw"] = (200, {"Content-Encoding": "deflate"}, raw.compress(body) + raw.flush())
    assert local_fetcher().fetch(feed_server.url("/zlib")).content == body
    assert local_fetcher().fetch(feed_server.url("/raw")).content == body


def test_an_encoding_the_hub_did_not_ask_for_is_refused_in_words(feed_server):
    feed_server.routes["/br"] = (200, {"Content-Encoding": "br"}, b"\x0b\x02\x80x\x03")
    with pytest.raises(FetchError, match="encoded as br, which the hub does not read"):
        local_fetcher().fetch(feed_server.url("/br"))


# --- the overall deadline ------------------------------------------------------------------------


class DripServer:
    """Answers every request one byte at a time, `interval` seconds apart: the status line and
    headers too when `headers_too`, else only the body."""

    def __init__(self, *, interval: float, length: int, headers_too: bool = False):
        drip = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                head = f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {length}\r\n\r\n"
                try:
                    if headers_too:
                        for byte in head.encode():
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(interval)
                    else:
                        self.wfile.write(head.encode())
                    for _ in range(length):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(interval)
                except OSError:  # the client hung up: what the deadline is for
                    drip.hung_up.set()

        self.hung_up = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path="/feed"):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def drip_server(request):
    servers = []

    def make(**kw):
        servers.append(DripServer(**kw))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_server_dripping_bytes_is_cut_off_at_the_deadline_and_frees_the_host(drip_server, feed_server, headers_too):
    # Each byte comes well within the per-read timeout, so only the overall deadline stops it
    # (before, this fetch took 60 bytes x 0.1 s, or forever for an endless drip). The bounds
    # leave room for a busy machine.
    drip = drip_server(interval=0.1, length=60, headers_too=headers_too)
    fetcher = local_fetcher(timeout=5, deadline=1.0, retries=2)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"did not finish within 1 seconds.*SEOULHUB_FETCH_DEADLINE"):
        fetcher.fetch(drip.url())
    assert 0.9 <= time.monotonic() - started < 3.0
    assert not fetcher._host_lock("127.0.0.1").locked()
    feed_server.routes["/feed"] = (200, {}, b"<rss/>")  # the same host's next fetch gets its turn at once
    assert fetcher.fetch(feed_server.url("/feed")).content == b"<rss/>"
    assert drip.hung_up.wait(2)


def test_waiting_for_a_busy_host_counts_against_the_deadline(drip_server):
    drip = drip_server(interval=0.1, length=100)
    fetcher = local_fetcher(timeout=5, deadline=1.0)
    first = threading.Thread(target=lambda: pytest.raises(FetchError, fetcher.fetch, drip.url("/a")))
    first.start()
    time.sleep(0.2)
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not finish within 1 seconds"):
        fetcher.fetch(drip.url("/b"))
    assert time.monotonic() - started < 2.5
    first.join(3)


@pytest.mark.django_db
def test_the_deadline_setting_applies_to_sources(drip_server, allow_local, settings):
    settings.SEOULHUB_FETCH_DEADLINE = 0.5
    drip = drip_server(interval=0.1, length=60)
    source = Source.objects.create(name="Drip", url=drip.url(), kind=Source.Kind.RSS)
    started = time.monotonic()
    with pytest.raises(SourceFailed):
        run_source(source)
    assert time.monotonic() - started < 2.5
    source.refresh_from_db()
    assert "did not finish within 0.5 seconds" in source.last_error


# --- IPv6 addresses that carry an internal IPv4 address ------------------------------------------


@pytest.mark.parametrize(
    "address, words",
    [
        ("2002:7f00:1::", "6to4 address that embeds 127.0.0.1 (a loopback address)"),
        ("2002:c0a8:101::1", "6to4 address that embeds 192.168.1.1 (a private-network address)"),
        ("2002:a9fe:a9fe::", "6to4 address that embeds 169.254.169.254 (a cloud metadata address)"),
        ("64:ff9b::a00:1", "NAT64 address that embeds 10.0.0.1"),
        ("64:ff9b:1::7f00:1", "NAT64 address that embeds 127.0.0.1"),
        ("::7f00:1", "IPv4-compatible address that embeds 127.0.0.1"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo address that embeds 127.0.0.1"),
    ],
)
def test_ipv6_addresses_embedding_an_internal_ipv4_address_are_refused(address, words):
    assert words in address_problem(ipaddress.ip_address(address))
    with pytest.raises(FetchRefused, match="embeds"):
        Fetcher().check_url(f"http://[{address}]/feed")


def test_a_6to4_address_embedding_a_public_address_is_allowed():
    assert address_problem(ipaddress.ip_address("2002:0808:0808::1")) == ""


def test_no_retry_starts_after_the_deadline_and_the_error_keeps_its_cause(feed_server):
    feed_server.routes["/busy"] = (503, {}, b"busy")
    fetcher = local_fetcher(deadline=1.0, retries=5, backoff=0.4)
    started = time.monotonic()
    with pytest.raises(FetchError, match="answered HTTP 503"):
        fetcher.fetch(feed_server.url("/busy"))
    assert time.monotonic() - started < 1.0  # 0.4 s, then 0.8 s would have ended past it
    assert feed_server.hits["/busy"] == 2
