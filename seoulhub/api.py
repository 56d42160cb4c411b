"""The REST API (/api/v1/): one NinjaAPI, a router per domain app.

Contract for every list endpoint: `limit`/`offset` query parameters and a body
`{"count": N, "items": [...]}` (ninja's LimitOffsetPagination). Every error answers
`{"message": "..."}` in words a person can act on, plus `errors` for invalid input.
"""

import logging
import math
import re

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from seoulhub.accounts.api_auth import optional_auth
from seoulhub.accounts.ratelimit import AnonymousApiThrottle, UserApiThrottle

logger = logging.getLogger("seoulhub.api")


class HubApi(NinjaAPI):
    """The hub's NinjaAPI, whose OpenAPI schema says per operation whether a token is needed.

    Every operation runs the same optional authentication (a token or session if sent, else the
    public), which ninja would declare as "bearer required" everywhere; clients and fuzzers then
    send a token to public operations and never reach them anonymously. Here an operation whose
    view does not call require_user() declares `security: [{}, {bearer}]` (anonymous or a token),
    the others `[{bearer}]`. The scheme is named BearerToken."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemes = schema.get("components", {}).get("securitySchemes", {})
        if "_Optional" in schemes:
            schemes["BearerToken"] = schemes.pop("_Optional")
        needs_user = _operations_that_need_a_user(self)
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                if "security" not in operation:
                    continue
                public = (path, method.upper()) not in needs_user
                operation["security"] = [{}, {"BearerToken": []}] if public else [{"BearerToken": []}]
        return schema


def _operations_that_need_a_user(api: NinjaAPI) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every operation whose view calls require_user()."""
    import inspect

    found = set()
    prefix = api.get_root_path({})
    for route_prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = "/" + "/".join(p.strip("/") for p in (prefix, route_prefix, path) if p.strip("/"))
            full = re.sub(r"{(?:\w+:)?(\w+)}", r"{\1}", full)
            for operation in path_view.operations:
                source = inspect.getsource(inspect.unwrap(operation.view_func))
                for method in operation.methods:
                    if "require_user(" in source:
                        found.add((full, method))
    return found


api = HubApi(
    title="Seoul Digital Hub API",
    version="1",
    description=(
        "Technology radar, support programmes, pilot projects and the industry observatory of "
        "Seoul Digital Hub. Reading public data needs no token; writing needs "
        "`Authorization: Bearer <token>` (create one at /accounts/tokens/) or a signed-in session."
    ),
    urls_namespace="api",
    # No validator badge: Swagger UI would send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    auth=optional_auth,
    throttle=[AnonymousApiThrottle(settings.SEOULHUB_API_RATE_ANON), UserApiThrottle(settings.SEOULHUB_API_RATE_USER)],
)


def _describe(error: dict) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path"))
    message = error.get("msg", "invalid value")
    return f"{location}: {message}" if location else message


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    details = [_describe(error) for error in exc.errors]
    return api.create_response(
        request,
        {"message": "Invalid input: " + "; ".join(details), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return api.create_response(
        request,
        {
            "message": "Authentication required: send 'Authorization: Bearer <token>' (tokens are created at /accounts/tokens/)."
        },
        status=401,
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    reason = str(exc) or "You do not have permission to do this."
    return api.create_response(request, {"message": reason}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    reason = str(exc) or "Not found."
    return api.create_response(request, {"message": reason}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def on_object_missing(request, exc):
    return api.create_response(request, {"message": str(exc) or "Not found."}, status=404)


@api.exception_handler(Throttled)
def on_throttled(request, exc: Throttled):
    wait = f" Retry after {math.ceil(exc.wait)} s." if exc.wait else ""
    return api.create_response(request, {"message": "Too many requests from this client." + wait}, status=429)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    # A number the database cannot hold (SQLite raises OverflowError, PostgreSQL DataError).
    return api.create_response(
        request,
        {"message": "Invalid input: a number in the request is outside the range the hub can store."},
        status=422,
    )


@api.exception_handler(Exception)
def on_unexpected_error(request, exc: Exception):
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(
        request,
        {
            "message": "Internal error: the request could not be completed. It has been logged for the operators; try again later."
        },
        status=500,
    )


def _register_routers() -> None:
    from seoulhub.alerts.api import router as alerts_router
    from seoulhub.landscape.api import router as landscape_router
    from seoulhub.observatory.api import router as observatory_router
    from seoulhub.pilots.api import router as pilots_router
    from seoulhub.radar.api import router as radar_router
    from seoulhub.support.api import router as support_router
    from seoulhub.taxonomy.api import router as taxonomy_router

    api.add_router("/", taxonomy_router)
    api.add_router("/", radar_router)
    api.add_router("/", support_router)
    api.add_router("/", pilots_router)
    api.add_router("/", observatory_router)
    api.add_router("/", landscape_router)
    api.add_router("/", alerts_router)


_register_routers()
