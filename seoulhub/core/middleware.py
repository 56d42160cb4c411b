from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy of settings.SEOULHUB_CSP on every response.

    Every script and stylesheet is a static file of the hub's own origin (plotly.js, htmx and
    Swagger UI included), so an injected inline script or a third-party host is refused by the
    browser even if escaping ever failed. A view that needs a different policy sets the header
    itself; it is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in settings.SEOULHUB_CSP.items())

    def __call__(self, request):
        response = self.get_response(request)
        # Django's debug error pages (DEBUG only) are styled and scripted inline.
        if self.policy and not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
