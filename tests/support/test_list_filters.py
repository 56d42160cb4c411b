"""The firm and programme lists: the page, its export and the API read one FilterSet, so the same
parameters select the same rows everywhere, and a bad value is a Korean message on the page and a
422 in the API (never a server error)."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from seoulhub.core import clock
from seoulhub.support.models import Programme
from seoulhub.taxonomy.models import Technology

pytestmark = pytest.mark.django_db


def _page_ids(client, path: str, params: dict) -> set[int]:
    """Every row the page lists, following its pages."""
    found: set[int] = set()
    for number in range(1, 200):
        response = client.get(path, {**params, "page": number}, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200, (params, response.status_code)
        ids = {int(pk) for pk in re.findall(rf'href="{path}(\d+)/"', response.content.decode())}
        if not ids - found:
            return found
        found |= ids
    raise AssertionError("the page never ended")


def _api_ids(client, path: str, params: dict) -> set[int]:
    found: set[int] = set()
    offset = 0
    while True:
        body = client.get(path, {**params, "limit": 200, "offset": offset}).json()
        found |= {item["id"] for item in body["items"]}
        offset += 200
        if offset >= body["count"]:
            assert len(found) == body["count"]
            return found


def _export_ids(client, path: str, params: dict) -> set[int]:
    response = client.get(path, {**params, "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(text))}


@pytest.fixture
def firms(make_firm):
    ai, robots = Technology.objects.get(slug="ai"), Technology.objects.get(slug="robotics")
    made = [
        make_firm("예시 마포 AI", district="마포구", products="대화형 AI 상담"),
        make_firm("예시 강남 로봇", district="강남구", name_en="Example Gangnam Robotics"),
        make_firm("예시 강남 AI", district="강남구", products="AI 영상 분석"),
        make_firm("예시 부산 AI", district=None, province="부산광역시"),
    ]
    for firm in made:
        firm.technologies.add(robots if "로봇" in firm.name_ko else ai)
    return made


@pytest.fixture
def catalogue(programmes):
    """The 120 real 2021 announcements, one labelled example open today and one rolling call."""
    today = clock.today()
    example = Programme.objects.create(
        title="[예시] 서울 AI 실증 지원",
        agency="예시 기관",
        kind="platform",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
    )
    example.technologies.add(Technology.objects.get(slug="ai"))
    Programme.objects.create(
        title="[예시] 상시 모집 멘토링",
        agency="예시 진흥원",
        kind="mentoring",
        rolling=True,
        source_created_at=timezone.now() - datetime.timedelta(days=20),
    )
    return Programme.objects.all()


FIRM_PARAMETERS = [
    {},
    {"district": "강남구"},
    {"district": "11680"},  # 강남구 by its code: the page used to match names only
    {"district": "강남구", "tech": "ai"},
    {"q": "AI"},
    {"q": "gangnam"},  # the English name
    {"q": "영상"},  # the products
    {"tech": "robotics"},
    {"q": "  예시  "},
]


@pytest.mark.parametrize("params", FIRM_PARAMETERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none")
def test_firm_page_export_and_api_select_the_same_firms(client, firms, params):
    page = _page_ids(client, "/support/firms/", params)
    assert page == _api_ids(client, "/api/v1/firms", params)
    assert page == _export_ids(client, "/support/firms/export/", params)
    if params:
        assert page, "a parameter set that selects nothing proves little"


def test_district_by_code_and_by_name_are_the_same_filter(client, firms):
    by_name = _page_ids(client, "/support/firms/", {"district": "강남구"})
    assert by_name == _page_ids(client, "/support/firms/", {"district": "11680"}) == {firms[1].pk, firms[2].pk}


PROGRAMME_PARAMETERS = [
    {},
    {"open": "true"},
    {"open": "false"},
    {"open": "1"},
    {"open": "true", "tech": "ai"},
    {"kind": "mentoring"},
    {"kind": "funding", "open": "false"},
    {"source": "bizinfo"},
    {"source": "manual"},
    {"q": "예시"},
    {"q": "진흥원"},  # the agency: the API used to search title and summary only
    {"q": "수출"},
]


@pytest.mark.parametrize(
    "params", PROGRAMME_PARAMETERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none"
)
def test_programme_page_export_and_api_select_the_same_programmes(client, catalogue, params):
    page = _page_ids(client, "/support/programmes/", params)
    assert page == _api_ids(client, "/api/v1/programmes", params)
    assert page == _export_ids(client, "/support/programmes/export/", params)
    if params:
        assert page, "a parameter set that selects nothing proves little"


def test_open_and_not_open_split_the_catalogue(client, catalogue):
    opened = _api_ids(client, "/api/v1/programmes", {"open": "true"})
    closed = _api_ids(client, "/api/v1/programmes", {"open": "false"})
    assert opened and closed and not opened & closed
    assert opened | closed == set(catalogue.values_list("pk", flat=True))
    assert {p.title for p in Programme.objects.filter(pk__in=opened)} == {
        "[예시] 서울 AI 실증 지원",
        "[예시] 상시 모집 멘토링",
    }


def test_open_programmes_list_what_closes_soonest_first_and_rolling_calls_after(client, catalogue):
    catalogue.filter(rolling=True).update(source_created_at=timezone.now())  # the newer announcement
    html = client.get("/support/programmes/", {"open": "true"}, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    dated, rolling = html.index("[예시] 서울 AI 실증 지원"), html.index("[예시] 상시 모집 멘토링")
    assert dated < rolling


BAD = [
    ("/support/firms/", "/api/v1/firms", {"district": "부산진구"}, "자치구가 아닙니다"),
    ("/support/firms/", "/api/v1/firms", {"district": "x" * 5000}, "자치구가 아닙니다"),
    ("/support/firms/", "/api/v1/firms", {"tech": "no-such-technology"}, "기술이 없습니다"),
    ("/support/firms/", "/api/v1/firms", {"q": "가" * 201}, "최대 200"),
    ("/support/programmes/", "/api/v1/programmes", {"kind": "grant"}, "지원사업 유형이 아닙니다"),
    ("/support/programmes/", "/api/v1/programmes", {"source": "²"}, "지원사업 출처가 아닙니다"),
    ("/support/programmes/", "/api/v1/programmes", {"open": "maybe"}, "true(참)도 false(거짓)도 아닙니다"),
    ("/support/programmes/", "/api/v1/programmes", {"open": "99999999999999999999"}, "아닙니다"),
    ("/support/programmes/", "/api/v1/programmes", {"tech": "ai", "kind": "loan", "open": "nope"}, "아닙니다"),
]


@pytest.mark.parametrize(
    "page_path,api_path,params,korean", BAD, ids=lambda v: str(v)[:30] if isinstance(v, dict) else None
)
def test_bad_values_are_a_korean_message_on_the_page_and_a_422_in_the_api(
    client, catalogue, firms, page_path, api_path, params, korean
):
    page = client.get(page_path, params, HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 400
    html = page.content.decode()
    messages = re.findall(r'<p class="error" role="alert">(.*?)</p>', html)
    assert messages and any(korean in m for m in messages), messages
    assert all(len(m) < 300 for m in messages), "a hostile value is quoted whole"
    assert not re.findall(rf'href="{page_path}(\d+)/"', html), "rows shown under a filter that was refused"

    api = client.get(api_path, params)
    assert api.status_code == 422
    body = api.json()
    assert body["message"].startswith("Invalid input:") and body["errors"]
    assert {error["loc"][1] for error in body["errors"]} <= set(params)
    assert korean not in body["message"], "the API speaks English"

    export = client.get(page_path + "export/", {**params, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert export.status_code == 400 and korean in export.content.decode()
