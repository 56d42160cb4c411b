"""The operator's pages (/operator/): role checks, adding a feed with the address check (also in the
Django admin), fetch now through the task queue against a real local HTTP server, pause and resume,
OPML import and export, source health and the programme sync page."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from seoulhub.accounts.models import Role
from seoulhub.radar.models import Article, Source
from seoulhub.radar.opml import parse_opml
from seoulhub.radar.source_health import NEVER_FETCHED, OK, FAILING, PAUSED, error_kind, health_rows
from seoulhub.radar.tasks import due_sources

from .conftest import FIXTURES

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
RSS = (FIXTURES / "netnewswire/cloudblog.rss").read_bytes()  # 20 items

PAGES = [
    "/operator/",
    "/operator/sources/add/",
    "/operator/sources/import/",
    "/operator/sources/export.opml",
    "/operator/sync/",
]
POSTS = [
    "/operator/sources/{pk}/fetch/",
    "/operator/sources/{pk}/pause/",
    "/operator/sources/{pk}/resume/",
    "/operator/sources/import/",
    "/operator/sources/add/",
    "/operator/sync/now/",
]


@pytest.fixture
def source(db):
    return Source.objects.create(name="Example feed", url="https://feeds.example.org/a.xml")


@pytest.fixture
def feed_at(feed_server, allow_local):
    feed_server.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, RSS)
    return feed_server.url("/feed.xml")


# --- role checks ----------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_log_in(client, source):
    for url in PAGES + [p.format(pk=source.pk) for p in POSTS]:
        response = client.post(url) if url in [p.format(pk=source.pk) for p in POSTS] else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert Source.objects.get().paused_at is None


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.FIRM_MEMBER, Role.PUBLIC])
def test_officials_and_firms_get_a_korean_403(client, make_user, source, role):
    client.force_login(make_user("someone", role))
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "허브 운영자만 관리할 수 있습니다" in response.content.decode(), url
    for url in POSTS:
        assert client.post(url.format(pk=source.pk)).status_code == 403, url
    assert Source.objects.get().paused_at is None


def test_operators_see_every_page_and_the_nav_link(client, operator, source):
    client.force_login(operator)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    html = client.get("/radar/").content.decode()
    assert 'id="nav-operator"' in html and ">운영</a>" in html


def test_the_nav_link_is_for_operators_only(client, official):
    client.force_login(official)
    assert 'id="nav-operator"' not in client.get("/radar/").content.decode()


# --- adding a feed --------------------------------------------------------------------------------
def test_an_operator_adds_a_feed(client, operator, feed_at):
    client.force_login(operator)
    response = client.post(
        "/operator/sources/add/",
        {"url": feed_at, "name": "", "kind": "rss", "trust_level": 2, "fetch_interval_minutes": 60},
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.url == feed_at and source.name == "127.0.0.1" and source.last_fetch_at is None
    page = client.get("/operator/").content.decode()
    assert "미수집" in page  # never fetched: not "정상"


REFUSED = {
    "metadata": ("http://169.254.169.254/latest/meta-data/", "클라우드 메타데이터 주소"),
    "loopback": ("http://127.0.0.1:8000/feed.xml", "루프백 주소"),
    "localhost": ("http://localhost/feed.xml", "루프백 주소"),
    "private": ("http://10.1.2.3/rss", "사설망 주소"),
    "private 192.168": ("https://192.168.0.10/rss", "사설망 주소"),
    "6to4 metadata": ("http://[2002:a9fe:a9fe::]/feed", "6to4"),
    "NAT64 loopback": ("http://[64:ff9b::7f00:1]/feed", "NAT64"),
    "Teredo": ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/feed", "Teredo"),
    "ftp scheme": ("ftp://feeds.example.org/rss", "http:// 또는 https:// 피드 주소만"),
    "file scheme": ("file:///etc/passwd", "http:// 또는 https:// 피드 주소만"),
    "no scheme": ("feeds.example.org/rss", "http:// 또는 https:// 피드 주소만"),
    "broken": ("http://exa mple.org/", "공백"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_address_is_explained_in_korean_and_nothing_is_saved(client, operator, case):
    url, words = REFUSED[case]
    client.force_login(operator)
    response = client.post(
        "/operator/sources/add/",
        {"url": url, "name": "x", "kind": "rss", "trust_level": 2, "fetch_interval_minutes": 60},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html, html[html.find("errorlist") - 200 :][:800]
    if case in ("metadata", "loopback", "private"):
        assert "허브 내부망이나 클라우드 메타데이터 서비스를 가리키므로" in html
    assert not Source.objects.exists()


def test_the_same_feed_twice_is_refused(client, operator, source):
    client.force_login(operator)
    response = client.post(
        "/operator/sources/add/", {"url": source.url, "kind": "rss", "trust_level": 2, "fetch_interval_minutes": 60}
    )
    assert response.status_code == 400 and "이미 등록된 피드입니다" in response.content.decode()
    assert Source.objects.count() == 1


@pytest.mark.parametrize("case", ["metadata", "loopback", "private", "ftp scheme", "6to4 metadata"])
def test_the_admin_form_refuses_the_same_addresses(admin_client, case):
    url, words = REFUSED[case]
    response = admin_client.post(
        "/admin/radar/source/add/",
        {"name": "x", "url": url, "kind": "rss", "fetch_interval_minutes": 60, "trust_level": 2, "active": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert words in response.content.decode()
    assert not Source.objects.exists()


def test_the_admin_still_saves_a_public_feed_and_a_local_file(admin_client, feed_at, settings):
    for name, url, kind in [("web", feed_at, "rss"), ("demo file", "data/feeds/klue-ynat-it-economy.xml", "rss")]:
        response = admin_client.post(
            "/admin/radar/source/add/",
            {"name": name, "url": url, "kind": kind, "fetch_interval_minutes": 60, "trust_level": 2},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert Source.objects.count() == 2


# --- fetch now ------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_fetch_now_queues_the_task_and_the_worker_stores_the_items(client, operator, feed_at, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    client.force_login(operator)
    source = Source.objects.create(name="cloudblog", url=feed_at)
    response = client.post(f"/operator/sources/{source.pk}/fetch/")
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(task_path="seoulhub.radar.tasks.ingest_source").count() == 1
    assert Article.objects.count() == 0  # queued, not fetched inside the request
    page = client.get("/operator/").content.decode()
    assert 'data-status="READY"' in page and "대기 중" in page
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert Article.objects.filter(source=source).count() == 20
    page = client.get("/operator/").content.decode()
    assert 'data-status="SUCCESSFUL"' in page and "완료: 새 항목 20개" in page
    source.refresh_from_db()
    assert source.last_success_at is not None and source.consecutive_errors == 0
    row = next(r for r in health_rows([source]))
    assert row.state == OK and row.items_7 == 20 and row.per_day_7 == round(20 / 7, 1)


def test_fetch_now_with_the_immediate_backend_shows_the_result(client, operator, feed_server, allow_local, settings):
    settings.TASKS = IMMEDIATE_TASKS
    feed_server.routes["/gone"] = (404, {}, b"")
    client.force_login(operator)
    source = Source.objects.create(name="gone", url=feed_server.url("/gone"))
    client.post(f"/operator/sources/{source.pk}/fetch/")
    assert feed_server.hits["/gone"] == 1
    page = client.get("/operator/").content.decode()
    assert 'data-status="SUCCESSFUL"' in page and "응답: HTTP 404" in page
    assert "피드가 없어짐(HTTP 404)" in page and 'data-state="failing"' in page


def test_fetch_now_of_a_missing_source_is_a_404(client, operator):
    client.force_login(operator)
    assert client.post("/operator/sources/999999/fetch/").status_code == 404
    assert client.get("/operator/sources/1/fetch/").status_code == 405


# --- pause and resume -----------------------------------------------------------------------------
def test_pause_and_resume_decide_whether_the_schedule_fetches(client, operator, source):
    client.force_login(operator)
    assert source in due_sources()
    client.post(f"/operator/sources/{source.pk}/pause/")
    source.refresh_from_db()
    assert source.paused_at is not None and source not in due_sources()
    assert 'data-state="paused"' in client.get("/operator/").content.decode()
    client.post(f"/operator/sources/{source.pk}/resume/")
    source.refresh_from_db()
    assert source.paused_at is None and source in due_sources()


# --- OPML -----------------------------------------------------------------------------------------
OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="Tech" title="Tech">
<outline type="rss" text="Public" title="Public feed" xmlUrl="https://feeds.example.org/a.xml" htmlUrl="https://example.org/"/>
<outline type="atom" text="Metadata" xmlUrl="http://169.254.169.254/latest/"/>
<outline type="rss" text="Local" xmlUrl="FEED_AT" language="en"/>
</outline></body></opml>"""


