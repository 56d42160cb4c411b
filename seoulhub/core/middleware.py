import json

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .params import has_unstorable


class KoreanFirstLocaleMiddleware:
    """Korean unless the user chose another language (the language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language; the hub's users are
    Korean first, so the browser's preference is not enough to switch the interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class RejectUnstorableTextMiddleware:
    """Refuses, with a 400 (a 422 in the API) that says why, any request whose path, query string,
    form fields or JSON body hold a NUL character or a lone surrogate.

    PostgreSQL cannot hold NUL in text (psycopg raises before the query runs) and neither database
    driver can encode a lone surrogate, so such a value reaching any lookup was a 500. Checking here,
    once, covers every view and API operation, present and future. Cookies holding them are dropped
    instead (a stale cookie must not lock a browser out).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if has_unstorable([name, value])]:
            del request.COOKIES[name]
        if self._unstorable(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _unstorable(request) -> bool:
        if has_unstorable(request.path) or has_unstorable(list(request.GET.lists())):
            return True
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return False
        if request.content_type == "application/x-www-form-urlencoded":
            return has_unstorable(list(request.POST.lists()))  # parsed from request.body, which stays readable
        if request.content_type == "multipart/form-data" and not request.path.startswith("/api/"):
            # Parsing consumes the stream; pages read only request.POST and FILES afterwards.
            # (The API takes JSON only: it reads request.body, which must stay unread here.)
            return has_unstorable(list(request.POST.lists()))
        if request.content_type == "application/json" and request.body:
            try:
                data = json.loads(request.body)
            except (ValueError, RecursionError):
                return False  # not JSON at all: the API answers that itself
            return has_unstorable(data)
        return False

    @staticmethod
    def _refuse(request):
        if request.path.startswith("/api/"):
            # 422 with `errors`, as the API answers every other invalid input (docs/architecture.md).
            return JsonResponse(
                {
                    "message": UNSTORABLE_API_MESSAGE,
                    "errors": [{"type": "unstorable_text", "msg": UNSTORABLE_API_MESSAGE}],
                },
                status=422,
            )
        from django.contrib.auth.models import AnonymousUser

        from .views import bad_request

        if not hasattr(request, "user"):
            request.user = AnonymousUser()
        return bad_request(
            request,
            BadRequest(
                _(
                    "The address or the form holds a NUL character or broken text (an unpaired surrogate), "
                    "which the hub cannot read. Remove it and try again."
                )
            ),
        )


UNSTORABLE_API_MESSAGE = (
    "Invalid input: the request holds a NUL character (\\u0000) or an unpaired surrogate "
    "(\\ud800-\\udfff) in its path, query string or body; no text may contain them."
)


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy of settings.SEOULHUB_CSP on every response.

    Every script and stylesheet is a static file of the hub's own origin (plotly.js, htmx and
    Swagger UI included), so an injected inline script or a third-party host is refused by the
    browser even if escaping ever failed. A view that needs a different policy sets the header
    itself; it is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}" for directive, sources in settings.SEOULHUB_CSP.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        # Django's debug error pages (DEBUG only) are styled and scripted inline.
        if self.policy and not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
