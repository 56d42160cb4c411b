"""The production server as deployed: gunicorn with gunicorn.conf.py (app preloaded) answers real
HTTP on loopback from several workers, each mapping the one vector index file."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[1]
WORDS = [
    "반도체",
    "로봇",
    "서비스",
    "데이터",
    "플랫폼",
    "클라우드",
    "보안",
    "통신",
    "금융",
    "의료",
    "교육",
    "게임",
    "스마트폰",
    "자율주행",
    "드론",
    "배터리",
    "메타버스",
    "블록체인",
    "검색",
    "번역",
    "음성",
    "영상",
    "에너지",
    "물류",
    "농업",
    "제조",
    "도시",
    "교통",
    "기업",
    "투자",
    "인재",
    "특허",
]  # 32 distinct searches


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.read()


@pytest.mark.slow
def test_preloaded_gunicorn_serves_pages_and_search_from_every_worker(tmp_path):
    db = tmp_path / "served.sqlite3"
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        SEOULHUB_ENV="production",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECRET_KEY="test-only-" + "s" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="/dev/null",
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="seoulhub.settings",
        SEOULHUB_SEARCH_VECTOR_INDEX=str(tmp_path / "vectors.usearch"),
    )
    cli = [sys.executable, "-m", "seoulhub.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, cwd=REPO, check=True, timeout=300)
    subprocess.run(
        [*cli, "ingest", "--file", "data/feeds/klue-ynat-it-economy.xml", "--no-progress", "--embed"],
        env=env,
        cwd=REPO,
        check=True,
        timeout=600,
        capture_output=True,
    )
    subprocess.run([*cli, "radar_vector_index", "--rebuild"], env=env, cwd=REPO, check=True, timeout=300)
    assert (tmp_path / "vectors.usearch").stat().st_size > 0
    subprocess.run([*cli, "collectstatic", "--noinput", "-v0"], env=env, cwd=REPO, check=True, timeout=300)
    log = open(tmp_path / "gunicorn.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py")],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = get(base + "/healthz")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not come up"
                time.sleep(0.3)
        assert json.loads(body)["database"] == "ok"
        # Distinct queries: with a shared cache (Redis) a repeated one is answered from it, and a
        # worker that only serves cached rankings would never open the index file.
        searches = [base + "/radar/search?q=" + quote(f"인공지능 {word}") for word in WORDS]
        with ThreadPoolExecutor(8) as pool:  # enough concurrent requests to reach both workers
            results = list(pool.map(get, searches + [base + "/"] * 8))
        assert all(status == 200 for status, _ in results)
        assert all("인공지능".encode() in body for _, body in results[: len(searches)])
        # Every worker maps the index file itself (shared pages), none builds a copy of its own.
        workers = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(workers) == 2
        assert all(str(tmp_path / "vectors.usearch") in Path(f"/proc/{pid}/maps").read_text() for pid in workers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
