from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import clock


def hub(request):
    return {
        "SEOULHUB_PRODUCTION": settings.PRODUCTION,
        "REFERENCE_DATE": clock.reference_date(),
        # Lazy: the role lookup runs only where a template asks (the signed-in header).
        "IS_OPERATOR": SimpleLazyObject(lambda: _is_operator(request)),
        "NAV_SECTION": getattr(request, "resolver_match", None) and request.resolver_match.namespace,
    }


def _is_operator(request) -> bool:
    from seoulhub.accounts.roles import is_operator

    return is_operator(getattr(request, "user", None))
