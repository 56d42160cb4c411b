import os

import hypothesis
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.contrib.auth.models import Group

from seoulhub.accounts.models import Role

# Hypothesis checks properties, not speed: on a loaded machine (or beside other xdist workers) its
# timing checks failed tests whose properties held (input generation "too slow", deadlines).
hypothesis.settings.register_profile("seoulhub", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.load_profile("seoulhub")


def _serve_one_request_at_a_time_on_in_memory_sqlite():
    """On SQLite the test database lives in memory, and Django hands the live server's request
    threads the test's own connection. Two requests at once (a page firing several htmx requests)
    then used one connection from two threads and deadlocked (seen in the radar search journey).
    The live server handles one request at a time there, as `runserver --nothreading` does
    (Django answers with Connection: close, so a browser's other connections do not wait behind
    a keep-alive one). PostgreSQL keeps the threaded server."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    if settings.DATABASES["default"].get("TEST", {}).get("NAME"):
        return  # a file database: each thread opens its own connection

    class OneRequestAtATimeServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # Requests run in the live-server thread, which installed the overrides already.
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = OneRequestAtATimeServer


_serve_one_request_at_a_time_on_in_memory_sqlite()


def _own_redis_databases_per_xdist_worker():
    """Each test empties the cache (and the RQ test its queue): pytest-xdist workers sharing a
    Redis database would empty each other's. Worker gwN moves CACHE_URL and REDIS_URL 2*N
    databases down (gw0 keeps 15 and 14, gw1 takes 13 and 12, ...), in the settings and in the
    environment that the processes it starts inherit. Runs before anything touches the cache."""
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or worker == "gw0":
        return
    shift = 2 * int(worker[2:])
    for variable in ("CACHE_URL", "REDIS_URL"):
        url = urlsplit(os.environ.get(variable, ""))
        if not url.scheme.startswith("redis"):
            continue
        number = int(url.path.strip("/") or 0) - shift
        if number < 0:
            raise pytest.UsageError(f"{variable}={url.geturl()}: too few Redis databases below it for {worker}")
        moved = urlunsplit(url._replace(path=f"/{number}"))
        os.environ[variable] = moved
        if variable == "CACHE_URL" and "redis" in settings.CACHES["default"]["BACKEND"].lower():
            settings.CACHES["default"]["LOCATION"] = moved
        if variable == "REDIS_URL":
            for queue in getattr(settings, "RQ_QUEUES", {}).values():
                queue["URL"] = moved


_own_redis_databases_per_xdist_worker()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The taxonomy, KSIC codes, districts and the city's policy roles are loaded by migration. A transactional test
    (live server, browser) empties every table when it ends, so put them back for whoever
    runs next."""
    marker = request.node.get_closest_marker("django_db")
    wanted = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if marker is None and not wanted:
        return
    transactional = (
        "transactional_db" in wanted
        or "live_server" in wanted
        or (marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from seoulhub.taxonomy.loaders import load_districts, load_ksic, load_technologies
    from seoulhub.taxonomy.models import District, KsicCode, Technology

    if not Technology.objects.exists():
        load_technologies(Technology)
    if not KsicCode.objects.exists():
        load_ksic(KsicCode)
    if not District.objects.exists():
        load_districts(District)
    from django.apps import apps
    from importlib import import_module

    if not apps.get_model("observatory", "PolicyRole").objects.exists():
        import_module("seoulhub.observatory.migrations.0002_city_roles").create_roles(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _search_vector_index_in_a_temporary_folder(tmp_path_factory):
    """The radar search's vector index file of the tests, never the checkout's var/."""
    from django.conf import settings

    settings.SEARCH_VECTOR_INDEX = tmp_path_factory.mktemp("search") / "vectors.usearch"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rate-limit counters and cached figures live in the cache (and its per-process memos), and
    a search index file of another test's database would hold its ids; each test starts with none."""
    from django.conf import settings

    from seoulhub.core import clock
    from seoulhub.core.localcache import clear_all

    cache.clear()
    clear_all()
    clock.forget()  # the reference date read from another test's database
    yield
    cache.clear()
    clear_all()
    settings.SEARCH_VECTOR_INDEX.unlink(missing_ok=True)
    clock.forget()


@pytest.fixture
def make_user(db):
    """A user with the given role (a Django group); returns the user."""

    def make(username: str = "user", role: Role | None = None, **fields):
        user = get_user_model().objects.create_user(username=username, password="pw-for-tests-1", **fields)
        if role is not None and role != Role.PUBLIC:
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        return user

    return make


@pytest.fixture
def operator(make_user):
    return make_user("op", Role.OPERATOR, is_staff=True)


@pytest.fixture
def official(make_user):
    return make_user("official", Role.OFFICIAL)


@pytest.fixture
def firm_member(make_user):
    return make_user("member", Role.FIRM_MEMBER)


@pytest.fixture
def api_client(client):
    """Django's test client with JSON helpers for /api/v1."""
    return client


# Browser tests: Playwright driving Debian's chromium against pytest-django's live server.
# One browser for the whole session, shared by every directory (a second sync_playwright
# instance in the same process fails).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def pytest_collection_modifyitems(config, items):
    # Browser tests need Debian's chromium. In CI a missing browser is a failure (the test
    # itself fails at launch); on a developer machine without it they are skipped with the fix.
    if os.path.exists("/usr/bin/chromium") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="needs Debian's chromium: sudo apt-get install chromium fonts-nanum")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
