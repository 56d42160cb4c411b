from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seoulhub.accounts.models import Role
from seoulhub.accounts.roles import has_role, is_operator
from seoulhub.core import clock
from seoulhub.core.filtering import filter_page
from seoulhub.support.models import Firm
from seoulhub.taxonomy.models import Technology

from . import certificates
from . import lifecycle as lc
from . import services
from .filters import DemandFilter, demands_visible_to
from .forms import (
    ConflictForm,
    DemandForm,
    KpiForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProposalForm,
    ReferenceForm,
    ReviewForm,
    SolutionForm,
    TransitionForm,
)
from .matchmaking import (
    demand_consortia,
    demand_ranking,
    firms_by_id,
    open_demands_for_firm,
    partner_suggestion,
)
from .models import ConflictDeclaration, Demand, PastPilot, Proposal
from .partners import parse_ids, partner_candidates, search_partners
from .reports import pilot_analytics, track_record_technologies
from .audit import audit_entries_for, sees_audit_details


@require_GET
def index(request):
    pilots = services.visible_proposals(request.user, Proposal.objects.filter(state__in=lc.PILOT_STATES))
    demands, filterset, errors = filter_page(
        DemandFilter, request, demands_visible_to(request.user).order_by("-created_at", "-pk")
    )
    demands = list(demands)
    open_ids = list(Demand.objects.open().values_list("pk", flat=True))
    return render(
        request,
        "pilots/index.html",
        {
            "demands": demands,
            "filter_errors": errors,
            "open_only": filterset.form.cleaned_data.get("open_only") is not False,
            "q": filterset.data.get("q", ""),
            "technology": filterset.data.get("technology", ""),
            "technologies": Technology.objects.filter(active=True).order_by("name_ko"),
            "real_demands": (
                Demand.objects.real()
                .exclude(status=Demand.Status.DRAFT)
                .exclude(pk__in=open_ids)
                .prefetch_related("technologies")
            ),
            "pilots": pilots.select_related("demand", "lead_firm")[:20],
            "past_pilots": PastPilot.objects.prefetch_related("technologies"),
            "can_post": has_role(request.user, Role.OFFICIAL),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_create(request):
    if not has_role(request.user, Role.OFFICIAL):
        raise PermissionDenied(_("Only city officials and operators may post demands."))
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("technologies", "criteria")}
        try:
            demand = services.create_demand(
                request.user,
                criteria=form.cleaned_data["criteria"],
                technologies=form.cleaned_data["technologies"],
                **fields,
            )
        except services.ActionRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, services.validation_message(exc))
        else:
            messages.success(request, _("Demand posted."))
            return redirect(demand)
    return render(request, "pilots/demand_form.html", {"form": form})


def _consortium_rows(plan):
    firms = firms_by_id({m.id for c in plan.consortia for m in c.members})
    # _consortium() gives one "covers" reason per member, in member order, then shared reasons.
    return [
        {
            "consortium": c,
            "members": [(firms[m.id], r) for m, r in zip(c.members, c.reasons)],
            "shared_reasons": c.reasons[len(c.members) :],
            "partner_ids": ",".join(str(m.id) for m in c.members),
        }
        for c in plan.consortia
    ]


@require_GET
def demand_detail(request, pk: int):
    demand = get_object_or_404(Demand.objects.select_related("district", "posted_by"), pk=pk)
    if demand.status == Demand.Status.DRAFT and not has_role(request.user, Role.OFFICIAL):
        raise Http404(_("No such demand."))
    ranking = demand_ranking(demand, limit=10) if demand.technologies.exists() else []
    plan = demand_consortia(demand, k=3)
    ranked_firms = firms_by_id([r.firm.id for r in ranking])
    my_firms = Firm.objects.filter(members__user=request.user) if request.user.is_authenticated else Firm.objects.none()
    proposals = services.visible_proposals(request.user, demand.proposals.all()).select_related("lead_firm")
    suggestions = _suggestions(demand, my_firms) if demand.is_open() else []
    return render(
        request,
        "pilots/demand_detail.html",
        {
            "suggestions": suggestions,
            "demand": demand,
            "criteria": demand.criteria.all(),
            "technologies": demand.technologies.all(),
            "ranking": [(r, ranked_firms[r.firm.id]) for r in ranking],
            "plan": plan,
            "consortia": _consortium_rows(plan),
            "uncoverable": sorted(plan.uncoverable),
            "proposals": proposals,
            "can_propose": demand.is_open() and my_firms.exists(),
        },
    )


