"""gunicorn settings for Seoul Digital Hub (see docs/deploy.md). Override with GUNICORN_* env."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Measured on 2 cores with 32 connections (docs/quality.md, load): 3 workers x 2 threads served the
# home page at ~430 requests/s with p95 170 ms; 5 x 2 gave more throughput to nobody and a longer tail.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# One request per connection, and a worker accepts a connection only when one of its threads is
# free: waiting requests then queue once, in the listening socket, and go to whichever worker
# frees up first. With keep-alive and gunicorn's default of 1,000 connections a worker, a worker
# kept every connection it had accepted, however busy, while another sat idle. Measured with 32
# connections at 1,000,000 articles (docs/quality.md, load): the same throughput, and p95 home
# 181 -> 72 ms, popular search 144 -> 58 ms, firm dashboard 56 -> 36 ms, fresh searches 985 ->
# 642 ms. The hub runs behind a TLS proxy (docs/deploy.md), which opens a connection per request
# to gunicorn unless told otherwise.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(threads)))
# Recycle workers to bound memory growth; preloaded, a new worker is a cheap fork of the master.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "seoulhub.wsgi:application"

# Load Django once in the master and fork workers from it: imports (~0.8 s), the query analyser
# and the encoder are loaded once and shared copy-on-write. The search's vector index is a file
# each worker maps (docs/search.md): the operating system keeps one copy for all of them.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def when_ready(server):
    """Warm what every worker needs before forking them: the search's analyser and encoder, the
    support matcher and the home page's shared figures (with the default in-process cache,
    workers inherit them)."""
    if not preload_app:
        return
    from django.db import connections

    from seoulhub.core.home import warm_shared_figures
    from seoulhub.radar.search.service import warm
    from seoulhub.support.services import current_matcher

    try:
        warm()
        current_matcher()
        warm_shared_figures()
    finally:
        connections.close_all()  # never share a database connection across fork
