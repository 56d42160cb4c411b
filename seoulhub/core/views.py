from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import WORKER_STALE_AFTER_SECONDS, database_ok, worker_heartbeat_age
from .home import home_sections


@require_GET
def home(request):
    return render(request, "core/home.html", {"sections": home_sections(request)})


@never_cache
@require_GET
def healthz(request):
    db_ok, db_message = database_ok()
    if not db_ok:
        return JsonResponse({"status": "error", "database": db_message, "worker": None}, status=503)
    age = worker_heartbeat_age()
    worker_ok = age is not None and age <= WORKER_STALE_AFTER_SECONDS
    from seoulhub.support.programme_sync import health_summary

    return JsonResponse(
        {
            "programme_sync": health_summary(),  # last sync per source: informative, not part of the status
            "status": "ok" if worker_ok else "degraded",
            "database": db_message,
            "worker": {
                "heartbeat_age_seconds": None if age is None else round(age, 1),
                "stale_after_seconds": WORKER_STALE_AFTER_SECONDS,
                "message": "ok"
                if worker_ok
                else (
                    "no task worker has ever reported; start one with `seoulhub worker`"
                    if age is None
                    else "the task worker has not reported recently"
                ),
            },
        }
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def bad_request(request, exception=None):
    # Only BadRequest carries a message meant for the user (SuspiciousOperation's are not).
    reason = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "400.html", {"reason": reason}, status=400)


@require_GET
def about(request):
    return render(request, "core/about.html")
