"""Pilots API: demands, ranked firms and consortia for a demand, proposals and their lifecycle
(transitions as POST), reviews with conflict declarations, audit log, analytics."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from ninja import Router
from ninja.responses import Status
from ninja.errors import HttpError
from ninja import Path, Query
from ninja.pagination import paginate

from seoulhub.accounts.api_auth import require_user
from seoulhub.accounts.models import Role
from seoulhub.accounts.roles import has_role
from seoulhub.core.filtering import filter_api, query_schema
from seoulhub.support.models import Firm
from seoulhub.taxonomy.models import District, Technology

from . import certificates
from . import lifecycle as lc
from . import services
from .audit import audit_entries_for
from .filters import DemandFilter, demands_visible_to
from .matchmaking import demand_consortia, demand_ranking, open_demands_for_firm
from .models import Demand, Kpi, Milestone, PastPilot, Proposal, Reference, Solution
from .reports import pilot_analytics
from .schemas import (
    MAX_ID,
    AnalyticsOut,
    CertificateOut,
    has_nul,
    AuditOut,
    MilestoneDoneIn,
    PastPilotOut,
    ConflictIn,
    ConsortiumOut,
    DemandFitOut,
    DemandIn,
    DemandOut,
    KpiActualIn,
    KpiIn,
    KpiOut,
    MilestoneIn,
    MilestoneOut,
    ProposalIn,
    ProposalOut,
    RankedFirmOut,
    ReferenceIn,
    ReferenceOut,
    ReviewIn,
    ReviewOut,
    SolutionIn,
    SolutionOut,
    TransitionIn,
)

router = Router(tags=["pilots"])

# Paging is the API-wide bounded limit/offset (settings.NINJA_PAGINATION_CLASS).


def _reason(r) -> dict:
    return {"code": r.code, "items": list(r.items), "number": r.number}


def _technologies(slugs: list[str]) -> list[Technology]:
    found = list(Technology.objects.filter(slug__in=slugs, active=True))
    unknown = sorted(set(slugs) - {t.slug for t in found})
    if unknown:
        raise HttpError(422, f"Unknown technologies: {', '.join(unknown)}. See /api/v1/technologies.")
    return found


def _demand(demand_id: int, user) -> Demand:
    demand = Demand.objects.filter(pk=demand_id).first()
    if demand is None or (demand.status == Demand.Status.DRAFT and not has_role(user, Role.OFFICIAL)):
        raise Http404(f"No demand {demand_id}.")
    return demand


def _proposal(proposal_id: int, user) -> Proposal:
    proposal = Proposal.objects.select_related("demand", "lead_firm").filter(pk=proposal_id).first()
    if proposal is None or not services.can_view_proposal(user, proposal):
        raise Http404(f"No proposal {proposal_id} that you can see.")
    return proposal


def _refused(exc: Exception) -> HttpError:
    if isinstance(exc, ValidationError):
        return HttpError(422, services.validation_message(exc))
    return HttpError(409, str(exc))


DemandQuery = query_schema(
    DemandFilter,
    "DemandQuery",
    {
        "open_only": "true (the default): demands taking proposals today; false adds closed ones",
        "technology": "a technology slug (see /api/v1/technologies)",
        "q": "matches the title and the problem",
        "examples": "false leaves out the demands marked 예시 / Example",
    },
)


@router.get("/demands", response=list[DemandOut], summary="Demands and open calls")
@paginate
def list_demands(request, filters: Query[DemandQuery]):
    """The same filters as the page /pilots/ (one FilterSet, pilots/filters.py); officials also see drafts."""
    return filter_api(DemandFilter, request, demands_visible_to(request.user).order_by("-created_at", "-pk"))


@router.post("/demands", response={201: DemandOut}, summary="Post a demand (officials)")
def create_demand(request, payload: DemandIn):
    user = require_user(request)
    data = payload.dict()
    district = None
    if data.pop("district"):
        district = District.objects.filter(adm_code=payload.district).first()
        if district is None:
            raise HttpError(422, f"Unknown district code {payload.district}; see /api/v1/districts.")
    technologies = _technologies(data.pop("technologies"))
    criteria = [(c["name"], c["weight"]) for c in data.pop("criteria")]
    try:
        demand = services.create_demand(user, criteria=criteria, technologies=technologies, district=district, **data)
    except (services.ActionRefused, ValidationError) as exc:
        raise _refused(exc) from exc
    return Status(201, demand)


@router.get("/demands/{demand_id}", response=DemandOut, summary="One demand")
def get_demand(request, demand_id: int = Path(..., ge=1, le=MAX_ID)):
    return _demand(demand_id, request.user)


@router.get(
    "/demands/{demand_id}/firms", response=list[RankedFirmOut], summary="Firms ranked for a demand, with reasons"
)
@paginate
def ranked_firms(request, demand_id: int = Path(..., ge=1, le=MAX_ID)):
    demand = _demand(demand_id, request.user)
    ranking = demand_ranking(demand, limit=200)
    return [
        {
            "firm": {"id": r.firm.id, "name": r.firm.name},
            "score": r.score,
            "covered": sorted(r.covered),
            "missing": sorted(r.missing),
            "reasons": [_reason(x) for x in r.reasons],
        }
        for r in ranking
    ]


@router.get(
    "/demands/{demand_id}/consortia",
    response=list[ConsortiumOut],
    summary="Smallest consortia covering every required technology",
)
@paginate
def consortia(request, demand_id: int = Path(..., ge=1, le=MAX_ID), k: int = Query(3, ge=1, le=10)):
    """The k best consortia by weighted set cover (fewest firms, then relevant references)."""
    plan = demand_consortia(_demand(demand_id, request.user), k=k)
    return [
        {
            "rank": rank,
            "size": c.size,
            "cost": c.cost,
            "members": [{"id": m.id, "name": m.name} for m in c.members],
            "assignment": c.assignment,
            "reasons": [_reason(x) for x in c.reasons],
            "method": plan.method,
            "ratio_bound": plan.ratio_bound,
            "uncoverable": sorted(plan.uncoverable),
        }
        for rank, c in enumerate(plan.consortia, start=1)
    ]


def _proposals_queryset():
    return Proposal.objects.select_related("demand", "lead_firm").prefetch_related(
        "partners", "technologies", "milestones", "kpis"
    )


@router.get("/proposals", response=list[ProposalOut], summary="Proposals and pilots you may see")
@paginate
def list_proposals(
    request,
    demand: int | None = Query(None, ge=1, le=MAX_ID),
    state: str = "",
    firm: int | None = Query(None, ge=1, le=MAX_ID),
):
    """The public sees pilots (selected onwards); firms also see their own; officials see all."""
    if has_nul(state):
        raise HttpError(422, "Invalid input: text must not contain NUL (\\x00) characters.")
    proposals = services.visible_proposals(request.user, _proposals_queryset())
    if demand is not None:
        proposals = proposals.filter(demand_id=demand)
    if state:
        proposals = proposals.filter(state=state)
    if firm is not None:
        proposals = proposals.filter(Q(lead_firm_id=firm) | Q(partners=firm)).distinct()
    return proposals.order_by("-created_at", "-pk")


@router.post("/proposals", response={201: ProposalOut}, summary="Create a draft proposal (firm members)")
def create_proposal(request, payload: ProposalIn):
    user = require_user(request)
    demand = _demand(payload.demand, user)
    lead = Firm.objects.filter(pk=payload.lead_firm).first()
    if lead is None:
        raise HttpError(422, f"No firm {payload.lead_firm}.")
    partners = list(Firm.objects.filter(pk__in=payload.partners))
    if len(partners) != len(set(payload.partners)):
        raise HttpError(422, "One or more partner firms do not exist.")
    try:
        proposal = services.create_proposal(
            user,
            demand,
            lead,
            partners=partners,
            technologies=_technologies(payload.technologies),
            title=payload.title,
            summary=payload.summary,
            requested_krw=payload.requested_krw,
        )
    except (services.ActionRefused, ValidationError) as exc:
        raise _refused(exc) from exc
    return Status(201, _proposals_queryset().get(pk=proposal.pk))


@router.get("/proposals/{proposal_id}", response=ProposalOut, summary="One proposal or pilot")
def get_proposal(request, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    return _proposal(proposal_id, request.user)


@router.post(
    "/proposals/{proposal_id}/transitions", response=ProposalOut, summary="Move a proposal along its lifecycle"
)
def post_transition(request, payload: TransitionIn, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    """Refused with 409 and the reason when the move is illegal, 403 when you may not make it."""
    user = require_user(request)
    proposal = _proposal(proposal_id, user)
    try:
        services.transition(
            proposal.pk, payload.to, user, note=payload.note, outcome=payload.outcome, evaluation=payload.evaluation
        )
    except services.ActionRefused as exc:
        raise _refused(exc) from exc
    return _proposals_queryset().get(pk=proposal.pk)


@router.get("/proposals/{proposal_id}/audit", response=list[AuditOut], summary="Audit log of a proposal")
@paginate
def audit_log(request, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    """Every transition with its time, states and capacity; `actor` and `note` are empty unless
    you are a city official, an operator or a member of a proposing firm (docs/pilots.md)."""
    return audit_entries_for(request.user, _proposal(proposal_id, request.user))


@router.post(
    "/proposals/{proposal_id}/conflicts", response={201: dict}, summary="Declare a conflict of interest (reviewers)"
)
def post_conflict(request, payload: ConflictIn, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require_user(request)
    proposal = _proposal(proposal_id, user)
    try:
        declaration = services.declare_conflict(proposal, user, payload.has_conflict, payload.statement)
    except services.ActionRefused as exc:
        raise _refused(exc) from exc
    return Status(201, {"id": declaration.pk, "has_conflict": declaration.has_conflict})


@router.post("/proposals/{proposal_id}/reviews", response={201: ReviewOut}, summary="Score a proposal (reviewers)")
def post_review(request, payload: ReviewIn, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require_user(request)
    proposal = _proposal(proposal_id, user)
    try:
        review = services.submit_review(proposal, user, payload.scores, payload.comment)
    except services.ActionRefused as exc:
        raise _refused(exc) from exc
    return Status(201, review)


@router.get("/proposals/{proposal_id}/reviews", response=list[ReviewOut], summary="Reviews (officials and operators)")
@paginate
def list_reviews(request, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    proposal = _proposal(proposal_id, request.user)
    if not services.can_review(request.user):
        raise PermissionDenied("Reviews are visible to city officials and operators only.")
    return proposal.reviews.select_related("reviewer").prefetch_related("scores").order_by("pk")


def _managed_pilot(proposal_id: int, user) -> Proposal:
    proposal = _proposal(proposal_id, user)
    if not services.capacities(user, proposal) & {lc.OWNER, lc.OPERATOR}:
        raise PermissionDenied("Only the demand's owner or an operator plans and measures a pilot.")
    if proposal.state not in services.PLAN_STATES:
        raise HttpError(409, "Milestones and KPIs are set while a pilot is selected or running.")
    return proposal


@router.post("/proposals/{proposal_id}/milestones", response={201: MilestoneOut}, summary="Add a pilot milestone")
def post_milestone(request, payload: MilestoneIn, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    """`done_on` only while the pilot runs, and never after today (409 otherwise)."""
    user = require_user(request)
    proposal = _managed_pilot(proposal_id, user)
    try:
        milestone = services.add_milestone(proposal, user, **payload.dict())
    except services.ActionRefused as exc:
        raise _refused(exc) from exc
    return Status(201, milestone)


@router.put(
    "/proposals/{proposal_id}/milestones/{milestone_id}/done", response=MilestoneOut, summary="Mark a milestone done"
)
def put_milestone_done(
    request,
    payload: MilestoneDoneIn,
    proposal_id: int = Path(..., ge=1, le=MAX_ID),
    milestone_id: int = Path(..., ge=1, le=MAX_ID),
):
    """While the pilot runs; the day may not be after today (409 otherwise)."""
    user = require_user(request)
    proposal = _managed_pilot(proposal_id, user)
    milestone = Milestone.objects.filter(pk=milestone_id, proposal=proposal).first()
    if milestone is None:
        raise Http404(f"No milestone {milestone_id} on proposal {proposal_id}.")
    try:
        return services.mark_milestone_done(proposal, milestone, user, payload.done_on)
    except services.ActionRefused as exc:
        raise _refused(exc) from exc


@router.post("/proposals/{proposal_id}/kpis", response={201: KpiOut}, summary="Add a pilot KPI")
def post_kpi(request, payload: KpiIn, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    proposal = _managed_pilot(proposal_id, require_user(request))
    return Status(201, Kpi.objects.create(proposal=proposal, **payload.dict()))


@router.put("/proposals/{proposal_id}/kpis/{kpi_id}/actual", response=KpiOut, summary="Record a KPI's actual value")
def put_kpi_actual(
    request,
    payload: KpiActualIn,
    proposal_id: int = Path(..., ge=1, le=MAX_ID),
    kpi_id: int = Path(..., ge=1, le=MAX_ID),
):
    user = require_user(request)
    proposal = _managed_pilot(proposal_id, user)
    kpi = Kpi.objects.filter(pk=kpi_id, proposal=proposal).first()
    if kpi is None:
        raise Http404(f"No KPI {kpi_id} on proposal {proposal_id}.")
    try:
        return services.record_kpi_actual(proposal, kpi, user, payload.actual)
    except services.ActionRefused as exc:
        raise _refused(exc) from exc


@router.get(
    "/pilots/firms/{firm_id}/demands",
    response=list[DemandFitOut],
    summary="Open demands a firm could answer alone or with partners",
)
@paginate
def firm_demand_fits(request, firm_id: int = Path(..., ge=1, le=MAX_ID)):
    fits = open_demands_for_firm(_firm(firm_id))
    return [
        {
            "demand": d.pk,
            "title": d.title,
            "is_example": d.is_example,
            "alone": fit.alone,
            "covered": sorted(fit.covered),
            "missing": sorted(fit.missing),
            "partners": [{"id": m.id, "name": m.name} for m in fit.partners.members] if fit.partners else [],
            "uncoverable": sorted(fit.uncoverable),
        }
        for d, fit in fits
    ]


def _firm(firm_id: int) -> Firm:
    firm = Firm.objects.filter(pk=firm_id).first()
    if firm is None:
        raise Http404(f"No firm {firm_id}.")
    return firm


def _member_firm(firm_id: int, user) -> Firm:
    firm = _firm(firm_id)
    if firm.pk not in services.member_firm_ids(user):
        raise PermissionDenied("Only the firm's members describe its solutions and references.")
    return firm


@router.get("/pilots/firms/{firm_id}/solutions", response=list[SolutionOut], summary="A firm's solutions")
@paginate
def list_solutions(request, firm_id: int = Path(..., ge=1, le=MAX_ID)):
    return _firm(firm_id).solutions.prefetch_related("technologies").order_by("title", "pk")


@router.post(
    "/pilots/firms/{firm_id}/solutions", response={201: SolutionOut}, summary="Describe a solution (firm members)"
)
def post_solution(request, payload: SolutionIn, firm_id: int = Path(..., ge=1, le=MAX_ID)):
    firm = _member_firm(firm_id, require_user(request))
    technologies = _technologies(payload.technologies)
    with transaction.atomic():
        solution = Solution.objects.create(
            firm=firm, title=payload.title, description=payload.description, trl=payload.trl
        )
        solution.technologies.set(technologies)
    return Status(201, solution)


@router.get("/pilots/firms/{firm_id}/references", response=list[ReferenceOut], summary="A firm's references")
@paginate
def list_references(request, firm_id: int = Path(..., ge=1, le=MAX_ID)):
    return _firm(firm_id).pilot_references.prefetch_related("technologies").order_by("-year", "title", "pk")


@router.post(
    "/pilots/firms/{firm_id}/references", response={201: ReferenceOut}, summary="Add a reference (firm members)"
)
def post_reference(request, payload: ReferenceIn, firm_id: int = Path(..., ge=1, le=MAX_ID)):
    firm = _member_firm(firm_id, require_user(request))
    technologies = _technologies(payload.technologies)
    with transaction.atomic():
        reference = Reference.objects.create(
            firm=firm, title=payload.title, client=payload.client, year=payload.year, url=payload.url
        )
        reference.technologies.set(technologies)
    return Status(201, reference)


@router.get("/pilots/certificates/{code}", response=CertificateOut, summary="Verify a pilot certificate by its code")
def verify_certificate(request, code: str = Path(..., max_length=64)):
    """Public. The code printed on the certificate (case, spaces and hyphens do not matter)."""
    proposal = services.certificate_for_code(code)
    if proposal is None:
        raise Http404("No certificate has this verification code. Check the code printed on the certificate.")
    return {
        "valid": True,
        "certificate_number": proposal.certificate_number,
        "code": certificates.display(proposal.certificate_code),
        "issued_on": proposal.certificate_issued_on,
        "proposal": proposal.pk,
        "title": proposal.title,
        "demand": proposal.demand.title,
        "lead_firm": {"id": proposal.lead_firm_id, "name": proposal.lead_firm.name},
        "partners": [{"id": f.pk, "name": f.name} for f in proposal.partners.all()],
        "outcome": proposal.outcome,
        "is_example": proposal.is_example,
        "url": proposal.get_absolute_url(),
    }


@router.get("/pilots/past", response=list[PastPilotOut], summary="Published Testbed Seoul pilots (track record)")
@paginate
def past_pilots(request):
    """Real pilots as published by the city and the press, each with its source link."""
    return PastPilot.objects.prefetch_related("technologies")


@router.get("/pilots/analytics", response=AnalyticsOut, summary="Technology co-occurrence and success rates")
def analytics(request, examples: bool = False):
    data = pilot_analytics(include_examples=examples)
    return {
        "include_examples": examples,
        "proposal_count": data["proposal_count"],
        "pilot_count": data["pilot_count"],
        "selected": data["selection"]["selected"],
        "decided": data["selection"]["decided"],
        "evaluated": data["success"].total,
        "successful": data["success"].successes,
        "pairs": [
            {"a": p["a_slug"], "b": p["b_slug"], "together": p["together"], "lift": p["lift"]} for p in data["pairs"]
        ],
    }