def _suggestions(demand: Demand, firms) -> list[dict]:
    """For each of the user's firms: what it brings and the partners that complete it."""
    rows = []
    for firm in firms:
        fit = partner_suggestion(demand, firm)
        if fit is None:
            continue
        partners = list(firms_by_id([m.id for m in fit.partners.members]).values()) if fit.partners else []
        rows.append(
            {"firm": firm, "fit": fit, "partners": partners, "partner_ids": ",".join(str(p.pk) for p in partners)}
        )
    return rows


def _visible_demand(request, pk: int) -> Demand:
    demand = get_object_or_404(Demand, pk=pk)
    if demand.status == Demand.Status.DRAFT and not has_role(request.user, Role.OFFICIAL):
        raise Http404(_("No such demand."))
    return demand


_MULTI_FIELDS = ("partners", "technologies")


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, pk: int):
    demand = _visible_demand(request, pk)
    user_firms = Firm.objects.filter(members__user=request.user)
    if not user_firms.exists():
        raise PermissionDenied(_("Only members of a firm may propose; ask your firm's administrator to add you."))
    if not demand.is_open():
        messages.error(request, _("This demand is not open for proposals."))
        return redirect(demand)
    mine = set(user_firms.values_list("pk", flat=True))
    searching = request.method == "POST" and "partner_search" in request.POST
    if request.method == "POST" and not searching:
        form = ProposalForm(request.POST, user_firms=user_firms)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.create_proposal(
                    request.user,
                    demand,
                    data["lead_firm"],
                    partners=data["partners"],
                    technologies=data["technologies"],
                    title=data["title"],
                    summary=data["summary"],
                    requested_krw=data["requested_krw"],
                )
            except services.ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Proposal saved as a draft. Submit it when it is ready."))
                return redirect(proposal)
        partner_ids = parse_ids(request.POST.getlist("partners"))
        lead_ids = parse_ids([request.POST.get("lead_firm", "")])
    elif searching:
        # The partner search without JavaScript: the whole form comes back as typed, nothing is saved.
        initial = {
            k: (request.POST.getlist(k) if k in _MULTI_FIELDS else request.POST.get(k))
            for k in ProposalForm.Meta.fields
            if k in request.POST
        }
        form = ProposalForm(user_firms=user_firms, initial=initial)
        partner_ids = parse_ids(request.POST.getlist("partners"))
        lead_ids = parse_ids([request.POST.get("lead_firm", "")])
    else:
        asked = parse_ids(request.GET.getlist("partners"))
        lead_ids = [p for p in parse_ids(request.GET.getlist("lead")) + asked if p in mine][:1]
        partner_ids = [p for p in asked if p not in lead_ids]
        initial = {
            "technologies": demand.technologies.all(),
            "partners": partner_ids,
            "lead_firm": lead_ids[0] if lead_ids else user_firms.order_by("pk").first().pk,
        }
        form = ProposalForm(user_firms=user_firms, initial=initial)
    lead = user_firms.filter(pk__in=lead_ids).first() or user_firms.order_by("pk").first()
    query = request.POST.get("partner_q", "") if searching else request.GET.get("partner_q", "")
    return render(
        request,
        "pilots/proposal_form.html",
        {
            "form": form,
            "demand": demand,
            "suggestion": _suggestions(demand, [lead])[:1],
            **_partner_choices(partner_ids, query, exclude=[lead.pk] if lead else []),
        },
    )


