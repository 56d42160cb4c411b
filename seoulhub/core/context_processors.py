from django.conf import settings

from . import clock


def hub(request):
    return {
        "SEOULHUB_PRODUCTION": settings.PRODUCTION,
        "REFERENCE_DATE": clock.reference_date(),
        "NAV_SECTION": getattr(request, "resolver_match", None) and request.resolver_match.namespace,
    }
