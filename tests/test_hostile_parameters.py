"""Hostile values in every parameter of every page and API route: never a server error.

The page routes come from the URL resolver, the API operations from the OpenAPI schema, so a new
route is walked without editing this file. A page's parameters are the names its view reads: each
route is requested once while the request's QueryDicts record every name looked up (forms read
theirs the same way), then each name gets each hostile value. Runs on SQLite and PostgreSQL (NUL
and lone surrogates fail differently on each).
"""

import json
import re
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.datastructures import MultiValueDict

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

HOSTILE = {
    "superscript two": "²",
    "20 digits": "99999999999999999999",
    "NUL": "a\x00b",
    "lone surrogate": "\ud800",
    "5,000 characters": "x" * 5000,
}
# Django's own admin and the i18n catalogue view are not the hub's code.
SKIPPED_PREFIXES = ("admin/", "api/", "jsi18n/")


def _encode(value: str) -> str:
    # A lone surrogate cannot be UTF-8 encoded; an attacker sends the bytes anyway.
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _query(params: dict[str, str]) -> str:
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in params.items())


def _routes(resolver=None, prefix=""):
    """(route text, pattern name) of every page route, e.g. ("pilots/demands/<int:pk>/", "pilots:demand_detail")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.lstrip("^").rstrip("$"), entry.name


_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def _fill(route: str, values: dict[str, str], default: str) -> str:
    return "/" + _CONVERTER.sub(lambda m: _encode(values.get(m["name"], default)), route)


class _ParameterRecorder:
    """Records every name a view looks up in request.GET / request.POST."""

    def __init__(self, monkeypatch):
        self.names: set[str] = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(MultiValueDict, method)
            monkeypatch.setattr(MultiValueDict, method, self._wrap(original))

    def _wrap(self, original):
        recorder = self

        def recording(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                recorder.names.add(key)
            return original(self, key, *args, **kwargs)

        return recording

    def collect(self, call) -> tuple[set[str], object]:
        self.names = set()
        response = call()
        return set(self.names), response


@pytest.fixture
def world(operator, make_user):
    """One of everything a page can show, so views run past their lookups."""
    from django.utils import timezone

    from seoulhub.landscape.models import Briefing
    from seoulhub.pilots import lifecycle as lc
    from seoulhub.pilots import services
    from seoulhub.pilots.models import Demand, Kpi, Proposal
    from seoulhub.radar.models import Article, ArticleTechnology, Source
    from seoulhub.support.models import Firm, FirmMember, Programme
    from seoulhub.taxonomy.models import District, Technology

    tech = Technology.objects.get(slug="ai")
    source = Source.objects.create(name="Example feed", url="http://127.0.0.1:9/feed.xml")
    article = Article.objects.create(
        source=source,
        title="AI 예시 기사",
        url="http://127.0.0.1:9/a",
        language="ko",
        is_digital=True,
        content_hash="h1",
        search_text="ai 인공지능",
        published_at=timezone.now(),
    )
    ArticleTechnology.objects.create(article=article, technology=tech, score=1.0)
    programme = Programme.objects.create(title="예시 지원사업", summary="AI")
    firm = Firm.objects.create(name_ko="예시 기업", district=District.objects.first())
    firm.technologies.add(tech)
    FirmMember.objects.create(firm=firm, user=operator)
    today = timezone.localdate()
    import datetime

    demand = services.create_demand(
        operator,
        title="예시 수요",
        problem="문제",
        place="장소",
        closes_on=today + datetime.timedelta(days=30),
        technologies=[tech],
        criteria=[("Merit", 100)],
        is_example=True,
    )
    draft = services.create_demand(
        operator,
        title="예시 초안",
        problem="문제",
        place="장소",
        closes_on=today + datetime.timedelta(days=30),
        technologies=[tech],
        criteria=[("Merit", 100)],
        is_example=True,
    )
    Demand.objects.filter(pk=draft.pk).update(status=Demand.Status.DRAFT)
    proposal = services.create_proposal(operator, demand, firm, title="예시 제안", summary="요약", is_example=True)
    Proposal.objects.filter(pk=proposal.pk).update(state=lc.SELECTED)
    kpi = Kpi.objects.create(proposal=proposal, name="정확도", unit="%", target=90)
    briefing = Briefing.objects.create(technology=tech, week="2026-W10", content={})
    from seoulhub.support.models import MembershipRequest

    join_request = MembershipRequest.objects.create(user=make_user("asker"), firm=firm)
    return {
        "pk": str(article.pk),
        "firm_id": str(firm.pk),
        "slug": tech.slug,
        "code": District.objects.first().adm_code,
        "month": "2026-03",
        "token": "nosuchtoken",
        "ids": {
            "radar:article": article.pk,
            "support:programme_detail": programme.pk,
            "support:programme_firms": programme.pk,
            "support:firm_detail": firm.pk,
            "support:firm_edit": firm.pk,
            "support:firm_dashboard": firm.pk,
            "support:calendar_firm": firm.pk,
            "pilots:demand_detail": demand.pk,
            "pilots:proposal_create": demand.pk,
            "pilots:proposal_detail": proposal.pk,
            "pilots:proposal_transition": proposal.pk,
            "pilots:proposal_conflict": proposal.pk,
            "pilots:proposal_review": proposal.pk,
            "pilots:pilot_plan": proposal.pk,
            "landscape:opportunities": firm.pk,
            "landscape:briefing": briefing.pk,
            "support:firm_members": firm.pk,
            "support:firm_profile": firm.pk,
            "support:firm_history": firm.pk,
            "support:membership_decide": join_request.pk,
        },
        "kpi": kpi.pk,
        "source": str(source.pk),
    }


def _page_routes(world):
    seen = set()
    for route, name in _routes():
        if route in seen:
            continue
        seen.add(route)
        values = {key: world[key] for key in ("firm_id", "slug", "code", "month", "token") if key in world}
        qualified = _qualified_name(route, name)
        values["pk"] = str(world["ids"].get(qualified, 1))
        yield route, qualified, values


def _qualified_name(route: str, name: str | None) -> str:
    namespace = route.split("/", 1)[0] if "/" in route else ""
    return f"{namespace}:{name}" if namespace and name else (name or route)


def _usual(names, world) -> dict[str, str]:
    """Ordinary values for the other parameters, so that one hostile value meets the code paths
    that ordinary ones open (e.g. ?q=AI&tech=ai, kind=source with value=...)."""
    usual = {
        "q": "AI",
        "tech": "ai",
        "technology": "ai",
        "kind": "source",
        "frequency": "daily",
        "actual": "1",
        "action": "follow",
        "language": "ko",
        "lang": "ko",
        "granularity": "month",
        "source": world["source"],
        "value": world["source"],
        "kpi_id": str(world["kpi"]),
        "partners": world["firm_id"],
        "year": "2023",
        "term": "ai",
    }
    return {name: usual[name] for name in names if name in usual}


def _walk_pages(client, recorder, world, failures, user=None):
    for route, name, values in _page_routes(world):
        if user is not None:  # a route may sign the user out (logout) or change the session
            client.force_login(user)
        url = _fill(route, values, "1")
        names, response = recorder.collect(lambda url=url: client.get(url))
        _check(failures, "GET", url, response)
        names |= {"page", "q"}
        for name_ in sorted(names):
            for label, value in HOSTILE.items():
                target = f"{url}?{_query({**_usual(names, world), name_: value})}"
                _check(failures, "GET", target, client.get(target))
        post_names, response = recorder.collect(lambda url=url: client.post(url, data={}))
        _check(failures, "POST", url, response)
        if response.status_code == 405:
            continue
        post_names |= names if response.status_code < 400 else set()
        post_names |= {"next", "kpi_id", "partners", "sources", "kind", "value"}
        for label, value in HOSTILE.items():
            body = _query({n: value for n in post_names})
            _check(
                failures,
                "POST",
                f"{url} (every field {label})",
                client.post(url, data=body, content_type="application/x-www-form-urlencoded"),
            )
            for name_ in sorted(post_names):
                body = _query({**_usual(post_names, world), name_: value})
                _check(
                    failures,
                    "POST",
                    f"{url} ({name_}={label})",
                    client.post(url, data=body, content_type="application/x-www-form-urlencoded"),
                )
        # Hostile path values, where the route's converter lets them through.
        kinds = set(re.findall(r"<(?:(\w+):)?\w+>", route))
        for label, value in HOSTILE.items():
            if kinds & {"int"} and not (value.isascii() and value.isdigit()):
                continue
            if kinds & {"slug"} and not re.fullmatch(r"[-a-zA-Z0-9_]+", value):
                continue
            if kinds:
                target = _fill(route, {}, value)
                _check(failures, "GET", target, client.get(target))


def _check(failures, method, url, response):
    if response.status_code >= 500:
        failures.append(f"{method} {url[:200]} -> {response.status_code}")


def _operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation, schema


def _body_fields(operation, schema) -> dict[str, dict]:
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema")
    if not body:
        return {}
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return body.get("properties", {})


def _walk_api(client, world, failures):
    ids = world["ids"]
    path_values = {  # real objects, so that a hostile query or body value meets the operation's code
        "proposal_id": ids["pilots:proposal_detail"],
        "demand_id": ids["pilots:demand_detail"],
        "firm_id": ids["support:firm_detail"],
        "programme_id": ids["support:programme_detail"],
        "article_id": ids["radar:article"],
        "kpi_id": world["kpi"],
        "slug": world["slug"],
        "code": world["code"],
    }
    path_values = {name: str(value) for name, value in path_values.items()}
    for path, method, operation, schema in _operations(client):
        parameters = operation.get("parameters", [])
        url = re.sub(r"{(\w+)}", lambda m: path_values.get(m[1], "1"), path)
        send = getattr(client, method)
        fields = _body_fields(operation, schema)
        for label, value in HOSTILE.items():
            for parameter in parameters:
                if parameter["in"] == "query":
                    target = f"{url}?{_query({parameter['name']: value})}"
                    _check(failures, method.upper(), target, send(target))
                elif parameter["in"] == "path":
                    target = re.sub(
                        r"{(\w+)}",
                        lambda m, value=value, name=parameter["name"]: (
                            _encode(value) if m[1] == name else path_values.get(m[1], "1")
                        ),
                        path,
                    )
                    _check(failures, method.upper(), target, send(target))
            if fields:
                for name in fields:
                    for hostile in (value, None, [value], {"x": value}):
                        body = json.dumps({name: hostile})
                        _check(
                            failures,
                            method.upper(),
                            f"{url} {name}={label!r}/{type(hostile).__name__}",
                            send(url, data=body, content_type="application/json"),
                        )
                body = json.dumps({name: value for name in fields})
                _check(
                    failures,
                    method.upper(),
                    f"{url} every field {label}",
                    send(url, data=body, content_type="application/json"),
                )


@pytest.fixture
def no_throttle():
    from seoulhub.api import api

    saved = [throttle.num_requests for throttle in api.throttle]
    for throttle in api.throttle:
        throttle.num_requests = 10**9
    yield
    for throttle, limit in zip(api.throttle, saved):
        throttle.num_requests = limit


@pytest.fixture
def recorder(monkeypatch):
    return _ParameterRecorder(monkeypatch)


@pytest.fixture
def client():
    from django.test import Client

    return Client(raise_request_exception=False)


def test_hostile_parameters_on_every_page_anonymous(client, world, recorder):
    failures = []
    _walk_pages(client, recorder, world, failures)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


def test_hostile_parameters_on_every_page_as_operator(client, world, recorder, operator):
    failures = []
    _walk_pages(client, recorder, world, failures, user=operator)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


def test_hostile_parameters_on_every_api_operation(client, world, operator, no_throttle):
    failures = []
    _walk_api(client, world, failures)
    client.force_login(operator)
    _walk_api(client, world, failures)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])
