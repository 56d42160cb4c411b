"""`seoulhub sync-programmes`: real 기업마당 and K-Startup records (the shipped data files), served
in the APIs' own layouts and paging by a real HTTP server on 127.0.0.1, fetched through the
radar's safe fetcher. Each record is added once, a changed one is updated in place and shows as
changed, a bad one is reported and skipped, and the key never reaches the log."""

import copy
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from seoulhub.support.models import EligibilityRule, Programme, ProgrammeChange, SyncRun
from seoulhub.support.programme_sync import sync_source

pytestmark = pytest.mark.django_db

KEY = "SECRET-key/with+signs=="
BIZINFO_2026 = Path(settings.DATA_DIR, "bizinfo", "bizinfo_announcements_2026.jsonl")
KSTARTUP_2026 = Path(settings.DATA_DIR, "kstartup", "kstartup_announcements_2026.jsonl")


def _first(path: Path, n: int, step: int = 1) -> list[dict]:
    """n real records, every `step`-th line of the file (newest first, as the APIs answer)."""
    with path.open(encoding="utf-8") as handle:
        lines = handle.readlines()
    return [json.loads(line) for line in lines[::step][:n]]


class ApiServer:
    """Serves `records` as the bizinfo API (pageIndex/searchCnt -> {"jsonArray": [...]}) or the
    data.go.kr K-Startup API (page/perPage -> {"page", "perPage", "totalCount", "currentCount",
    "matchCount", "data"}). Remembers the query of every request."""

    def __init__(self, layout: str, records: list):
        self.layout, self.records, self.queries = layout, records, []
        self.status, self.raw_body = 200, None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                server.queries.append(query)
                body = server.raw_body if server.raw_body is not None else server.page(query)
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api"

    def page(self, query: dict) -> bytes:
        if self.layout == "bizinfo":
            size, number = int(query["searchCnt"]), int(query["pageIndex"])
            chunk = self.records[(number - 1) * size : number * size]
            return json.dumps({"jsonArray": chunk}, ensure_ascii=False).encode()
        size, number = int(query["perPage"]), int(query["page"])
        chunk = self.records[(number - 1) * size : number * size]
        return json.dumps(
            {
                "page": number,
                "perPage": size,
                "totalCount": len(self.records),
                "currentCount": len(chunk),
                "matchCount": len(self.records),
                "data": chunk,
            },
            ensure_ascii=False,
        ).encode()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def allow_local(settings):
    from seoulhub.radar.tasks import reset_fetcher

    settings.SEOULHUB_FETCH_ALLOW = ["127.0.0.1"]
    settings.SEOULHUB_FETCH_HOST_DELAY = 0.0
    settings.SEOULHUB_FETCH_BACKOFF = 0.01
    settings.SEOULHUB_FETCH_RETRIES = 0
    reset_fetcher()
    yield
    reset_fetcher()


@pytest.fixture
def bizinfo_api(allow_local):
    server = ApiServer("bizinfo", _first(BIZINFO_2026, 25, step=80))  # registered 2025-10 .. 2026-07
    yield server
    server.close()


@pytest.fixture
def kstartup_api(allow_local):
    server = ApiServer("kstartup", _first(KSTARTUP_2026, 23))
    yield server
    server.close()


def test_bizinfo_sync_twice_adds_each_record_once(bizinfo_api):
    first = sync_source("bizinfo", url=bizinfo_api.url, key=KEY, page_size=10, enrich=False)
    assert (first.status, first.pages, first.fetched, first.created) == ("ok", 3, 25, 25)
    assert [q["pageIndex"] for q in bizinfo_api.queries] == ["1", "2", "3"]  # the short page ends it
    assert bizinfo_api.queries[0]["crtfcKey"] == KEY and bizinfo_api.queries[0]["dataType"] == "json"
    second = sync_source("bizinfo", url=bizinfo_api.url, key=KEY, page_size=10, enrich=False)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 25)
    assert Programme.objects.filter(source="bizinfo").count() == 25
    assert not ProgrammeChange.objects.exists()
    one = Programme.objects.get(source_id=bizinfo_api.records[0]["pblancId"])
    assert one.title == bizinfo_api.records[0]["pblancNm"] and one.provenance.startswith("bizinfo API")


