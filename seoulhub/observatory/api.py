from django.http import Http404
from ninja import Router
from ninja.pagination import paginate

from seoulhub.core import clock
from seoulhub.taxonomy.models import District

from . import analysis
from .kpis import REGISTRY, compute
from .models import DigitalSector, Policy
from .portfolio import policy_dict
from .schemas import ComputationOut, DistrictProfileOut, IndicatorOut, PolicyOut, SectorOut
from .views import district_profile_data

router = Router(tags=["observatory"])


def _district(code: str) -> District:
    district = analysis.find_district(code)
    if district is None:
        raise Http404(
            f"No Seoul district has the code or name {code!r}: use an administrative code such as 11680, "
            "a KOSTAT code such as 11250 or a name such as 강남구 (see /api/v1/districts)."
        )
    return district


@router.get("/districts/{code}/profile", response=DistrictProfileOut, summary="A district's digital-industry profile")
def district_profile(request, code: str, source: str = "", year: int | None = None, measure: str = "establishments"):
    """Indicators of every digital-industry sector for one gu. `source` is `stats` (imported
    statistics) or `registry` (the hub's own firm registry, not official statistics)."""
    if source and source not in (analysis.STATS, analysis.REGISTRY):
        from ninja.errors import HttpError

        raise HttpError(422, "source must be 'stats' or 'registry'")
    district = _district(code)
    profile = district_profile_data(district, source or None, year, measure)
    return {
        "adm_code": district.adm_code,
        "kostat_code": district.kostat_code,
        "name_ko": district.name_ko,
        "name_en": district.name_en,
        **{k: profile[k] for k in ("source", "year", "previous_year", "measure", "note", "sectors")},
    }


@router.get("/indicators", response=list[IndicatorOut], summary="Indicators of one sector for the 25 districts")
@paginate
def list_indicators(
    request,
    source: str = "",
    year: int | None = None,
    sector: str = analysis.ALL_DIGITAL,
    measure: str = "establishments",
):
    """Count, share of Seoul, growth against the previous year on file, location quotient and rank
    per gu. `sector` is `digital`, `digital:<slug>` or `ksic:<revision>:<code>`."""
    table = analysis.indicator_table(source or None, year, sector, measure)
    note = analysis.plain_note(table)
    return [
        {
            "source": table.source,
            "year": table.year,
            "previous_year": table.previous_year,
            "sector": table.sector,
            "sector_label": str(table.sector_label),
            "measure": table.measure,
            "note": note,
            **row,
        }
        for row in table.rows
    ]


@router.get("/policies", response=list[PolicyOut], summary="The policy portfolio with KPI values")
@paginate
def list_policies(request, role: str = ""):
    policies = Policy.objects.select_related("role").prefetch_related("kpis")
    if role:
        policies = policies.filter(role__slug=role)
    now = clock.now()
    return [policy_dict(p, now) for p in policies]


@router.get("/digital-sectors", response=list[SectorOut], summary="The digital-industry definition as KSIC codes")
@paginate
def list_sectors(request):
    return [
        {
            "slug": s.slug,
            "name_ko": s.name_ko,
            "name_en": s.name_en,
            "ksic10": s.prefixes("10"),
            "ksic9": s.prefixes("9"),
        }
        for s in DigitalSector.objects.filter(active=True).prefetch_related("codes")
    ]


@router.get(
    "/kpi-computations", response=list[ComputationOut], summary="Live KPI computations and their current values"
)
@paginate
def list_computations(request):
    rows = []
    for name, entry in sorted(REGISTRY.items()):
        result = compute(name)
        rows.append(
            {
                "name": name,
                "label": str(entry.label),
                "unit": str(entry.unit),
                "description": str(entry.description),
                "role": entry.role,
                "value": result.value,
                "note": result.note,
            }
        )
    return rows
