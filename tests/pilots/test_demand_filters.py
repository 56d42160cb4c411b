"""The demand list: the pilots page and the API read one FilterSet (pilots/filters.py), so the same
parameters list the same demands; a bad value is a Korean message on the page and a 422 in the API."""

import datetime
import re

import pytest
from django.utils import timezone

from seoulhub.pilots.models import Demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def demands(official, tech):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    def make(title, status=Demand.Status.OPEN, closes_on=today + 30 * day, slugs=("drones",), is_example=True, **kw):
        demand = Demand.objects.create(
            title=title,
            problem=kw.pop("problem", "예시 문제"),
            status=status,
            closes_on=closes_on,
            is_example=is_example,
            posted_by=official,
            **kw,
        )
        demand.technologies.set(tech(*slugs))
        return demand

    return [
        make("Drone bridge inspection (example)"),
        make("Vision for crossings (example)", slugs=("computer-vision",), problem="보행자 안전"),
        make("Real drone call", is_example=False),
        make("Closed drone call", closes_on=today - day),
        make("Not yet open", opens_on=today + 5 * day),
        make("Status closed", status=Demand.Status.CLOSED),
        make("Draft call", status=Demand.Status.DRAFT),
    ]


def _page_ids(client, params) -> set[int]:
    response = client.get("/pilots/", params, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    table = re.search(r'<table class="stacked" id="demand-list">(.*?)</table>', response.content.decode(), re.S)
    return {int(pk) for pk in re.findall(r'href="/pilots/demands/(\d+)/"', table.group(1))} if table else set()


def _api_ids(client, params) -> set[int]:
    body = client.get("/api/v1/demands", {**params, "limit": 200}).json()
    assert body["count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


PARAMETERS = [
    {},
    {"open_only": "true"},
    {"open_only": "false"},
    {"technology": "drones"},
    {"technology": "computer-vision", "open_only": "false"},
    {"q": "drone"},
    {"q": "보행자"},  # the problem text
    {"examples": "false"},
    {"examples": "0", "open_only": "false"},
]


@pytest.mark.parametrize("params", PARAMETERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none")
@pytest.mark.parametrize("who", ["anonymous", "official"])
def test_page_and_api_list_the_same_demands(client, demands, official, params, who):
    if who == "official":
        client.force_login(official)
    page = _page_ids(client, params)
    assert page == _api_ids(client, params)
    assert page, "a parameter set that selects nothing proves little"
    draft = demands[-1].pk
    if who == "anonymous":
        assert draft not in page
    elif params == {"open_only": "false"}:
        assert draft in page and len(page) == len(demands)


def test_open_only_is_the_default_and_is_decided_in_the_database(client, demands):
    assert _api_ids(client, {}) == {d.pk for d in demands[:3]} == {d.pk for d in Demand.objects.open()}


@pytest.mark.parametrize(
    "params,korean",
    [
        ({"technology": "no-such-tech"}, "기술이 없습니다"),
        ({"open_only": "maybe"}, "true(참)도 false(거짓)도 아닙니다"),
        ({"examples": "²"}, "true(참)도 false(거짓)도 아닙니다"),
        ({"q": "x" * 5000}, "최대 200"),
    ],
)
def test_bad_values_are_korean_on_the_page_and_422_in_the_api(client, demands, settings, params, korean):
    settings.LANGUAGE_CODE = "ko"  # the pilots tests read English by default (conftest)
    page = client.get("/pilots/", params, HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 400
    messages = re.findall(r'<p class="error" role="alert">(.*?)</p>', page.content.decode())
    assert any(korean in m for m in messages) and all(len(m) < 300 for m in messages), messages
    api = client.get("/api/v1/demands", params)
    assert api.status_code == 422 and korean not in api.json()["message"]
