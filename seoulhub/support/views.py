from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from seoulhub.accounts.roles import is_official, is_operator
from seoulhub.core import clock
from seoulhub.core.filtering import filter_page
from seoulhub.core.params import parse_int
from seoulhub.taxonomy.models import District, Technology

from . import exports, firm_audit
from .filters import FirmFilter, ProgrammeFilter
from .firm_import import ImportFileError, import_firms, read_rows
from .forms import FirmForm, FirmImportForm
from .models import Firm, FirmChange, PlanEntry, Programme, SyncRun
from .permissions import can_edit_firm, firms_of
from .tasks import enrich_firm
from .services import (
    OPEN,
    any_programme_open,
    data_version,
    explain,
    qualifying_firms,
    recommendations,
    shared_get,
    shared_set,
    technology_names,
    version_key,
    window_status,
)

PAGE_SIZE = 30


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _annotate_status(programmes):
    today = clock.today()
    for programme in programmes:
        programme.status = window_status(programme, today)
    return programmes


def _newest_first(programmes):
    # K-Startup gives no registration time: its application start stands in for the ordering.
    return programmes.annotate(shown_on=Coalesce("source_created_at__date", "opens_on")).order_by(
        F("shown_on").desc(nulls_last=True), "-pk"
    )


@require_GET
def index(request):
    today = clock.today()
    open_now = Programme.objects.open(today)
    by_source = dict(Programme.objects.values_list("source").annotate(n=Count("pk")).values_list("source", "n"))
    context = {
        "today": today,
        "firm_count": Firm.objects.count(),
        "venture_sample_count": Firm.objects.filter(source=Firm.Source.VENTURE_SAMPLE).count(),
        "programme_count": sum(by_source.values()),
        "bizinfo_count": by_source.get(Programme.Source.BIZINFO, 0),
        "kstartup_count": by_source.get(Programme.Source.KSTARTUP, 0),
        "open_count": open_now.count(),
        "closing_soon": _annotate_status(
            list(open_now.filter(closes_on__isnull=False).order_by("closes_on", "pk")[:10])
        ),
        "plan_years": list(PlanEntry.objects.values_list("year", flat=True).distinct().order_by("-year")),
        "my_firms": list(firms_of(request.user)),
        "is_operator": is_operator(request.user),
    }
    return render(request, "support/index.html", context)


def _filter_values(filterset) -> dict:
    """The filters as given, to show them again in the list's form."""
    return {name: filterset.data.get(name, "") for name in filterset.filters}


@require_GET
def programme_list(request):
    programmes, filterset, errors = filter_page(
        ProgrammeFilter, request, _newest_first(Programme.objects.prefetch_related("technologies"))
    )
    open_only = filterset.form.is_valid() and filterset.form.cleaned_data.get("open") is True
    if open_only:  # what closes soonest first; rolling calls (no closing day) after them
        programmes = programmes.order_by(
            F("closes_on").asc(nulls_last=True), F("shown_on").desc(nulls_last=True), "-pk"
        )
    page = _page(request, programmes)
    _annotate_status(page.object_list)
    return render(
        request,
        "support/programme_list.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "filter_errors": errors,
            **_filter_values(filterset),
            "open_only": open_only,
            "kinds": Programme.Kind.choices,
            "sources": [c for c in Programme.Source.choices if c[0] != Programme.Source.MANUAL],
            "technologies": Technology.objects.filter(active=True).order_by("name_ko"),
        },
        status=400 if errors else 200,
    )


@require_GET
def programme_detail(request, pk: int):
    programme = get_object_or_404(Programme.objects.prefetch_related("technologies", "rules"), pk=pk)
    programme.status = window_status(programme)
    firms = list(firms_of(request.user))
    version = data_version(fresh=True) if firms else None  # a member's own edits show at once
    checks = [(firm, explain(firm, programme, version)) for firm in firms]
    return render(
        request,
        "support/programme_detail.html",
        {
            "programme": programme,
            "rules": programme.rules.all(),
            "checks": checks,
            "is_operator": is_operator(request.user),
            "changes": list(programme.changes.all()[:5]),
            "plan_entries": list(programme.plan_entries.all()),
            "follows_deadline": request.user.is_authenticated
            and programme.followers.filter(user=request.user).exists(),
        },
    )


