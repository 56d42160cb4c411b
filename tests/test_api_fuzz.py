"""Schemathesis against the live server's OpenAPI schema (real HTTP): no generated input may
cause a server error, and successful GET responses must match the schema. Covers every
endpoint the apps register."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def operator_token(operator):
    from seoulhub.accounts.models import ApiToken

    return ApiToken.issue(operator, "fuzz")[1]


@pytest.fixture
def api_schema(live_server):
    from seoulhub.api import api

    saved = [throttle.num_requests for throttle in api.throttle]
    for throttle in api.throttle:  # fuzzing sends bursts; rate limits are tested elsewhere
        throttle.num_requests = 10**9
    yield schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    for throttle, limit in zip(api.throttle, saved):
        throttle.num_requests = limit


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def _public(operation) -> bool:
    """The operation declares that it answers anonymous requests (security [{}, ...])."""
    return {} in (operation.definition.raw.get("security") or [])


def _fuzz(operation, check, max_examples: int, token: str | None) -> None:
    # Schemathesis would otherwise send random Bearer values, and every request would stop at 401.
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @given(case=operation.as_strategy())
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        if not token and case.headers:
            case.headers.pop("Authorization", None)  # anonymous: no generated credentials either
        response = case.call(timeout=30, headers=headers)
        assert response.status_code != 401, (
            f"{operation.label}: {'the test token was' if token else 'anonymous'} refused"
        )
        if check is not_a_server_error or response.status_code < 400:
            case.validate_response(response, checks=[check])

    run()


def test_api_never_answers_a_server_error(api_schema, operator_token):
    operations = _operations(api_schema)
    assert len(operations) >= 4
    for operation in operations:
        _fuzz(operation, not_a_server_error, max_examples=15, token=operator_token)


def test_each_operation_declares_whether_it_needs_a_token(api_schema):
    operations = {operation.label: operation for operation in _operations(api_schema)}
    assert _public(operations["GET /api/v1/articles"]) and _public(operations["POST /api/v1/classify"])
    assert not _public(operations["PATCH /api/v1/firms/{firm_id}"])
    assert not _public(operations["GET /api/v1/subscription"])


def test_anonymous_fuzzing_of_public_operations_reaches_real_code(api_schema):
    public = [operation for operation in _operations(api_schema) if _public(operation)]
    assert len(public) >= 20
    for operation in public:
        _fuzz(operation, not_a_server_error, max_examples=15, token=None)


def test_api_get_responses_match_the_schema(api_schema, operator_token):
    for operation in _operations(api_schema):
        if operation.method.upper() == "GET":
            _fuzz(operation, response_schema_conformance, max_examples=8, token=operator_token)
