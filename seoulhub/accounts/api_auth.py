"""API authentication: a Bearer token or the browser session; anonymous requests are allowed
through as the public role, and each write endpoint checks the role it needs."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        from .models import ApiToken

        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class _Optional(AuthBase):
    """Never rejects: resolves the user from a token or session, else leaves it anonymous.

    A request that sends a token which does not verify is rejected (401) rather than silently
    treated as public, so a mistyped token is noticed.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                return None
            return BearerToken().authenticate(request, raw.strip())
        user = getattr(request, "user", None)
        if user is None:
            request.user = AnonymousUser()
        elif user.is_authenticated and request.method not in ("GET", "HEAD", "OPTIONS"):
            # Session cookies are sent by browsers from any site: writes need the CSRF token.
            if check_csrf(request) is not None:
                raise PermissionDenied(
                    "CSRF check failed: send the X-CSRFToken header with a session, or use a Bearer token."
                )
        return request.user


optional_auth = _Optional()


def require_user(request):
    """For write endpoints: the signed-in user, or a 401 with instructions."""
    from ninja.errors import AuthenticationError

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise AuthenticationError()
    return user