def test_kstartup_sync_pages_by_total_count_and_adds_each_record_once(kstartup_api):
    first = sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    assert (first.status, first.pages, first.fetched, first.created) == ("ok", 3, 23, 23)
    assert [(q["page"], q["perPage"], q["returnType"]) for q in kstartup_api.queries] == [
        ("1", "10", "json"),
        ("2", "10", "json"),
        ("3", "10", "json"),
    ]
    assert kstartup_api.queries[0]["serviceKey"] == KEY
    second = sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 23)
    assert Programme.objects.filter(source="kstartup").count() == 23


def test_a_changed_announcement_is_updated_in_place_and_shows_as_changed(kstartup_api, client):
    sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    record = kstartup_api.records[4]
    before = Programme.objects.get(source="kstartup", source_id=str(record["pbanc_sn"]))
    record["pbanc_rcpt_end_dt"] = "20260930"  # the agency extended the deadline
    run = sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 22)
    after = Programme.objects.get(pk=before.pk)  # the same row
    assert after.closes_on == datetime.date(2026, 9, 30) and after.changed_at is not None
    change = ProgrammeChange.objects.get(programme=after)
    assert change.sync_run == run
    assert {
        "field": "closes_on",
        "old": before.closes_on.isoformat() if before.closes_on else "",
        "new": "2026-09-30",
    } in change.fields
    page = client.get(after.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "출처에서 변경됨" in page and "2026-09-30" in page


def test_a_bad_record_is_reported_and_skipped_and_the_rest_goes_in(kstartup_api):
    bad_date = copy.deepcopy(kstartup_api.records[1])
    bad_date["pbanc_sn"] = 999001
    bad_date["pbanc_rcpt_end_dt"] = "2026-13-45"
    no_id = copy.deepcopy(kstartup_api.records[2])
    del no_id["pbanc_sn"]
    kstartup_api.records[3:3] = [bad_date, no_id, "not an object"]
    run = sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    assert (run.status, run.fetched, run.created, run.rejected) == ("partial", 26, 23, 3)
    assert any("999001" in line and "2026-13-45" in line for line in run.errors)
    assert any("pbanc_sn" in line for line in run.errors)
    assert not Programme.objects.filter(source_id="999001").exists()


def test_a_record_the_database_would_refuse_is_rejected_alone(bizinfo_api):
    bizinfo_api.records[2]["pblancUrl"] = "not a link at all"
    run = sync_source("bizinfo", url=bizinfo_api.url, key=KEY, page_size=10, enrich=False)
    assert (run.created, run.rejected) == (24, 1)
    assert bizinfo_api.records[2]["pblancId"] in run.errors[0]


def test_a_failing_source_is_logged_without_the_key(bizinfo_api):
    bizinfo_api.status = 500
    run = sync_source("bizinfo", url=bizinfo_api.url, key=KEY, page_size=10, enrich=False)
    assert run.status == "failed" and run.created == 0
    assert "HTTP 500" in run.errors[0]
    logged = json.dumps([run.endpoint, run.errors])
    assert "SECRET" not in logged and "***" in run.errors[0]


def test_an_answer_that_is_not_json_fails_in_words(kstartup_api):
    kstartup_api.raw_body = b"<OpenAPI_ServiceResponse><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR"
    run = sync_source("kstartup", url=kstartup_api.url, key=KEY, enrich=False)
    assert run.status == "failed" and "did not answer with JSON" in run.errors[0]
    assert "SERVICE_KEY_IS_NOT_REGISTERED" in run.errors[0] and "SECRET" not in run.errors[0]


def test_the_safe_fetcher_refuses_a_local_address_unless_allowed(settings):
    from seoulhub.radar.tasks import reset_fetcher

    settings.SEOULHUB_FETCH_ALLOW = []
    reset_fetcher()
    server = ApiServer("bizinfo", _first(BIZINFO_2026, 3))
    try:
        run = sync_source("bizinfo", url=server.url, key=KEY, enrich=False)
    finally:
        server.close()
        reset_fetcher()
    assert run.status == "failed" and "SEOULHUB_FETCH_ALLOW" in run.errors[0]
    assert server.queries == []


def test_since_skips_older_records(bizinfo_api):
    records = bizinfo_api.records
    days = sorted({r["creatPnttm"][:10] for r in records})
    since = datetime.date.fromisoformat(days[len(days) // 2])
    expected = sum(1 for r in records if datetime.date.fromisoformat(r["creatPnttm"][:10]) >= since)
    run = sync_source("bizinfo", url=bizinfo_api.url, key=KEY, page_size=10, since=since, enrich=False)
    assert run.created == expected and run.skipped == len(records) - expected and 0 < expected < len(records)


def test_the_command_syncs_and_refuses_bad_input_in_words(kstartup_api, capsys):
    call_command("sync_programmes", "kstartup", "--url", kstartup_api.url, "--key", KEY)
    out = capsys.readouterr().out
    assert "kstartup: ok" in out and "23 created" in out
    call_command("sync_programmes", "kstartup", "--url", kstartup_api.url, "--key", KEY)
    assert "0 created" in capsys.readouterr().out and Programme.objects.count() == 23
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sync_programmes", "kstartup", "--url", kstartup_api.url, "--since", "yesterday")
    with pytest.raises(CommandError, match="SEOULHUB_BIZINFO_KEY"):
        call_command("sync_programmes", "bizinfo")
    with pytest.raises(CommandError, match="no source has a key"):
        call_command("sync_programmes", "all")


def test_the_daily_task_syncs_every_source_with_a_key(settings, kstartup_api, monkeypatch):
    from seoulhub.support import programme_sync, tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SEOULHUB_KSTARTUP_KEY = KEY
    settings.SEOULHUB_BIZINFO_KEY = ""
    monkeypatch.setitem(
        programme_sync.SOURCES,
        "kstartup",
        programme_sync.SourceConfig("kstartup", kstartup_api.url, "SEOULHUB_KSTARTUP_KEY", "serviceKey"),
    )
    monkeypatch.setattr(programme_sync, "enrich_pending", lambda batch=64: 0)
    assert tasks.sync_all_programmes.call() == ["kstartup"]
    assert Programme.objects.filter(source="kstartup").count() == 23
    assert SyncRun.objects.get().status == "ok"


def test_the_health_page_and_the_sync_log_show_the_last_run(kstartup_api, client, operator):
    sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    health = client.get("/healthz").json()["programme_sync"]
    assert health["kstartup"]["last_run"]["created"] == 23 and health["kstartup"]["last_run"]["status"] == "ok"
    assert health["bizinfo"]["last_run"] is None
    assert client.get("/support/sync/").status_code == 403
    client.force_login(operator)
    page = client.get("/support/sync/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert ">23<" in page and "SECRET" not in page
    # Sources by their names, not their codes.
    assert "<td>K-Startup(k-startup.go.kr) 사업공고</td>" in page and "<td>kstartup</td>" not in page


def test_kstartup_fields_become_explained_rules(kstartup_api):
    sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    record = next(r for r in kstartup_api.records if r.get("supt_regin") == "서울" or r.get("supt_regin") == "전국")
    programme = Programme.objects.get(source="kstartup", source_id=str(record["pbanc_sn"]))
    kinds = {r.kind: r for r in EligibilityRule.objects.filter(programme=programme)}
    assert "region" in kinds and kinds["region"].source_text.startswith("지원 지역")
    if "년미만" in (record.get("biz_enyy") or ""):
        assert kinds["age_max"].params["inclusive"] is False


def test_the_same_record_read_anew_updates_quietly(kstartup_api):
    """An improved parser (here: a title fixed on the hub's side) rewrites the row, but the source's
    record did not change, so nothing is shown as "changed at source"."""
    sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    record = kstartup_api.records[0]
    Programme.objects.filter(source_id=str(record["pbanc_sn"])).update(title="an older reading of the title")
    run = sync_source("kstartup", url=kstartup_api.url, key=KEY, page_size=10, enrich=False)
    assert (run.updated, run.unchanged) == (1, 22)
    programme = Programme.objects.get(source_id=str(record["pbanc_sn"]))
    assert programme.title == record["biz_pbanc_nm"] and programme.changed_at is None
    assert not ProgrammeChange.objects.exists()
