from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from seoulhub.accounts.api_auth import require_user
from seoulhub.matching.brn import InvalidBRN, validate_brn
from seoulhub.accounts.roles import is_operator
from seoulhub.core.filtering import filter_api, query_schema
from seoulhub.taxonomy.models import District, KsicCode, Technology

from . import firm_audit
from .filters import FirmFilter, ProgrammeFilter
from .models import Firm, FirmChange, Programme
from .permissions import can_edit_firm
from .schemas import EligibleFirmOut, FirmOut, FirmUpdateIn, ProgrammeOut, RecommendationOut
from .tasks import enrich_firm
from .services import qualifying_firms, recommendations, window_status

router = Router(tags=["support"])


def _firms():
    return (
        Firm.objects.select_related("district", "ksic")
        .prefetch_related("technologies", "firmtechnology_set__technology")
        .order_by("name_ko", "pk")
    )


FirmQuery = query_schema(
    FirmFilter,
    "FirmQuery",
    {
        "q": "matches Korean/English names and products",
        "district": "a gu by its Korean name (강남구) or administrative code (11680)",
        "tech": "a technology slug (see /api/v1/technologies)",
    },
)
ProgrammeQuery = query_schema(
    ProgrammeFilter,
    "ProgrammeQuery",
    {
        "q": "matches the title, summary and agency",
        "kind": "the kind of programme",
        "source": "where the record comes from",
        "tech": "a technology slug (see /api/v1/technologies)",
        "open": "true: taking applications today (a dated window that includes today, or a rolling call announced "
        "within the last year); false: every other programme",
    },
)


@router.get("/firms", response=list[FirmOut], summary="The firm registry")
@paginate
def list_firms(request, filters: Query[FirmQuery]):
    """The same filters as the page /support/firms/ (one FilterSet, support/filters.py)."""
    return filter_api(FirmFilter, request, _firms())


@router.get("/firms/{firm_id}", response=FirmOut, summary="One firm")
def get_firm(request, firm_id: int):
    return get_object_or_404(_firms(), pk=firm_id)


@router.patch("/firms/{firm_id}", response=FirmOut, summary="Edit a firm (its members or operators)")
def update_firm(request, firm_id: int, payload: FirmUpdateIn):
    user = require_user(request)
    firm = get_object_or_404(Firm, pk=firm_id)
    if not can_edit_firm(user, firm):
        raise PermissionDenied("Only this firm's members (or an operator) may edit it.")
    data = payload.dict(exclude_unset=True)
    technologies = data.pop("technologies", None)
    if "district" in data:
        name = data.pop("district")
        firm.district = None
        if name:
            firm.district = District.objects.filter(Q(name_ko=name) | Q(adm_code=name)).first()
            if firm.district is None:
                raise HttpError(422, f"district '{name}' is not one of Seoul's 25 gu")
            firm.province = "서울특별시"
    if "brn" in data:
        raw = data.pop("brn")
        try:
            firm.brn = validate_brn(raw) if raw else None
        except InvalidBRN as exc:
            raise HttpError(422, str(exc)) from exc
    if "ksic" in data:
        code = data.pop("ksic")
        firm.ksic = KsicCode.objects.filter(revision="10", code=code).first() if code else None
        if code and firm.ksic is None:
            raise HttpError(422, f"KSIC code '{code}' is not a KSIC rev. 10 code")
    for key, value in data.items():
        if value is None and key == "certifications":
            value = []  # null clears the list, as it clears the text fields below
        setattr(
            firm,
            key,
            ""
            if value is None and key in ("revenue_band", "stage", "website", "name_en", "address", "description")
            else value,
        )
    tech_objects = []
    if technologies is not None:
        tech_objects = list(Technology.objects.filter(slug__in=technologies, active=True))
        unknown = sorted(set(technologies) - {t.slug for t in tech_objects})
        if unknown:
            raise HttpError(422, f"unknown technology slug(s): {', '.join(unknown)}")
    try:
        firm.full_clean()
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()))
    with transaction.atomic():
        before = firm_audit.snapshot(firm)
        firm.save()
        if technologies is not None:
            firm.technologies.set(tech_objects)
        firm_audit.record(firm, before, user, FirmChange.Via.API)
    if {"description", "ksic"} & set(payload.dict(exclude_unset=True)):
        enrich_firm.enqueue(firm.pk)  # new text or industry: recompute the embedding and tags
    return get_object_or_404(_firms(), pk=firm.pk)


@router.get(
    "/firms/{firm_id}/recommendations",
    response=list[RecommendationOut],
    summary="Programmes for a firm, with every rule's verdict in words",
)
@paginate
def firm_recommendations(request, firm_id: int, include_closed: bool = False, include_ineligible: bool = False):
    """Eligible programmes first, then those that need a check, each ranked by technology fit,
    text similarity and deadline. Closed programmes only with `include_closed=true` (the bundled
    기업마당 records are from 2020-21, so all of their windows are closed)."""
    firm = get_object_or_404(Firm, pk=firm_id)
    return [
        {
            "programme": {
                "id": p.pk,
                "title": p.title,
                "agency": p.agency,
                "kind": p.kind,
                "closes_on": p.closes_on,
                "status": window_status(p),
                "url": p.url,
            },
            "status": m.status,
            "score": round(m.score, 4),
            "tech_fit": round(m.tech_fit, 4),
            "text_similarity": round(m.text_similarity, 4),
            "deadline_score": round(m.deadline_score, 4),
            "shared_technologies": m.shared_technologies,
            "verdicts": [v.__dict__ for v in m.verdicts],
        }
        for p, m in recommendations(firm, include_closed=include_closed, include_ineligible=include_ineligible)
    ]


@router.get("/programmes", response=list[ProgrammeOut], summary="The programme catalogue")
@paginate
def list_programmes(request, filters: Query[ProgrammeQuery]):
    """The same filters as the page /support/programmes/ (one FilterSet, support/filters.py)."""
    return filter_api(
        ProgrammeFilter,
        request,
        Programme.objects.prefetch_related("technologies", "rules").order_by("closes_on", "pk"),
    )


@router.get("/programmes/{programme_id}", response=ProgrammeOut, summary="One programme with its rules")
def get_programme(request, programme_id: int):
    return get_object_or_404(Programme.objects.prefetch_related("technologies", "rules"), pk=programme_id)


@router.get(
    "/programmes/{programme_id}/eligible-firms",
    response=list[EligibleFirmOut],
    summary="Firms that qualify for a programme (operators)",
)
@paginate
def eligible_firms(request, programme_id: int, include_needs_check: bool = True):
    user = require_user(request)
    if not is_operator(user):
        raise PermissionDenied("Only hub operators may list the firms that qualify for a programme.")
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Http404("No programme with this id.")
    return [
        {
            "firm": {
                "id": f.pk,
                "name_ko": f.name_ko,
                "name_en": f.name_en,
                "district": f.district.name_ko if f.district_id else None,
                "ksic": f.ksic.code if f.ksic_id else None,
            },
            "status": m.status,
            "score": round(m.score, 4),
            "tech_fit": round(m.tech_fit, 4),
            "text_similarity": round(m.text_similarity, 4),
            "shared_technologies": m.shared_technologies,
            "verdicts": [v.__dict__ for v in m.verdicts],
        }
        for f, m in qualifying_firms(programme, include_needs_check=include_needs_check)
    ]
