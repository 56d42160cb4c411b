"""Operator tools on the web: the radar's sources (health, add a feed, fetch now, pause and resume,
OPML import and export) and the programme sync. Operators only; nothing here fetches inside the
request: "fetch now" and "sync now" queue the worker's tasks."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from seoulhub.accounts.roles import is_operator

from .models import Source
from .opml import OpmlError, OpmlFeed, parse_opml
from .source_forms import FeedForm, feed_url_problem
from .source_health import health_rows
from .views import opml_download

MAX_OPML_BYTES = 1024 * 1024
MAX_OPML_FEEDS = 500  # each feed's address is resolved and checked at import
SESSION_FETCHES = "operator_fetches"
SESSION_PROBE = "operator_probe"


def operator_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_operator(request.user):
            raise PermissionDenied(_("Only hub operators can manage the radar's sources and the programme sync."))
        return view(request, *args, **kwargs)

    return checked


# --- fetch-now bookkeeping (per operator session) --------------------------------------------------
def _remember_fetch(request, source: Source, result) -> None:
    fetches = request.session.get(SESSION_FETCHES, {})
    fetches[str(source.pk)] = {
        "id": str(result.id),
        "status": str(result.status),
        "queued_at": timezone.now().isoformat(),
        "value": _plain_value(result),
    }
    request.session[SESSION_FETCHES] = dict(list(fetches.items())[-50:])


def _plain_value(result):
    try:
        value = result.return_value
    except ValueError:  # django-tasks raises until the task has succeeded
        return None
    return value if isinstance(value, dict) else None


def _task_state(task, entry: dict) -> tuple[str, dict | None]:
    """(status, return value) of a queued task, from the backend when it can look results up (the
    database queue), else as it was when queued (the immediate backend runs it at once)."""
    status, value = entry.get("status", ""), entry.get("value")
    try:
        result = task.get_result(entry["id"])
    except (NotImplementedError, TaskResultDoesNotExist, TaskResultMismatch):
        result = None  # a backend without result lookup, or a result the queue has pruned
    if result is not None:
        status, value = str(result.status), _plain_value(result) or value
    return status, value


def _status_label(status: str) -> str:
    return {
        "READY": _("queued, waiting for the worker"),
        "RUNNING": _("running"),
        "SUCCESSFUL": _("finished"),
        "FAILED": _("failed"),
    }.get(status, status)


def _fetch_status(entry: dict) -> dict:
    from .tasks import ingest_source

    status, value = _task_state(ingest_source, entry)
    text, error = _status_label(status), ""
    if value and value.get("error"):
        error = value["error"]
    elif status == "SUCCESSFUL" and value is not None:
        text = ngettext("finished: %(count)s new item", "finished: %(count)s new items", value.get("new", 0)) % {
            "count": value.get("new", 0)
        }
    return {"status": status, "text": text, "error": error, "queued_at": entry.get("queued_at", "")}


# --- sources --------------------------------------------------------------------------------------
@require_GET
@operator_only
def sources(request):
    rows = health_rows(Source.objects.all())
    fetches = request.session.get(SESSION_FETCHES, {})
    for row in rows:
        if entry := fetches.get(str(row.source.pk)):
            row.task = _fetch_status(entry)
    order = {"paused": 0, "failing": 1, "never": 2, "ok": 3, "inactive": 4}
    rows.sort(key=lambda r: (order.get(r.state, 5), r.source.name.lower()))
    counts = {state: sum(1 for r in rows if r.state == state) for state in order}
    return render(request, "radar/operator/sources.html", {"rows": rows, "counts": counts, "total": len(rows)})


@require_http_methods(["GET", "POST"])
@operator_only
def source_add(request):
    """Add a feed. "Test fetch" validates the form, queues probe_feed for the worker and comes back
    to this page with the entered values in the query string; the result shows once the worker has run."""
    if request.method == "POST":
        form = FeedForm(request.POST)
        if form.is_valid():
            if request.POST.get("probe") == "1":
                from .tasks_operator import probe_feed

                result = probe_feed.enqueue(form.cleaned_data["url"])
                request.session[SESSION_PROBE] = {
                    "id": str(result.id),
                    "status": str(result.status),
                    "url": form.cleaned_data["url"],
                    "value": _plain_value(result),
                }
                kept = {name: request.POST.get(name, "") for name in form.fields if request.POST.get(name)}
                kept["url"] = form.cleaned_data["url"]
                return redirect(reverse("operator:source_add") + "?" + urlencode(kept))
            source = form.save()
            request.session.pop(SESSION_PROBE, None)
            messages.success(
                request,
                _("The feed %(name)s was added. It is fetched at its next turn, or now with “Fetch now”.")
                % {"name": source.name},
            )
            return redirect("operator:sources")
    else:
        form = FeedForm(initial={name: request.GET.get(name) for name in FeedForm.base_fields if request.GET.get(name)})
    probe = None
    entry = request.session.get(SESSION_PROBE)
    if entry and entry.get("url") == (form.data.get("url") if form.is_bound else form.initial.get("url")):
        from .tasks_operator import probe_feed

        status, value = _task_state(probe_feed, entry)
        probe = {"status": status, "text": _status_label(status), "value": value or {}}
    return render(
        request, "radar/operator/source_add.html", {"form": form, "probe": probe}, status=400 if form.errors else 200
    )


@require_POST
@operator_only
def source_fetch(request, pk: int):
    from .tasks import ingest_source

    source = get_object_or_404(Source, pk=pk)
    result = ingest_source.enqueue(source.pk)
    _remember_fetch(request, source, result)
    messages.success(request, _("Fetching %(name)s is queued; the worker runs it shortly.") % {"name": source.name})
    return redirect("operator:sources")


@require_POST
@operator_only
def source_pause(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    if source.paused_at is None:
        Source.objects.filter(pk=source.pk).update(paused_at=timezone.now())
    messages.success(
        request, _("%(name)s is paused: the scheduler skips it until it is resumed.") % {"name": source.name}
    )
    return redirect("operator:sources")


@require_POST
@operator_only
def source_resume(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    source.resume()
    messages.success(request, _("%(name)s is resumed and due at its next turn.") % {"name": source.name})
    return redirect("operator:sources")


# --- OPML -----------------------------------------------------------------------------------------
def _opml_plan(content: bytes) -> list[dict]:
    """What importing `content` would do, feed by feed; OpmlError when the file is not usable."""
    feeds = parse_opml(content)
    if not feeds:
        raise OpmlError(_("the file lists no feeds (no <outline> with an xmlUrl)"))
    if len(feeds) > MAX_OPML_FEEDS:
        raise OpmlError(
            _("the file lists %(count)s feeds; at most %(max)s can be imported at once")
            % {"count": len(feeds), "max": MAX_OPML_FEEDS}
        )
    known = set(Source.objects.filter(url__in=[f.xml_url for f in feeds]).values_list("url", flat=True))
    plan = []
    for feed in feeds:
        if feed.xml_url in known:
            plan.append({"feed": feed, "action": "exists", "reason": _("already a source")})
        elif problem := feed_url_problem(feed.xml_url):
            plan.append({"feed": feed, "action": "refused", "reason": problem})
        else:
            plan.append({"feed": feed, "action": "add", "reason": ""})
    return plan


def _read_opml_upload(request) -> tuple[bytes | None, str]:
    """(content, problem): the uploaded file, or the content carried over from the preview."""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_OPML_BYTES:
            return None, _("The file is larger than %(size)s MB.") % {"size": MAX_OPML_BYTES // (1024 * 1024)}
        return upload.read(), ""
    carried = request.POST.get("content", "")
    if carried:
        if len(carried) > MAX_OPML_BYTES:
            return None, _("The file is larger than %(size)s MB.") % {"size": MAX_OPML_BYTES // (1024 * 1024)}
        try:
            return carried.encode("utf-8"), ""
        except UnicodeEncodeError:
            return None, _("The file is not text in UTF-8.")
    return None, _("Choose an OPML file to import.")


@require_http_methods(["GET", "POST"])
@operator_only
def opml_import(request):
    """Two steps: the upload shows what would be added, refused or skipped (nothing saved); the
    confirmation adds the new feeds in one transaction."""
    context = {"plan": None, "content": "", "error": ""}
    if request.method == "GET":
        return render(request, "radar/operator/opml_import.html", context)
    content, problem = _read_opml_upload(request)
    if content is not None:
        try:
            plan = _opml_plan(content)
        except OpmlError as exc:
            problem = _("This file cannot be imported, nothing was changed: %(reason)s") % {"reason": exc}
    if problem:
        context["error"] = problem
        return render(request, "radar/operator/opml_import.html", context, status=400)
    if request.POST.get("confirm") != "1":
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            context["error"] = _("This file cannot be imported, nothing was changed: %(reason)s") % {
                "reason": _("it is not text in UTF-8")
            }
            return render(request, "radar/operator/opml_import.html", context, status=400)
        context.update(plan=plan, content=text, adds=sum(1 for p in plan if p["action"] == "add"))
        return render(request, "radar/operator/opml_import.html", context)
    added = _import_plan(plan)
    refused = sum(1 for p in plan if p["action"] == "refused")
    messages.success(
        request,
        ngettext("%(count)s feed imported", "%(count)s feeds imported", added) % {"count": added}
        + " "
        + _("(%(exists)s already present, %(refused)s refused).")
        % {"exists": sum(1 for p in plan if p["action"] == "exists"), "refused": refused},
    )
    return redirect("operator:sources")


def _import_plan(plan: list[dict]) -> int:
    added = 0
    with transaction.atomic():
        for step in plan:
            if step["action"] != "add":
                continue
            feed: OpmlFeed = step["feed"]
            _source, created = Source.objects.get_or_create(
                url=feed.xml_url,
                defaults={
                    "name": feed.title[:200] or feed.xml_url[:200],
                    "site_url": feed.html_url[:1000] if feed.html_url.startswith(("http://", "https://")) else "",
                    "kind": feed.kind,
                    "language_hint": feed.language if feed.language in ("ko", "en") else "",
                },
            )
            added += created
    return added


@require_GET
@operator_only
def opml_export(request):
    """Every web feed, paused and inactive ones included (the public /radar/sources.opml lists the
    active ones)."""
    return opml_download(Source.objects.order_by("name"), "seoulhub-radar-sources-all.opml", "attachment")


# --- programme sync -------------------------------------------------------------------------------
@require_GET
@operator_only
def sync(request):
    from seoulhub.support.models import SyncRun
    from seoulhub.support.programme_sync import last_runs

    return render(request, "radar/operator/sync.html", {"sources": last_runs(), "runs": SyncRun.objects.all()[:15]})


@require_POST
@operator_only
def sync_now(request):
    from seoulhub.support.programme_sync import SOURCES, configured_key
    from seoulhub.support.tasks import sync_programmes

    name = request.POST.get("source", "")
    if name not in SOURCES:
        messages.error(request, _("Choose 기업마당 or K-Startup."))
    elif not configured_key(name):
        messages.error(
            request,
            _("The service key of %(source)s is not set (%(setting)s), so it cannot be synced.")
            % {"source": SOURCES[name].source.label, "setting": SOURCES[name].key_setting},
        )
    else:
        sync_programmes.enqueue(name)
        messages.success(
            request,
            _("The sync of %(source)s is queued; the worker fetches it over the internet.")
            % {"source": SOURCES[name].source.label},
        )
    return redirect("operator:sync")
