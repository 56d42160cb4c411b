"""Firm membership pages: ask to join a firm (or register a new one), decide requests (operators
and the firm's admins), and members keep their firm's profile, with its change history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seoulhub.accounts.roles import is_operator
from seoulhub.core.params import has_controls, parse_int
from seoulhub.matching.brn import normalise_brn

from . import firm_audit, membership
from .forms_membership import DecisionForm, FirmProfileForm, JoinFirmForm, NewFirmForm
from .models import Firm, FirmChange, FirmMember, FirmTechnology, MembershipRequest
from .permissions import can_edit_firm
from .services import announce_technology_changes

SEARCH_LIMIT = 20
HISTORY_PAGE_SIZE = 50


def _search_firms(q: str):
    """Firms whose name, stock code or registration number matches; at most SEARCH_LIMIT."""
    q = q.strip()[:100]
    if len(q) < 1 or has_controls(q):
        return []
    match = Q(name_ko__icontains=q) | Q(name_en__icontains=q) | Q(stock_code=q)
    digits = normalise_brn(q)
    if digits.isascii() and digits.isdigit() and len(digits) == 10:
        match |= Q(brn=digits)
    return list(Firm.objects.filter(match).select_related("district").order_by("name_ko", "pk")[:SEARCH_LIMIT])


def _chosen_firm(raw: str):
    """The firm named by ?firm=<id>, or (None, message) when there is no such firm."""
    if not raw:
        return None, ""
    pk = parse_int(raw, minimum=1)
    firm = Firm.objects.filter(pk=pk).first() if pk is not None else None
    if firm is None:
        return None, _("There is no firm with the id '%(value)s' in the registry; search for it by name.") % {
            "value": raw[:20]
        }
    return firm, ""


@login_required
@require_GET
def my_membership(request):
    """내 기업: the firms this person acts for, and their requests with their status."""
    memberships = list(FirmMember.objects.filter(user=request.user).select_related("firm").order_by("firm__name_ko"))
    requests_ = list(
        MembershipRequest.objects.filter(user=request.user).select_related("firm", "decided_by", "new_district")
    )
    return render(
        request,
        "support/membership/mine.html",
        {
            "memberships": memberships,
            "requests": requests_,
            "to_decide": membership.requests_to_decide(request.user).count(),
            "may_decide": is_operator(request.user) or any(m.role == FirmMember.MemberRole.ADMIN for m in memberships),
        },
    )


def _join_page(request, join_form=None, new_form=None, status=200, existing=None):
    q = request.GET.get("q", "")
    if join_form is not None:  # a posted request: show the firm it named again (if it exists)
        chosen, error = join_form.cleaned_data.get("firm"), ""
    else:
        chosen, error = _chosen_firm(request.GET.get("firm", ""))
    return render(
        request,
        "support/membership/join.html",
        {
            "q": q[:100],
            "results": _search_firms(q) if q else None,
            "chosen": chosen,
            "choice_error": error,
            "is_member": chosen is not None and membership.is_member(request.user, chosen),
            "join_form": join_form or JoinFirmForm(initial={"firm": chosen.pk if chosen else None}),
            "new_form": new_form or NewFirmForm(),
            "existing": existing,
        },
        status=404 if error else status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    """Find a firm of the registry and ask to join it."""
    if request.method == "GET":
        return _join_page(request)
    form = JoinFirmForm(request.POST)
    if not form.is_valid():
        return _join_page(request, join_form=form, status=400)
    try:
        membership.request_existing(request.user, form.cleaned_data["firm"], form.cleaned_data["message"])
    except membership.MembershipRefused as exc:
        form.add_error(None, str(exc))
        return _join_page(request, join_form=form, status=409)
    messages.success(
        request,
        _("Your request to join %(firm)s is sent; you will see its status here.")
        % {"firm": form.cleaned_data["firm"].name},
    )
    return redirect("support:my_membership")


@login_required
@require_http_methods(["GET", "POST"])
def join_new(request):
    """Register a firm that is not in the registry yet (it is created when approved)."""
    if request.method == "GET":
        return _join_page(request)
    form = NewFirmForm(request.POST)
    if not form.is_valid():
        return _join_page(request, new_form=form, status=400)
    data = form.cleaned_data
    try:
        membership.request_new(request.user, data["name_ko"], data["brn"], data["district"], data["message"])
    except membership.FirmAlreadyRegistered as exc:
        form.add_error("brn", str(exc))
        return _join_page(request, new_form=form, status=409, existing=exc.firm)
    except membership.MembershipRefused as exc:
        form.add_error(None, str(exc))
        return _join_page(request, new_form=form, status=409)
    messages.success(
        request, _("Your request to register %(firm)s is sent to the hub's operators.") % {"firm": data["name_ko"]}
    )
    return redirect("support:my_membership")


@login_required
@require_GET
def firm_search(request):
    """The join page's search results (htmx swaps them in as the person types)."""
    q = request.GET.get("q", "")
    return render(
        request, "support/membership/_firm_results.html", {"q": q[:100], "results": _search_firms(q) if q else None}
    )


