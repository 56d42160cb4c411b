from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from seoulhub.accounts.roles import is_official, is_operator
from seoulhub.taxonomy.models import District, Technology

from . import exports
from .firm_import import ImportFileError, import_firms, read_rows
from .forms import FirmForm, FirmImportForm
from .models import Firm, Programme
from .permissions import can_edit_firm, firms_of
from .tasks import enrich_firm
from .services import (OPEN, ROLLING, explain, open_programmes_q, qualifying_firms, recommendations,
                       window_status)

PAGE_SIZE = 30


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _annotate_status(programmes):
    today = timezone.localdate()
    for programme in programmes:
        programme.status = window_status(programme, today)
    return programmes


def _open_programmes():
    """Programmes taking applications today, closing soonest first."""
    return _annotate_status([p for p in _annotate_status(Programme.objects.order_by("closes_on", "pk"))
                             if p.status in (OPEN, ROLLING)])


@require_GET
def index(request):
    open_now = _open_programmes()
    context = {
        "firm_count": Firm.objects.count(),
        "programme_count": Programme.objects.count(),
        "open_count": len(open_now),
        "closing_soon": [p for p in open_now if p.closes_on][:10],
        "my_firms": list(firms_of(request.user)),
        "is_operator": is_operator(request.user),
    }
    return render(request, "support/index.html", context)


@require_GET
def programme_list(request):
    programmes = Programme.objects.prefetch_related("technologies").order_by("-source_created_at", "-pk")
    q, kind, tech, state = (request.GET.get(k, "") for k in ("q", "kind", "tech", "state"))
    if q:
        programmes = programmes.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(agency__icontains=q))
    if kind in Programme.Kind.values:
        programmes = programmes.filter(kind=kind)
    if tech:
        programmes = programmes.filter(technologies__slug=tech).distinct()
    programmes = _annotate_status(list(programmes))
    if state == "open":
        programmes = [p for p in programmes if p.status in (OPEN, ROLLING)]
    return render(request, "support/programme_list.html", {
        "page": _page(request, programmes), "query": _query_without_page(request), "q": q, "kind": kind,
        "tech": tech, "state": state, "kinds": Programme.Kind.choices,
        "technologies": Technology.objects.filter(active=True).order_by("name_ko"),
    })


@require_GET
def programme_detail(request, pk: int):
    programme = get_object_or_404(Programme.objects.prefetch_related("technologies", "rules"), pk=pk)
    programme.status = window_status(programme)
    checks = [(firm, explain(firm, programme)) for firm in firms_of(request.user)]
    return render(request, "support/programme_detail.html", {
        "programme": programme, "rules": programme.rules.all(), "checks": checks,
        "is_operator": is_operator(request.user),
    })


@require_GET
def programme_firms(request, pk: int):
    if not is_operator(request.user):
        raise PermissionDenied(_("Only hub operators may see which firms qualify for a programme."))
    programme = get_object_or_404(Programme, pk=pk)
    programme.status = window_status(programme)
    only_eligible = request.GET.get("only") == "eligible"
    matches = qualifying_firms(programme, include_needs_check=not only_eligible)
    return render(request, "support/programme_firms.html", {
        "programme": programme, "page": _page(request, matches), "query": _query_without_page(request),
        "only_eligible": only_eligible, "total": len(matches),
        "eligible_total": sum(m.status == "eligible" for _f, m in matches),
    })


@require_GET
def firm_list(request):
    firms = Firm.objects.select_related("district", "ksic").prefetch_related("technologies").order_by("name_ko")
    q, district, tech = (request.GET.get(k, "") for k in ("q", "district", "tech"))
    if q:
        firms = firms.filter(Q(name_ko__icontains=q) | Q(name_en__icontains=q) | Q(products__icontains=q))
    if district:
        firms = firms.filter(district__name_ko=district)
    if tech:
        firms = firms.filter(technologies__slug=tech).distinct()
    return render(request, "support/firm_list.html", {
        "page": _page(request, firms), "query": _query_without_page(request), "q": q, "district": district,
        "tech": tech, "districts": District.objects.all(),
        "technologies": Technology.objects.filter(active=True).order_by("name_ko"),
        "is_operator": is_operator(request.user),
    })


@require_GET
def firm_detail(request, pk: int):
    firm = get_object_or_404(Firm.objects.select_related("district", "ksic").prefetch_related("technologies"), pk=pk)
    return render(request, "support/firm_detail.html", {
        "firm": firm, "can_edit": can_edit_firm(request.user, firm),
        "show_brn": bool(firm.brn) and (is_official(request.user) or can_edit_firm(request.user, firm)),
    })


@require_GET
def firm_dashboard(request, pk: int):
    """Programmes for this firm (eligible first, then those to check) and what closes soon."""
    firm = get_object_or_404(Firm.objects.select_related("district", "ksic"), pk=pk)
    include_closed = request.GET.get("closed") == "1"
    matches = recommendations(firm, include_closed=include_closed)
    names = dict(Technology.objects.values_list("slug", "name_en" if translation.get_language() == "en" else "name_ko"))
    for programme, match in matches:
        programme.status = window_status(programme)
        match.shared_names = [names.get(slug, slug) for slug in match.shared_technologies]
    closing_soon = sorted([(p, m) for p, m in matches if p.status == OPEN and p.closes_on],
                          key=lambda pm: pm[0].closes_on)[:5]
    return render(request, "support/firm_dashboard.html", {
        "firm": firm, "page": _page(request, matches), "query": _query_without_page(request),
        "include_closed": include_closed, "closing_soon": closing_soon, "total": len(matches),
        "eligible_total": sum(m.status == "eligible" for _p, m in matches),
        "can_edit": can_edit_firm(request.user, firm),
        "all_programmes_closed": not Programme.objects.filter(open_programmes_q()).exists(),
    })


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
        form.save()
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
        except ImportFileError as exc:
            error = str(exc)
        else:
            report, _changed = import_firms(rows, dry_run=form.cleaned_data["dry_run"],
                                            source_ref=f"upload {upload.name} by {request.user.get_username()}")
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
    body = exports.deadline_calendar(programmes, _("Deadlines for %(firm)s") % {"firm": firm.name_ko},
                                     _base_url(request))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _format(request) -> str:
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export format must be csv or xlsx."))
    return fmt


@require_GET
def export_firms(request):
    fmt = _format(request)
    firms = Firm.objects.select_related("district", "ksic").prefetch_related("technologies").order_by("pk")
    rows = exports.firm_rows(firms, show_brn=is_official(request.user))
    return exports.table_response("firms", exports.FIRM_COLUMNS, rows, fmt)


@require_GET
def export_programmes(request):
    fmt = _format(request)
    programmes = Programme.objects.prefetch_related("technologies", "rules").order_by("pk")
    return exports.table_response("programmes", exports.PROGRAMME_COLUMNS, exports.programme_rows(programmes), fmt)