def _partner_choices(selected_ids, query: str, exclude=()) -> dict:
    selected = list(partner_candidates().filter(pk__in=selected_ids).exclude(pk__in=list(exclude)))
    query = "".join(ch for ch in query if ch.isprintable())[:100]
    return {
        "selected_partners": selected,
        "partner_query": query,
        "partner_hits": search_partners(query, exclude_ids=[f.pk for f in selected] + list(exclude)),
    }


@require_GET
def partner_search(request):
    """htmx: the partner checkboxes for a search (those already ticked stay ticked, first)."""
    context = _partner_choices(
        parse_ids(request.GET.getlist("partners")),
        request.GET.get("partner_q", ""),
        exclude=parse_ids(request.GET.getlist("lead_firm"))[:1],
    )
    return render(request, "pilots/_partner_choices.html", context)


def _visible_proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("demand", "lead_firm"), pk=pk)
    if not services.can_view_proposal(request.user, proposal):
        raise Http404(_("No such proposal."))
    return proposal


@require_GET
def proposal_detail(request, pk: int):
    proposal = _visible_proposal(request, pk)
    held = services.capacities(request.user, proposal)
    reviewer = services.can_review(request.user)
    declaration = (
        ConflictDeclaration.objects.filter(proposal=proposal, reviewer=request.user).first() if reviewer else None
    )
    manages = bool(held & {lc.OWNER, lc.OPERATOR})
    return render(
        request,
        "pilots/proposal_detail.html",
        {
            "proposal": proposal,
            "partners": proposal.partners.all(),
            "technologies": proposal.technologies.all(),
            "actions": [(t, services.ACTION_LABELS[t.action]) for t in lc.available(proposal.state, held)],
            "transition_form": TransitionForm(),
            "audit": audit_entries_for(request.user, proposal),
            "audit_details": sees_audit_details(request.user, proposal),
            "is_reviewer": reviewer,
            "reviews": proposal.reviews.select_related("reviewer").prefetch_related("scores__criterion")
            if reviewer
            else [],
            "declaration": declaration,
            "conflict_form": ConflictForm() if reviewer and declaration is None else None,
            "review_form": (
                ReviewForm(criteria=proposal.demand.criteria.all())
                if declaration
                and not declaration.has_conflict
                and proposal.state == lc.UNDER_REVIEW
                and not proposal.reviews.filter(reviewer=request.user).exists()
                else None
            ),
            "can_manage_pilot": manages and proposal.state in (lc.SELECTED, lc.RUNNING),
            "milestones": proposal.milestones.all(),
            "kpis": proposal.kpis.all(),
            "milestone_form": MilestoneForm(prefix="m"),
            "kpi_form": KpiForm(prefix="k"),
            "today": clock.today(),
            "can_view_certificate": services.can_view_certificate(request.user, proposal),
        },
    )