@require_GET
def plan(request):
    """The yearly national plan (창업지원사업 통합공고): budget by ministry/city and by category,
    each entry linked to the announcements that implement it (matched by title)."""
    years = list(PlanEntry.objects.values_list("year", flat=True).distinct().order_by("-year"))
    raw = request.GET.get("year", "")
    asked = parse_int(raw, minimum=1900, maximum=2100) if raw else None
    if raw and asked not in years:
        return render(
            request,
            "support/plan.html",
            {
                "years": years,
                "error": _("There is no national plan for the year '%(year)s'; choose one of the years listed.")
                % {"year": raw[:10]},
            },
            status=404,
        )
    year = asked if raw else (years[0] if years else None)
    entries = PlanEntry.objects.filter(year=year).prefetch_related("programmes")
    totals = entries.aggregate(budget=Sum("budget_100m_krw"), n=Count("pk"))
    by_owner = (
        entries.values("section", "owner")
        .annotate(budget=Sum("budget_100m_krw"), n=Count("pk"))
        .order_by(F("budget").desc(nulls_last=True), "owner")
    )
    by_category = (
        entries.values("category")
        .annotate(budget=Sum("budget_100m_krw"), n=Count("pk"))
        .order_by(F("budget").desc(nulls_last=True))
    )
    section = request.GET.get("section", "")
    listed = entries.filter(section=section) if section in PlanEntry.Section.values else entries
    return render(
        request,
        "support/plan.html",
        {
            "years": years,
            "year": year,
            "totals": totals,
            "by_owner": list(by_owner)[:40],
            "owner_count": by_owner.count(),
            "by_category": by_category,
            "entries": listed,
            "section": section,
            "sections": PlanEntry.Section.choices,
            "linked": entries.filter(programmes__isnull=False).distinct().count(),
            "no_budget": entries.filter(budget_100m_krw__isnull=True).count(),
            "recovered": entries.filter(budget_recovered=True).count(),
        },
    )


@require_GET
def sync_status(request):
    """Operators: the last programme syncs per source, their counts and errors."""
    if not is_operator(request.user):
        raise PermissionDenied(_("Only hub operators may see the programme sync log."))
    from .programme_sync import last_runs

    return render(
        request,
        "support/sync_status.html",
        {
            "sources": last_runs(),
            "runs": SyncRun.objects.all()[:30],
        },
    )


@require_GET
def programme_firms(request, pk: int):
    if not is_operator(request.user):
        raise PermissionDenied(_("Only hub operators may see which firms qualify for a programme."))
    programme = get_object_or_404(Programme, pk=pk)
    programme.status = window_status(programme)
    only_eligible = request.GET.get("only") == "eligible"
    matches = qualifying_firms(programme, include_needs_check=not only_eligible, version=data_version(fresh=True))
    return render(
        request,
        "support/programme_firms.html",
        {
            "programme": programme,
            "page": _page(request, matches),
            "query": _query_without_page(request),
            "only_eligible": only_eligible,
            "total": len(matches),
            "eligible_total": sum(m.status == "eligible" for _f, m in matches),
        },
    )


@require_GET
def firm_list(request):
    firms, filterset, errors = filter_page(
        FirmFilter,
        request,
        Firm.objects.select_related("district", "ksic").prefetch_related("technologies").order_by("name_ko"),
    )
    district = filterset.form.cleaned_data.get("district")
    return render(
        request,
        "support/firm_list.html",
        {
            "page": _page(request, firms),
            "query": _query_without_page(request),
            "filter_errors": errors,
            **_filter_values(filterset),
            "selected_district": district,
            "districts": District.objects.all(),
            "district_known": Firm.objects.filter(district__isnull=False).count() if district else None,
            "technologies": Technology.objects.filter(active=True).order_by("name_ko"),
            "is_operator": is_operator(request.user),
        },
        status=400 if errors else 200,
    )


@require_GET
def firm_detail(request, pk: int):
    firm = get_object_or_404(Firm.objects.select_related("district", "ksic"), pk=pk)
    tags = sorted(
        firm.firmtechnology_set.select_related("technology"), key=lambda r: (-r.confidence, r.technology.name_ko)
    )
    return render(
        request,
        "support/firm_detail.html",
        {
            "firm": firm,
            "technology_tags": tags,
            "can_edit": can_edit_firm(request.user, firm),
            "show_brn": bool(firm.brn) and (is_official(request.user) or can_edit_firm(request.user, firm)),
        },
    )


