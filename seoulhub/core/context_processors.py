from django.conf import settings


def hub(request):
    return {
        "SEOULHUB_PRODUCTION": settings.PRODUCTION,
        "NAV_SECTION": getattr(request, "resolver_match", None) and request.resolver_match.namespace,
    }
