"""The API's general contract: OpenAPI schema, pagination of every list endpoint, JSON errors."""

import pytest

pytestmark = pytest.mark.django_db


def _paginated_list_paths(schema: dict) -> list[str]:
    """GET operations without path parameters whose 200 body has `count` and `items`."""
    paths = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get or "{" in path:
            continue
        ref = get["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        body = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
        if {"count", "items"} <= set(body.get("properties", {})):
            paths.append(path)
    return paths


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Seoul Digital Hub API"
    assert "/api/v1/technologies" in schema["paths"]


def test_every_list_endpoint_pages_with_limit_and_offset(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = _paginated_list_paths(schema)
    assert "/api/v1/technologies" in paths and "/api/v1/districts" in paths
    for path in paths:
        params = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        assert {"limit", "offset"} <= params, path
        first = client.get(path, {"limit": 2, "offset": 0})
        assert first.status_code == 200, (path, first.content)
        body = first.json()
        assert set(body) == {"count", "items"}, path
        assert len(body["items"]) <= 2
        if body["count"] > 2:
            second = client.get(path, {"limit": 2, "offset": 2}).json()
            assert second["items"] != body["items"], path


def test_technologies_list_counts_and_pages(client):
    everything = client.get("/api/v1/technologies", {"limit": 200}).json()
    assert everything["count"] == len(everything["items"]) >= 30
    page = client.get("/api/v1/technologies", {"limit": 5, "offset": 5}).json()
    assert page["items"] == everything["items"][5:10]


def test_technology_search_matches_korean_aliases(client):
    body = client.get("/api/v1/technologies", {"q": "인공지능"}).json()
    assert "ai" in [item["slug"] for item in body["items"]]


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 100000}, {"offset": -1}, {"limit": "many"}, {"offset": 10**30}]
)
def test_bad_paging_answers_422_with_a_message(client, params):
    response = client.get("/api/v1/technologies", params)
    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith("Invalid input: ")
    assert list(params)[0] in body["message"]


def test_unknown_object_answers_404_with_a_message(client):
    response = client.get("/api/v1/technologies/no-such-thing")
    assert response.status_code == 404
    assert response.json()["message"]


def test_a_wrong_token_is_refused_rather_than_treated_as_public(client):
    response = client.get("/api/v1/technologies", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["message"]


def test_a_valid_token_authenticates(client, operator):
    from seoulhub.accounts.models import ApiToken

    _token, raw = ApiToken.issue(operator, "ci")
    response = client.get("/api/v1/technologies", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_anonymous_api_clients_are_rate_limited_with_a_retry_hint(client):
    from seoulhub.api import api

    anon = next(t for t in api.throttle if t.scope == "anon")
    limit = anon.num_requests
    anon.num_requests = 3
    try:
        statuses = [client.get("/api/v1/districts").status_code for _ in range(5)]
        limited = client.get("/api/v1/districts")
    finally:
        anon.num_requests = limit
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    assert "Too many requests" in limited.json()["message"]
    assert int(limited["Retry-After"]) >= 1


def test_an_unexpected_error_answers_json_500_and_is_logged(client, monkeypatch, caplog):
    from seoulhub.taxonomy import api as taxonomy_api

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(taxonomy_api.District.objects, "order_by", broken)
    with caplog.at_level("ERROR", logger="seoulhub.api"):
        response = client.get("/api/v1/districts")
    assert response.status_code == 500
    assert response.json()["message"].startswith("Internal error")
    assert "disk on fire" in caplog.text


@pytest.mark.parametrize("path", ["/api/v1/articles", "/api/v1/articles/facets"])
def test_a_source_id_beyond_any_database_integer_answers_422(client, path):
    response = client.get(path, {"source": -(10**35)})
    assert response.status_code == 422
    assert "source" in response.json()["message"]