@login_required
@require_GET
def queue(request):
    """Pending requests this person may decide: all of them for operators, their firms' for admins."""
    pending = membership.requests_to_decide(request.user)
    if (
        not is_operator(request.user)
        and not FirmMember.objects.filter(user=request.user, role=FirmMember.MemberRole.ADMIN).exists()
    ):
        raise PermissionDenied(_("Only hub operators and firm administrators decide membership requests."))
    decided = (
        MembershipRequest.objects.exclude(status=MembershipRequest.Status.PENDING)
        .select_related("user", "firm", "decided_by")
        .order_by("-decided_at", "-pk")
    )
    if not is_operator(request.user):
        admin_of = FirmMember.objects.filter(user=request.user, role=FirmMember.MemberRole.ADMIN).values("firm_id")
        decided = decided.filter(firm_id__in=admin_of)
    return render(
        request,
        "support/membership/queue.html",
        {
            "pending": list(pending[:200]),
            "decided": list(decided[:20]),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    membership_request = get_object_or_404(MembershipRequest.objects.select_related("firm", "user"), pk=pk)
    back = (
        ("support:firm_members", membership_request.firm_id)
        if request.POST.get("back") == "members" and membership_request.firm_id
        else ("support:membership_queue",)
    )
    if not membership.can_decide(request.user, membership_request):
        raise PermissionDenied(_("Only a hub operator or an administrator of this firm may decide this request."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(*back)
    data = form.cleaned_data
    try:
        if data["decision"] == "approve":
            member = membership.approve(membership_request, request.user, data["role"], data["note"])
            messages.success(
                request,
                _("%(user)s is now a member of %(firm)s (%(role)s).")
                % {"user": member.user.get_username(), "firm": member.firm.name, "role": member.get_role_display()},
            )
        else:
            membership.reject(membership_request, request.user, data["note"])
            messages.success(
                request, _("The request of %(user)s is rejected.") % {"user": membership_request.user.get_username()}
            )
    except membership.MembershipRefused as exc:
        messages.error(request, str(exc))
    return redirect(*back)


def _firm_for_member(request, pk: int) -> Firm:
    firm = get_object_or_404(Firm.objects.select_related("district"), pk=pk)
    if not can_edit_firm(request.user, firm):
        raise PermissionDenied(_("Only this firm's members (or a hub operator) may see or change this."))
    return firm


@login_required
@require_GET
def firm_members(request, pk: int):
    firm = _firm_for_member(request, pk)
    pending = (
        firm.membership_requests.filter(status=MembershipRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    may_decide = is_operator(request.user) or membership.is_firm_admin(request.user, firm)
    return render(
        request,
        "support/membership/members.html",
        {
            "firm": firm,
            "members": firm.members.select_related("user").order_by("role", "user__username"),
            "pending": [r for r in pending if r.user_id != request.user.pk] if may_decide else [],
            "may_decide": may_decide,
            "decision_form": DecisionForm(),
            "tab": "members",
        },
    )


def _apply_profile(firm: Firm, data: dict) -> None:
    firm.district = data["district"]
    if firm.district is not None:
        firm.province = "서울특별시"
    firm.products = data["products"]
    firm.employees = data["employees"]
    firm.stage = data["stage"]
    firm.save()
    wanted = {t.pk: t for t in data["technologies"]}
    declared = FirmTechnology.objects.filter(firm=firm, provenance=FirmTechnology.Provenance.DECLARED)
    dropped = set(declared.exclude(technology_id__in=wanted).values_list("technology_id", flat=True))
    declared.filter(technology_id__in=dropped).delete()
    touched = set(dropped)
    for technology in wanted.values():
        # A tag the hub inferred becomes declared once the firm says so itself.
        FirmTechnology.objects.update_or_create(
            firm=firm,
            technology=technology,
            defaults={"provenance": FirmTechnology.Provenance.DECLARED, "confidence": 1.0},
        )
        touched.add(technology.pk)
    announce_technology_changes(firm, touched)


@login_required
@require_http_methods(["GET", "POST"])
def firm_profile(request, pk: int):
    firm = _firm_for_member(request, pk)
    form = FirmProfileForm(request.POST or None, initial=FirmProfileForm.initial_for(firm))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                Firm.objects.select_for_update().filter(pk=firm.pk).first()  # one editor at a time
                before = firm_audit.snapshot(firm)
                _apply_profile(firm, form.cleaned_data)
                changes = firm_audit.record(firm, before, request.user, FirmChange.Via.PROFILE)
            if {"products", "technologies"} & {c.field for c in changes}:
                from .tasks import enrich_firm

                transaction.on_commit(lambda: enrich_firm.enqueue(firm.pk))  # re-infer the other tags
            if changes:
                messages.success(
                    request, _("Saved: %(fields)s.") % {"fields": ", ".join(firm_audit.label(c.field) for c in changes)}
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("support:firm_history", pk=firm.pk)
        status = 400
    inferred = (
        FirmTechnology.objects.filter(firm=firm)
        .exclude(provenance=FirmTechnology.Provenance.DECLARED)
        .select_related("technology")
    )
    return render(
        request,
        "support/membership/profile.html",
        {"firm": firm, "form": form, "inferred": inferred, "tab": "profile"},
        status=status,
    )


@login_required
@require_GET
def firm_history(request, pk: int):
    firm = _firm_for_member(request, pk)
    page = Paginator(firm.changes.all(), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for change in page.object_list:
        change.label = firm_audit.label(change.field)
    return render(
        request, "support/membership/history.html", {"firm": firm, "page": page, "query": "", "tab": "history"}
    )
