from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from .models import District, KsicCode, Technology
from .schemas import DistrictOut, KsicOut, TechnologyOut

router = Router(tags=["taxonomy"])


@router.get("/technologies", response=list[TechnologyOut], summary="The technology taxonomy")
@paginate
def list_technologies(request, q: str = "", parent: str = ""):
    """Every active technology; `q` matches names and aliases, `parent` limits to one branch."""
    technologies = Technology.objects.filter(active=True).select_related("parent").order_by("slug")
    if q:
        technologies = [
            t for t in technologies if any(q.casefold() in term.casefold() for term in [t.slug, *t.all_aliases()])
        ]
    if parent:
        technologies = [t for t in technologies if t.parent and t.parent.slug == parent]
    return technologies


@router.get("/technologies/{slug}", response=TechnologyOut, summary="One technology")
def get_technology(request, slug: str):
    return get_object_or_404(Technology.objects.select_related("parent"), slug=slug, active=True)


@router.get("/districts", response=list[DistrictOut], summary="Seoul's 25 districts with both code schemes")
@paginate
def list_districts(request):
    return District.objects.order_by("adm_code")


@router.get("/ksic", response=list[KsicOut], summary="KSIC codes (rev. 9 and 10)")
@paginate
def list_ksic(request, revision: str = "10", q: str = "", level: int | None = Query(None, ge=1, le=5)):
    codes = KsicCode.objects.filter(revision=revision).order_by("code")
    if q:
        codes = codes.filter(Q(code__startswith=q) | Q(name__icontains=q))
    if level is not None:
        codes = codes.filter(level=level)
    return codes
