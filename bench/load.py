"""Load test: gunicorn on loopback, wrk with 32 connections, requests/s and p95 per page.

    seoulhub bench load --json [--connections 32] [--seconds 20] [--workers 5] [--paths / ...]

Runs against the database configured by DATABASE_URL; fill one with a million articles first:
`seoulhub bench load_data --articles 1000000` (see bench/load_data.py). Only 127.0.0.1 is targeted.
Needs wrk (`apt-get install wrk`).

Scenarios (each for --seconds, after one warm-up request):
* home: the home page, anonymous.
* search-ko, search-en: one Korean and one English query, repeated (a popular query: after its
  first request it is served from the ranking cache).
* search-varied: --queries queries (bench/search.py's topical ones, then pairs of words sampled
  from real titles; 5,000 give 4,893 distinct), cycled per request: rankings computed afresh
  until the list comes round again, which `repeated_requests` reports.
* firm-dashboard: the programme recommendations of a real KRX-listed firm (the first with the
  most technologies), anonymous.

With --cache-url, that cache is emptied before the server starts: rankings cached by an earlier
run (of the same data, on SQLite or PostgreSQL, within their five minutes) would otherwise be
served to this one as if they were computed.
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = {
    "home": "/",
    "search-ko": "/radar/search?q=" + quote("인공지능 반도체"),
    "search-en": "/radar/search?q=" + quote("smart city"),
    "search-varied": None,  # a query per request, from a list
    "firm-dashboard": "/support/firms/{firm}/dashboard/",
}

VARIED_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "errors": %d, "non_2xx": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f}\\n',
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server at {url} did not come up in {seconds} s")


def busiest_firm(env) -> int:
    """The firm tagged with the most technologies (ties: lowest id), read through Django."""
    code = (
        "from django.db.models import Count; from seoulhub.support.models import Firm; "
        "f = Firm.objects.annotate(n=Count('technologies')).order_by('-n', 'pk').first(); "
        "print(f.pk if f else 0)"
    )
    out = subprocess.run(
        [sys.executable, "-m", "seoulhub.cli", "shell", "-c", code],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def queries_digest(paths: list[str]) -> str:
    """Runs compare only on the same list, and the list depends on the texts found beside the
    checkout (../shared/data): this names it."""
    return hashlib.sha256("\n".join(paths).encode()).hexdigest()[:12]


def varied_paths(count: int, seed: int = 20251101) -> list[str]:
    import importlib.util

    import numpy as np

    spec = importlib.util.spec_from_file_location("bench_search_queries", REPO / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    queries = module.sample_queries(module.load_texts(), count, np.random.default_rng(seed))
    return ["/radar/search?q=" + quote(q) for q in queries]


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench load")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1, help="as gunicorn.conf.py's default")
    parser.add_argument("--queries", type=int, default=5000, help="queries of search-varied, cycled")
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--paths", nargs="*", default=[], help="extra paths, each its own scenario")
    parser.add_argument(
        "--cache-url",
        default="",
        help="e.g. redis://127.0.0.1:6379/9: one cache shared by all workers, as in production",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    port = free_port()
    env = dict(
        os.environ,
        SEOULHUB_ENV="production",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "k" * 40),
        ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_ACCESSLOG="/dev/null",
    )
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()
    subprocess.run(
        [sys.executable, "-m", "seoulhub.cli", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=REPO, check=True
    )
    firm = busiest_firm(env) if "firm-dashboard" in args.scenarios else 0
    plan = {name: SCENARIOS[name] for name in args.scenarios}
    plan.update({path: path for path in args.paths})
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py")],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz", seconds=600)
        startup_s = round(time.monotonic() - started, 1)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        for name, path in plan.items():
            scripts = [script.name]
            if path is None:
                paths = varied_paths(args.queries)
                with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as varied:
                    varied.write(VARIED_SCRIPT % ", ".join(json.dumps(p) for p in paths) + WRK_SCRIPT)
                scripts, path = [varied.name], paths[0]
            path = path.format(firm=firm)
            urllib.request.urlopen(base + path, timeout=120).read()  # warm-up request
            run = subprocess.run(
                [
                    "wrk",
                    "-t",
                    str(args.threads),
                    "-c",
                    str(args.connections),
                    "-d",
                    f"{args.seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    scripts[0],
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            figures["requests_per_s"] = round(figures["requests"] / figures["seconds"], 1)
            if name == "search-varied":
                figures["path"] = f"{args.queries} queries ({len(set(paths))} distinct), cycled"
                figures["queries_digest"] = queries_digest(paths)
                # Requests past the first round of the list may find their ranking in the cache.
                figures["repeated_requests"] = max(0, figures["requests"] + 1 - len(paths))
            else:
                figures["path"] = path
            results[name] = figures
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    return {
        "connections": args.connections,
        "seconds_per_scenario": args.seconds,
        "gunicorn_workers": args.workers,
        "cache": "redis" if args.cache_url else "in-process",
        "server_start_s": startup_s,
        "pages": results,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
