"""Fixtures of the radar ingestion tests: a real HTTP server on 127.0.0.1 and feed files."""

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .search_corpus import corpus  # noqa: F401  (the module-scoped search corpus, for the modules that ask for it)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"  # real feeds, see tests/fixtures/README.md


class FeedServer:
    """Routes: path -> (status, headers, body) or a callable(handler) -> same. Counts hits."""

    def __init__(self):
        self.routes: dict = {}
        self.hits: dict[str, int] = {}
        self.requests: list[dict] = []
        handler = self._handler_class()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                server.requests.append({"path": self.path, "headers": dict(self.headers)})
                route = server.routes.get(self.path)
                if route is None:
                    status, headers, body = 404, {}, b"not found"
                elif callable(route):
                    status, headers, body = route(self)
                else:
                    status, headers, body = route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def allow_local(settings):
    """The operator allow-list with the local test server's address on it."""
    from seoulhub.radar.tasks import reset_fetcher

    settings.SEOULHUB_FETCH_ALLOW = ["127.0.0.1"]
    settings.SEOULHUB_FETCH_HOST_DELAY = 0.0
    settings.SEOULHUB_FETCH_BACKOFF = 0.01
    reset_fetcher()
    yield
    reset_fetcher()


@pytest.fixture(autouse=True)
def _fresh_fetcher():
    from seoulhub.radar.tasks import reset_fetcher

    reset_fetcher()
    yield
    reset_fetcher()


def fixture_bytes(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)
