"""Load test: gunicorn on loopback, wrk with 32 connections, requests/s and p95 per page.

    seoulhub bench load --json [--connections 32] [--seconds 20] [--paths / /radar/search?q=AI ...]

Runs against the database configured by DATABASE_URL (fill it first, e.g. with
`seoulhub bench ingest` or `seoulhub bench search --docs N --keep`). Only 127.0.0.1 is targeted.
Needs wrk (`apt-get install wrk`).
"""

import argparse
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

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ["/", "/radar/search?q=%EC%9D%B8%EA%B3%B5%EC%A7%80%EB%8A%A5", "/radar/search?q=smart+city", "/support/"]

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


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench load")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--paths", nargs="*", default=DEFAULT_PATHS)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    port = free_port()
    env = dict(os.environ, SEOULHUB_ENV="production", DEBUG="0", SECURE_SSL_REDIRECT="0",
               SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "k" * 40),
               ALLOWED_HOSTS="127.0.0.1", GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_WORKERS=str(args.workers), GUNICORN_ACCESSLOG="/dev/null")
    subprocess.run([sys.executable, "-m", "seoulhub.cli", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=REPO, check=True)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py")], env=env, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        for path in args.paths:
            urllib.request.urlopen(base + path, timeout=60).read()  # warm caches once
            run = subprocess.run(["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s",
                                  "--timeout", "10s", "-s", script.name, base + path],
                                 capture_output=True, text=True, check=True)
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            figures["requests_per_s"] = round(figures["requests"] / figures["seconds"], 1)
            results[path] = figures
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"connections": args.connections, "seconds_per_path": args.seconds, "gunicorn_workers": args.workers,
            "pages": results}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