@login_required
@require_POST
def proposal_transition(request, pk: int):
    proposal = _visible_proposal(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete."))
        return redirect(proposal)
    data = form.cleaned_data
    try:
        services.transition(
            proposal.pk,
            data["target"],
            request.user,
            note=data["note"],
            outcome=data["outcome"],
            evaluation=data["evaluation"],
        )
    except (services.ActionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Done: the proposal is now %(state)s.") % {"state": services.state_word(data["target"])}
        )
    return redirect(proposal)


@login_required
@require_POST
def proposal_conflict(request, pk: int):
    proposal = _visible_proposal(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.declare_conflict(
                proposal, request.user, form.cleaned_data["has_conflict"], form.cleaned_data["statement"]
            )
            messages.success(request, _("Declaration recorded."))
        except (services.ActionRefused, PermissionDenied) as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Say whether you have a conflict of interest."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_review(request, pk: int):
    proposal = _visible_proposal(request, pk)
    form = ReviewForm(request.POST, criteria=proposal.demand.criteria.all())
    if form.is_valid():
        try:
            services.submit_review(proposal, request.user, form.scores(), form.cleaned_data["comment"])
            messages.success(request, _("Review saved."))
        except (services.ActionRefused, PermissionDenied) as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Score every criterion from 0 to 5."))
    return redirect(proposal)


@login_required
@require_POST
def pilot_plan(request, pk: int):
    """Add a milestone or a KPI, mark a milestone done, record a KPI's actual (owner or operator,
    while selected or running; the dates and states are checked in services)."""
    proposal = _visible_proposal(request, pk)
    held = services.capacities(request.user, proposal)
    if not held & {lc.OWNER, lc.OPERATOR} or proposal.state not in services.PLAN_STATES:
        raise PermissionDenied(_("Only the demand's owner or an operator plans a selected or running pilot."))
    try:
        if "kpi_id" in request.POST:
            _record_kpi_actual(request, proposal)
        elif "milestone_id" in request.POST:
            _mark_milestone_done(request, proposal)
        elif "m-title" in request.POST:
            form = MilestoneForm(request.POST, prefix="m")
            if form.is_valid():
                services.add_milestone(proposal, request.user, **form.cleaned_data)
                messages.success(request, _("Saved."))
            else:
                messages.error(request, _form_errors(form))
        else:
            form = KpiForm(request.POST, prefix="k")
            if form.is_valid():
                item = form.save(commit=False)
                item.proposal = proposal
                item.save()
                messages.success(request, _("Saved."))
            else:
                messages.error(request, _form_errors(form))
    except services.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect(proposal)


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}".lstrip(": ")
        for k, v in form.errors.items()
    )


def _record_kpi_actual(request, proposal: Proposal) -> None:
    [kpi_id] = parse_ids([request.POST.get("kpi_id", "")])[:1] or [None]
    kpi = proposal.kpis.filter(pk=kpi_id).first() if kpi_id else None
    try:
        actual = float(request.POST.get("actual", ""))
    except ValueError:
        actual = None
    if kpi is None or actual is None or not -1e12 <= actual <= 1e12:
        messages.error(request, _("Give the KPI's actual value as a number."))
        return
    services.record_kpi_actual(proposal, kpi, request.user, actual)
    messages.success(request, _("Saved."))


def _mark_milestone_done(request, proposal: Proposal) -> None:
    [milestone_id] = parse_ids([request.POST.get("milestone_id", "")])[:1] or [None]
    milestone = proposal.milestones.filter(pk=milestone_id).first() if milestone_id else None
    form = MilestoneDoneForm(request.POST)
    if milestone is None:
        messages.error(request, _("No such milestone on this pilot."))
    elif not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        services.mark_milestone_done(proposal, milestone, request.user, form.cleaned_data["done_on"])
        messages.success(request, _("Milestone marked done."))


@require_GET
def certificate(request, pk: int):
    """The printable A4 certificate, for the pilot's firms and the city (see services)."""
    proposal = get_object_or_404(Proposal.objects.select_related("demand", "lead_firm"), pk=pk)
    if not services.can_view_certificate(request.user, proposal):
        raise Http404(_("No certificate you can see."))
    verify_path = proposal.get_verification_url()
    return render(
        request,
        "pilots/certificate.html",
        {
            "proposal": proposal,
            "partners": proposal.partners.all(),
            "technologies": proposal.technologies.all(),
            "code": certificates.display(proposal.certificate_code),
            "verify_url": settings.SITE_URL.rstrip("/") + verify_path,
            "verify_path": verify_path,
        },
    )