def _page_number(request) -> int:
    """The requested page as a small positive number (what Paginator.get_page would make of it)."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6 and int(raw) > 0 else 1


def _dashboard_key(pk: int, include_closed: bool, page_number: int, language: str, version) -> str:
    return f"support:dashboard:{pk}:{int(include_closed)}:{page_number}:{language}:{version_key(version)}"


def _render_dashboard(pk: int, include_closed: bool, page_number: int, language: str, version) -> dict:
    """The firm dashboard's parts that are the same for every visitor. Rendered without the
    request, so no context processor (user, CSRF token, messages) can reach the shared HTML."""
    firm = get_object_or_404(Firm, pk=pk)
    today = version[0]
    matches = recommendations(firm, include_closed=include_closed, version=version)
    names = technology_names(language, version)
    for programme, match in matches:
        programme.status = window_status(programme, today)
        match.shared_names = [names.get(slug, slug) for slug in match.shared_technologies]
    closing_soon = sorted(
        [(p, m) for p, m in matches if p.status == OPEN and p.closes_on], key=lambda pm: pm[0].closes_on
    )[:5]
    page = Paginator(matches, PAGE_SIZE).get_page(page_number)
    total, eligible_total = len(matches), sum(m.status == "eligible" for _p, m in matches)
    html = render_to_string(
        "support/_firm_recommendations.html",
        {
            "page": page,
            "query": "closed=1" if include_closed else "",  # not the request's other parameters
            "include_closed": include_closed,
            "closing_soon": closing_soon,
            "total": total,
            "eligible_total": eligible_total,
            "all_programmes_closed": not any_programme_open(version),
        },
    )
    return {
        "name": firm.name,
        "total": total,
        "eligible_total": eligible_total,
        "html": html,
        "page_number": page.number,
    }


@require_GET
def firm_dashboard(request, pk: int):
    """Programmes for this firm (eligible first, then those to check) and what closes soon.

    The ranked part is cached per firm, data version, language, page and include_closed and shared
    by all visitors; who may edit the firm is decided per request. Signed-in users read the data
    version afresh, so an edit shows on its author's next page; others within a few seconds."""
    signed_in = request.user.is_authenticated
    version = data_version(fresh=signed_in)
    include_closed = request.GET.get("closed") == "1"
    page_number = _page_number(request)
    language = translation.get_language()
    dashboard = shared_get(_dashboard_key(pk, include_closed, page_number, language, version))
    if dashboard is None:
        dashboard = _render_dashboard(pk, include_closed, page_number, language, version)
        # Kept under the page actually shown: a page number past the end shows the last page.
        shared_set(_dashboard_key(pk, include_closed, dashboard["page_number"], language, version), dashboard)
    can_edit = signed_in and can_edit_firm(request.user, get_object_or_404(Firm.objects.only("pk"), pk=pk))
    return render(
        request,
        "support/firm_dashboard.html",
        {
            "firm_pk": pk,
            "dashboard": {**dashboard, "html": mark_safe(dashboard["html"])},  # our template's output
            "can_edit": can_edit,
        },
    )


@login_required
@require_GET
def my_dashboard(request):
    firms = list(firms_of(request.user))
    if len(firms) == 1:
        return redirect("support:firm_dashboard", pk=firms[0].pk)
    return render(request, "support/my_firms.html", {"firms": firms})


@login_required
@require_http_methods(["GET", "POST"])
def firm_edit(request, pk: int):
    firm = get_object_or_404(Firm, pk=pk)
    if not can_edit_firm(request.user, firm):
        raise PermissionDenied(_("Only this firm's members (or an operator) may edit it."))
    form = FirmForm(request.POST or None, instance=firm)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = firm_audit.snapshot(firm)
            form.save()
            firm_audit.record(firm, before, request.user, FirmChange.Via.EDIT)
        enrich_firm.enqueue(firm.pk)
        messages.success(request, _("The firm's record is saved."))
        return redirect(firm.get_absolute_url())
    return render(request, "support/firm_edit.html", {"firm": firm, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def firm_import(request):
    if not is_operator(request.user):
        raise PermissionDenied(_("Only hub operators may import firms."))
    form = FirmImportForm(request.POST or None, request.FILES or None)
    report, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload.read(), upload.name)
            report, _changed = import_firms(
                rows,
                dry_run=form.cleaned_data["dry_run"],
                source_ref=f"upload {upload.name} by {request.user.get_username()}",
            )
        except ImportFileError as exc:
            error = str(exc)
    return render(request, "support/firm_import.html", {"form": form, "report": report, "error": error})


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_GET
def calendar_all(request):
    programmes = Programme.objects.filter(closes_on__isnull=False).order_by("closes_on")
    body = exports.deadline_calendar(programmes, _("Seoul Digital Hub: programme deadlines"), _base_url(request))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@require_GET
def calendar_firm(request, pk: int):
    firm = get_object_or_404(Firm, pk=pk)
    programmes = [p for p, _m in recommendations(firm, include_closed=True) if p.closes_on]
    body = exports.deadline_calendar(
        programmes, _("Deadlines for %(firm)s") % {"firm": firm.name_ko}, _base_url(request)
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _format(request) -> str:
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export format must be csv or xlsx."))
    return fmt


def _refused_filters(errors: list[str]) -> HttpResponse:
    return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")


@require_GET
def export_firms(request):
    fmt = _format(request)
    firms, _filterset, errors = filter_page(
        FirmFilter,
        request,
        Firm.objects.select_related("district", "ksic").prefetch_related("technologies").order_by("pk"),
    )
    if errors:
        return _refused_filters(errors)
    rows = exports.firm_rows(firms, show_brn=is_official(request.user))
    return exports.table_response("firms", exports.FIRM_COLUMNS, rows, fmt)


@require_GET
def export_programmes(request):
    fmt = _format(request)
    programmes, _filterset, errors = filter_page(
        ProgrammeFilter, request, Programme.objects.prefetch_related("technologies", "rules").order_by("pk")
    )
    if errors:
        return _refused_filters(errors)
    return exports.table_response("programmes", exports.PROGRAMME_COLUMNS, exports.programme_rows(programmes), fmt)
