from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seoulhub.accounts.models import Role
from seoulhub.accounts.roles import has_role, is_operator
from seoulhub.core.params import parse_ids, parse_int
from seoulhub.support.models import Firm

from . import lifecycle as lc
from . import services
from .forms import (
    ConflictForm, DemandForm, KpiForm, MilestoneForm, ProposalForm, ReferenceForm, ReviewForm, SolutionForm, TransitionForm,
)
from .audit import audit_entries_for, sees_audit_details
from .matchmaking import demand_consortia, demand_ranking, firms_by_id, open_demands_for_firm
from .models import ConflictDeclaration, Demand, Proposal
from .reports import pilot_analytics


def _open_demands():
    return [d for d in Demand.objects.filter(status=Demand.Status.OPEN).prefetch_related("technologies")
            if d.is_open()]


@require_GET
def index(request):
    demands = _open_demands()
    pilots = services.visible_proposals(request.user, Proposal.objects.filter(state__in=lc.PILOT_STATES))
    return render(request, "pilots/index.html", {
        "demands": demands,
        "pilots": pilots.select_related("demand", "lead_firm")[:20],
        "can_post": has_role(request.user, Role.OFFICIAL),
    })


@login_required
@require_http_methods(["GET", "POST"])
def demand_create(request):
    if not has_role(request.user, Role.OFFICIAL):
        raise PermissionDenied(_("Only city officials and operators may post demands."))
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("technologies", "criteria")}
        try:
            demand = services.create_demand(request.user, criteria=form.cleaned_data["criteria"],
                                            technologies=form.cleaned_data["technologies"], **fields)
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
    return [{"consortium": c, "members": [(firms[m.id], r) for m, r in zip(c.members, c.reasons)],
             "shared_reasons": c.reasons[len(c.members):],
             "partner_ids": ",".join(str(m.id) for m in c.members)} for c in plan.consortia]


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
    return render(request, "pilots/demand_detail.html", {
        "demand": demand, "criteria": demand.criteria.all(), "technologies": demand.technologies.all(),
        "ranking": [(r, ranked_firms[r.firm.id]) for r in ranking],
        "plan": plan, "consortia": _consortium_rows(plan),
        "uncoverable": sorted(plan.uncoverable), "proposals": proposals,
        "can_propose": demand.is_open() and my_firms.exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, pk: int):
    demand = get_object_or_404(Demand, pk=pk)
    if demand.status == Demand.Status.DRAFT and not has_role(request.user, Role.OFFICIAL):
        raise Http404(_("No such demand."))  # as on the demand's page: a draft is not public
    user_firms = Firm.objects.filter(members__user=request.user)
    if not user_firms.exists():
        raise PermissionDenied(_("Only members of a firm may propose; ask your firm's administrator to add you."))
    initial = {"technologies": demand.technologies.all()}
    partner_ids, _unusable = parse_ids(request.GET.get("partners", ""))  # a suggestion link: unusable ids are dropped
    if partner_ids:
        mine = set(user_firms.values_list("pk", flat=True))
        initial["partners"] = [p for p in partner_ids if p not in mine]
        leads = [p for p in partner_ids if p in mine]
        if leads:
            initial["lead_firm"] = leads[0]
    form = ProposalForm(request.POST or None, user_firms=user_firms, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.create_proposal(
                request.user, demand, data["lead_firm"], partners=data["partners"], technologies=data["technologies"],
                title=data["title"], summary=data["summary"], requested_krw=data["requested_krw"])
        except services.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Proposal saved as a draft. Submit it when it is ready."))
            return redirect(proposal)
    return render(request, "pilots/proposal_form.html", {"form": form, "demand": demand})


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
    declaration = (ConflictDeclaration.objects.filter(proposal=proposal, reviewer=request.user).first()
                   if reviewer else None)
    manages = bool(held & {lc.OWNER, lc.OPERATOR})
    return render(request, "pilots/proposal_detail.html", {
        "proposal": proposal, "partners": proposal.partners.all(), "technologies": proposal.technologies.all(),
        "actions": [(t, services.ACTION_LABELS[t.action]) for t in lc.available(proposal.state, held)],
        "transition_form": TransitionForm(),
        "audit": audit_entries_for(request.user, proposal),
        "audit_details": sees_audit_details(request.user, proposal),
        "is_reviewer": reviewer,
        "reviews": proposal.reviews.select_related("reviewer").prefetch_related("scores__criterion") if reviewer else [],
        "declaration": declaration,
        "conflict_form": ConflictForm() if reviewer and declaration is None else None,
        "review_form": (ReviewForm(criteria=proposal.demand.criteria.all())
                        if declaration and not declaration.has_conflict and proposal.state == lc.UNDER_REVIEW
                        and not proposal.reviews.filter(reviewer=request.user).exists() else None),
        "can_manage_pilot": manages and proposal.state in (lc.SELECTED, lc.RUNNING),
        "milestones": proposal.milestones.all(), "kpis": proposal.kpis.all(),
        "milestone_form": MilestoneForm(prefix="m"), "kpi_form": KpiForm(prefix="k"),
    })


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
        services.transition(proposal.pk, data["target"], request.user, note=data["note"],
                            outcome=data["outcome"], evaluation=data["evaluation"])
    except (services.ActionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done: the proposal is now %(state)s.")
                         % {"state": services.state_word(data["target"])})
    return redirect(proposal)


@login_required
@require_POST
def proposal_conflict(request, pk: int):
    proposal = _visible_proposal(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.declare_conflict(proposal, request.user, form.cleaned_data["has_conflict"],
                                      form.cleaned_data["statement"])
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
    """Add a milestone or a KPI (owner or operator, while selected or running)."""
    proposal = _visible_proposal(request, pk)
    held = services.capacities(request.user, proposal)
    if not held & {lc.OWNER, lc.OPERATOR} or proposal.state not in (lc.SELECTED, lc.RUNNING):
        raise PermissionDenied(_("Only the demand's owner or an operator plans a selected or running pilot."))
    if "kpi_id" in request.POST:
        return _record_kpi_actual(request, proposal)
    form = MilestoneForm(request.POST, prefix="m") if "m-title" in request.POST else KpiForm(request.POST, prefix="k")
    if form.is_valid():
        item = form.save(commit=False)
        item.proposal = proposal
        item.save()
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect(proposal)


def _record_kpi_actual(request, proposal: Proposal):
    kpi = proposal.kpis.filter(pk=parse_int(request.POST.get("kpi_id")) or 0).first()
    try:
        actual = float(request.POST.get("actual", ""))
    except ValueError:
        actual = None
    if kpi is None or actual is None or not -1e12 <= actual <= 1e12:
        messages.error(request, _("Give the KPI's actual value as a number."))
    else:
        kpi.actual = actual
        kpi.save(update_fields=["actual"])
        messages.success(request, _("Saved."))
    return redirect(proposal)


@login_required
@require_GET
def dashboard(request):
    """The signed-in user's work: an official's demands and decisions, a firm's proposals and
    matching demands, an operator's certificates to issue."""
    user = request.user
    context = {"is_official": has_role(user, Role.OFFICIAL), "is_operator": is_operator(user)}
    if context["is_official"]:
        context["my_demands"] = Demand.objects.filter(posted_by=user)
        context["to_decide"] = Proposal.objects.filter(demand__posted_by=user, state__in=[
            lc.SUBMITTED, lc.UNDER_REVIEW, lc.SELECTED, lc.RUNNING]).select_related("demand", "lead_firm")
    if context["is_operator"]:
        context["to_certify"] = Proposal.objects.filter(state=lc.EVALUATED).exclude(
            outcome=Proposal.Outcome.FAILURE).select_related("demand", "lead_firm")
    firms = list(Firm.objects.filter(members__user=user))
    context["firms"] = [
        {"firm": firm,
         "proposals": Proposal.objects.filter(lead_firm=firm).select_related("demand"),
         "fits": open_demands_for_firm(firm)}
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
        form = SolutionForm(request.POST, prefix="s") if "s-title" in request.POST else ReferenceForm(
            request.POST, prefix="r")
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
    rows = [{"demand": d, "fit": fit,
             "partners": [partner_firms[m.id] for m in fit.partners.members] if fit.partners else []}
            for d, fit in fits]
    return render(request, "pilots/firm_demands.html", {
        "firm": firm, "rows": rows, "is_member": is_member,
        "solutions": firm.solutions.prefetch_related("technologies"),
        "references": firm.pilot_references.prefetch_related("technologies"),
        "solution_form": solution_form, "reference_form": reference_form,
    })


@require_GET
def analytics(request):
    include_examples = request.GET.get("examples") == "1"
    return render(request, "pilots/analytics.html", {**pilot_analytics(include_examples),
                                                      "include_examples": include_examples})