def test_opml_import_previews_then_imports(client, operator, source, feed_at):
    client.force_login(operator)
    content = OPML.replace(b"FEED_AT", feed_at.encode())
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post("/operator/sources/import/", {"file": SimpleUploadedFile("feeds.opml", content)})
    html = preview.content.decode()
    assert preview.status_code == 200 and Source.objects.count() == 1  # the dry run saves nothing
    assert html.count('data-action="exists"') == 1 and html.count('data-action="refused"') == 1
    assert html.count('data-action="add"') == 1 and "클라우드 메타데이터 주소" in html
    response = client.post("/operator/sources/import/", {"content": content.decode(), "confirm": "1"})
    assert response.status_code == 302
    added = Source.objects.get(url=feed_at)
    assert added.name == "Local" and added.language_hint == "en"
    assert not Source.objects.filter(url__contains="169.254").exists() and Source.objects.count() == 2


@pytest.mark.parametrize(
    "content, words",
    [
        (b"not xml at all <", "XML"),
        (b"<html><body/></html>", "&lt;opml&gt;"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>', "DOCTYPE"),
        (b'<opml version="2.0"><body></body></opml>', "피드가 없습니다"),
        (b"\xff\xfe<opml>", ""),
    ],
)
def test_a_bad_opml_file_changes_nothing(client, operator, source, content, words):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator)
    response = client.post(
        "/operator/sources/import/", {"file": SimpleUploadedFile("bad.opml", content), "confirm": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "이 파일은 가져올 수 없어 아무것도 바꾸지 않았습니다" in html
    assert words in html
    assert list(Source.objects.values_list("url", flat=True)) == [source.url]


def test_an_import_without_a_file_asks_for_one(client, operator):
    client.force_login(operator)
    response = client.post("/operator/sources/import/", {})
    assert response.status_code == 400 and "가져올 OPML 파일을 고르세요" in response.content.decode()


def test_opml_export_round_trips_through_import(client, operator, db):
    client.force_login(operator)
    Source.objects.create(
        name="한국 피드", url="https://feeds.example.org/ko.xml", language_hint="ko", site_url="https://example.org/ko"
    )
    Source.objects.create(
        name="Paused atom", url="https://feeds.example.org/atom", kind="atom", paused_at=timezone.now()
    )
    Source.objects.create(name="demo file", url="data/feeds/klue-ynat-it-economy.xml", kind="file")
    exported = client.get("/operator/sources/export.opml")
    assert exported["Content-Disposition"].startswith("attachment")
    feeds = parse_opml(exported.content)
    assert {(f.title, f.xml_url, f.kind, f.language) for f in feeds} == {
        ("한국 피드", "https://feeds.example.org/ko.xml", "rss", "ko"),
        ("Paused atom", "https://feeds.example.org/atom", "atom", ""),
    }
    before = {(s.name, s.url, s.kind, s.language_hint, s.site_url) for s in Source.objects.exclude(kind="file")}
    Source.objects.all().delete()
    # Resolving example.org needs DNS; the round trip checks the file, not the network.
    import seoulhub.radar.views_operator as views

    original = views.feed_url_problem
    views.feed_url_problem = lambda url: ""
    try:
        client.post("/operator/sources/import/", {"content": exported.content.decode(), "confirm": "1"})
    finally:
        views.feed_url_problem = original
    after = {(s.name, s.url, s.kind, s.language_hint, s.site_url) for s in Source.objects.all()}
    assert after == before


# --- health ---------------------------------------------------------------------------------------
def test_health_states_and_error_kinds(db):
    now = timezone.now()
    never = Source.objects.create(name="never", url="https://a.example.org/")
    ok = Source.objects.create(name="ok", url="https://b.example.org/", last_fetch_at=now, last_success_at=now)
    failing = Source.objects.create(
        name="failing",
        url="https://c.example.org/",
        last_fetch_at=now,
        consecutive_errors=3,
        last_error="https://c.example.org/ 응답: HTTP 503",
    )
    Source.objects.create(name="paused", url="https://d.example.org/", paused_at=now)
    for days in (1, 2, 10):
        Article.objects.create(
            source=ok, title=f"t{days}", url=f"https://b.example.org/{days}", content_hash=f"h{days}"
        )
    Article.objects.filter(url__endswith="/10").update(fetched_at=now - datetime.timedelta(days=10))
    rows = {r.source.name: r for r in health_rows(Source.objects.all(), now=now)}
    assert rows["never"].state == NEVER_FETCHED and str(rows["never"].state_label) != str(rows["ok"].state_label)
    assert rows["ok"].state == OK and rows["ok"].items_7 == 2 and rows["ok"].items_30 == 3
    assert rows["failing"].state == FAILING and rows["failing"].backoff_factor == 8
    assert rows["failing"].next_fetch_at == failing.last_fetch_at + datetime.timedelta(minutes=60 * 8)
    assert rows["paused"].state == PAUSED
    assert never.next_fetch_at() is None


def test_health_page_in_korean(client, operator, db):
    Source.objects.create(name="never", url="https://a.example.org/")
    Source.objects.create(
        name="refused",
        url="http://10.0.0.1/",
        last_fetch_at=timezone.now(),
        consecutive_errors=2,
        last_error="refused to connect to 10.0.0.1: it is a private-network address; "
        "an operator can allow it with SEOULHUB_FETCH_ALLOW",
    )
    client.force_login(operator)
    html = client.get("/operator/").content.decode()
    assert "미수집" in html and "주소 거부(사설망·루프백·메타데이터)" in html and "백오프: 간격 × 4" in html
    assert "연속 오류 2회" in html


def test_error_kinds_read_korean_and_english_messages():
    assert error_kind("") == ""
    assert "404" in error_kind("https://x/ answered HTTP 404") and "404" in error_kind("https://x/ 응답: HTTP 404")
    assert (
        error_kind("호스트 이름 x의 주소를 찾을 수 없습니다(Name or service not known)") == "호스트 이름을 찾을 수 없음"
    )
    assert error_kind("x이(가) 20초 안에 응답하지 않았습니다") == "서버 응답 시간 초과"
    assert error_kind("피드가 비어 있습니다") == "피드를 읽지 못함"


# --- programme sync -------------------------------------------------------------------------------
def test_sync_page_shows_runs_and_sync_now_needs_a_key(client, operator, settings):
    from django_tasks_db.models import DBTaskResult

    from seoulhub.support.models import Programme, SyncRun

    settings.TASKS = DB_TASKS
    settings.SEOULHUB_BIZINFO_KEY = ""
    settings.SEOULHUB_KSTARTUP_KEY = ""
    SyncRun.objects.create(
        source=Programme.Source.BIZINFO, status=SyncRun.Status.FAILED, errors=["bizinfo: 연결할 수 없습니다"]
    )
    client.force_login(operator)
    html = client.get("/operator/sync/").content.decode()
    assert "bizinfo: 연결할 수 없습니다" in html and "서비스 키 없음" in html and "인터넷" in html
    response = client.post("/operator/sync/now/", {"source": "bizinfo"}, follow=True)
    assert "서비스 키가 설정되지 않아" in response.content.decode()
    assert not DBTaskResult.objects.exists()
    settings.SEOULHUB_BIZINFO_KEY = "test-key"
    response = client.post("/operator/sync/now/", {"source": "bizinfo"}, follow=True)
    assert "대기열에 넣었습니다" in response.content.decode()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "seoulhub.support.tasks.sync_programmes" and queued.args_kwargs["args"] == ["bizinfo"]
    response = client.post("/operator/sync/now/", {"source": "nope"}, follow=True)
    assert "기업마당 또는 K-Startup을 고르세요" in response.content.decode()


def test_the_old_health_page_no_longer_calls_a_never_fetched_source_ok(client, operator, source):
    client.force_login(operator)
    html = client.get("/radar/sources/health/").content.decode()
    row = html[html.index("Example feed") :]
    row = row[: row.index("</tr>")]
    assert "미수집" in row and "정상" not in row


# --- test fetch before saving ---------------------------------------------------------------------
FORM = {"kind": "rss", "trust_level": 2, "fetch_interval_minutes": 60, "name": "", "probe": "1"}


@pytest.mark.django_db(transaction=True)
def test_a_test_fetch_runs_in_the_worker_and_shows_the_first_titles(client, operator, feed_at, settings):
    settings.TASKS = DB_TASKS
    client.force_login(operator)
    response = client.post("/operator/sources/add/", {**FORM, "url": feed_at})
    assert response.status_code == 302 and not Source.objects.exists()  # nothing saved by a test fetch
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="READY"' in page and "새로 고치세요" in page and f'value="{feed_at}"' in page
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="SUCCESSFUL"' in page and "항목 20개" in page
    from seoulhub.radar.ingest.parse import parse_feed

    first = parse_feed(RSS).items[0].title
    assert first and first in page
    assert not Source.objects.exists()


def test_a_test_fetch_reports_an_unreadable_feed(client, operator, feed_server, allow_local, settings):
    settings.TASKS = IMMEDIATE_TASKS
    feed_server.routes["/empty"] = (200, {"Content-Type": "application/rss+xml"}, b"  ")
    client.force_login(operator)
    response = client.post("/operator/sources/add/", {**FORM, "url": feed_server.url("/empty")}, follow=True)
    assert "피드가 비어 있습니다" in response.content.decode()


def test_a_test_fetch_of_a_refused_address_queues_nothing(client, operator, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    client.force_login(operator)
    response = client.post("/operator/sources/add/", {**FORM, "url": "http://169.254.169.254/"})
    assert response.status_code == 400 and "클라우드 메타데이터 주소" in response.content.decode()
    assert not DBTaskResult.objects.exists()
