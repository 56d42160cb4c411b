"""Which registry firms may be pilot partners, and the partner search of the proposal form.

The KRX listing holds about a hundred special purpose acquisition companies (스팩 / SPAC: shells
that exist to merge) and REITs (리츠: real-estate funds). Neither builds or runs technology, so
neither is offered as a partner. The registry has no company type, so they are known by their
names, as KRX names them: "…스팩…", "…SPAC…", "…리츠" / "…REIT…". A name containing 리츠 is a
REIT only when it ends with 리츠 or its industry is real estate or trusts, because 메리츠 (a
financial group) and 블리츠웨이 (entertainment) contain the same two syllables."""

from __future__ import annotations

from django.db.models import Q

from seoulhub.core.params import parse_ids as core_parse_ids
from seoulhub.support.models import Firm

REIT_INDUSTRIES = ("부동산 임대 및 공급업", "신탁업 및 집합투자업")
SEARCH_LIMIT = 20


def is_shell_company(name_ko: str, name_en: str = "", industry_text: str = "") -> bool:
    """True for a SPAC or a REIT, by its registry name (and industry for 리츠)."""
    names = f"{name_ko} {name_en}"
    if "스팩" in names or "SPAC" in names.upper():
        return True
    if "REIT" in names.upper():
        return True
    if "리츠" in name_ko:
        ends_as_reit = name_ko.rstrip().endswith("리츠") and not name_ko.rstrip().endswith("메리츠")
        return ends_as_reit or industry_text in REIT_INDUSTRIES
    return False


def is_partner_candidate(firm: Firm) -> bool:
    return not is_shell_company(firm.name_ko, firm.name_en, firm.industry_text)


def _shell_q() -> Q:
    reit_name = Q(name_ko__endswith="리츠") & ~Q(name_ko__endswith="메리츠")
    return (
        Q(name_ko__contains="스팩")
        | Q(name_en__icontains="SPAC")
        | Q(name_ko__icontains="SPAC")
        | Q(name_ko__icontains="REIT")
        | Q(name_en__icontains="REIT")
        | (Q(name_ko__contains="리츠") & (reit_name | Q(industry_text__in=REIT_INDUSTRIES)))
    )


def partner_candidates():
    """Every registry firm that may be a partner (the form's choices), by name."""
    return Firm.objects.exclude(_shell_q()).order_by("name_ko", "pk")


def search_partners(query: str, exclude_ids=(), limit: int = SEARCH_LIMIT) -> list[Firm]:
    """Partner firms whose Korean or English name, products or industry contain the query;
    names that start with it come first."""
    # NUL and lone surrogates cannot reach the database (PostgreSQL refuses them): drop them.
    query = " ".join("".join(ch for ch in query if ch.isprintable()).split())[:100]
    if not query:
        return []
    matches = (
        partner_candidates()
        .exclude(pk__in=list(exclude_ids))
        .filter(
            Q(name_ko__icontains=query)
            | Q(name_en__icontains=query)
            | Q(products__icontains=query)
            | Q(industry_text__icontains=query)
        )
    )
    found = list(matches.only("pk", "name_ko", "name_en", "industry_text", "products")[:200])
    lowered = query.lower()
    found.sort(
        key=lambda f: (
            not f.name_ko.lower().startswith(lowered) and not f.name_en.lower().startswith(lowered),
            lowered not in f"{f.name_ko} {f.name_en}".lower(),
            f.name_ko,
            f.pk,
        )
    )
    return found[:limit]


def parse_ids(values, limit: int = 50) -> list[int]:
    """Firm ids from query values ("1,2" or repeated), at most `limit`; values that are not ids
    ("²", "-1", 30 digits) are ignored (core.params.parse_ids)."""
    parts = [part for value in values for part in str(value).split(",")]
    return core_parse_ids(parts)[0][:limit]