@require_GET
def verify(request, code: str | None = None):
    """Public: confirms a certificate from the code printed on it (typed or in the URL)."""
    typed = code if code is not None else request.GET.get("code", "")
    proposal, error = None, ""
    if typed:
        proposal = services.certificate_for_code(typed)
        if proposal is None:
            error = _(
                "No certificate has this verification code. Check the code printed on the certificate "
                "(16 letters and digits, e.g. K7QM-3XWD-9TRA-HZ2P)."
            )
    shown = "".join(ch for ch in typed if ch.isprintable())[:64]
    response = render(
        request,
        "pilots/verify.html",
        {
            "typed": shown,
            "proposal": proposal,
            "error": error,
            "partners": proposal.partners.all() if proposal else [],
            "code": certificates.display(proposal.certificate_code) if proposal else "",
        },
    )
    if error:
        response.status_code = 404
    return response


@login_required
@require_GET
def dashboard(request):
    """The signed-in user's work: an official's demands and decisions, a firm's proposals and
    matching demands, an operator's certificates to issue."""
    user = request.user
    context = {"is_official": has_role(user, Role.OFFICIAL), "is_operator": is_operator(user)}
    if context["is_official"]:
        context["my_demands"] = Demand.objects.filter(posted_by=user)
        context["to_decide"] = Proposal.objects.filter(
            demand__posted_by=user, state__in=[lc.SUBMITTED, lc.UNDER_REVIEW, lc.SELECTED, lc.RUNNING]
        ).select_related("demand", "lead_firm")
    if context["is_operator"]:
        context["to_certify"] = (
            Proposal.objects.filter(state=lc.EVALUATED)
            .exclude(outcome=Proposal.Outcome.FAILURE)
            .select_related("demand", "lead_firm")
        )
    firms = list(Firm.objects.filter(members__user=user))
    context["firms"] = [
        {
            "firm": firm,
            "proposals": Proposal.objects.filter(lead_firm=firm).select_related("demand"),
            "fits": open_demands_for_firm(firm),
        }
        for firm in firms
    ]
    return render(request, "pilots/dashboard.html", context)


@require_http_methods(["GET", "POST"])
def firm_demands(request, firm_id: int):
    """A firm's offer (solutions, references) and the open demands it could answer; its members
    add solutions and references here."""
    firm = get_object_or_404(Firm, pk=firm_id)
    is_member = firm.pk in services.member_firm_ids(request.user)
    solution_form, reference_form = SolutionForm(prefix="s"), ReferenceForm(prefix="r")
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied(_("Only the firm's members describe its solutions and references."))
        form = (
            SolutionForm(request.POST, prefix="s")
            if "s-title" in request.POST
            else ReferenceForm(request.POST, prefix="r")
        )
        if form.is_valid():
            item = form.save(commit=False)
            item.firm = firm
            item.save()
            form.save_m2m()
            messages.success(request, _("Saved."))
            return redirect("pilots:firm_demands", firm_id=firm.pk)
        if isinstance(form, SolutionForm):
            solution_form = form
        else:
            reference_form = form
    fits = open_demands_for_firm(firm)
    partner_firms = firms_by_id({m.id for _, fit in fits if fit.partners for m in fit.partners.members})
    rows = [
        {
            "demand": d,
            "fit": fit,
            "partners": [partner_firms[m.id] for m in fit.partners.members] if fit.partners else [],
        }
        for d, fit in fits
    ]
    return render(
        request,
        "pilots/firm_demands.html",
        {
            "firm": firm,
            "rows": rows,
            "is_member": is_member,
            "solutions": firm.solutions.prefetch_related("technologies"),
            "references": firm.pilot_references.prefetch_related("technologies"),
            "solution_form": solution_form,
            "reference_form": reference_form,
        },
    )


@require_GET
def analytics(request):
    include_examples = request.GET.get("examples") == "1"
    return render(
        request,
        "pilots/analytics.html",
        {
            **pilot_analytics(include_examples),
            "include_examples": include_examples,
            "track_record": track_record_technologies(),
        },
    )
