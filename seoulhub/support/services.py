"""Glue between the support models and the framework-free matching engine: technology tags,
stored text embeddings, engine profiles, the support data version and a per-process matcher
rebuilt when that version changes."""

from __future__ import annotations

import datetime
import hashlib
import threading

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed

from seoulhub.core import clock, versions
from seoulhub.core.localcache import LocalMemo
from seoulhub.matching.engine import Match, Matcher, ProgrammeProfile
from seoulhub.matching.rules import FirmProfile, Rule, age_in_years
from seoulhub.taxonomy.models import Technology
from seoulhub.text import embed

from .models import REVENUE_BAND_BOUNDS, STALE_AFTER_DAYS, EligibilityRule, Firm, FirmTechnology, Programme
from .programme_parse import PROVINCE_SHORT

TAG_MIN_SCORE = 0.5  # one strong alias (0.63) tags; a lone generic word (0.26) does not


# ---- programme windows ----------------------------------------------------------------------
OPEN, UPCOMING, CLOSED, ROLLING, STALE, UNKNOWN = "open", "upcoming", "closed", "rolling", "stale", "unknown"


def window_status(programme: Programme, today: datetime.date | None = None) -> str:
    today = today or clock.today()
    if programme.opens_on or programme.closes_on:
        if programme.opens_on and today < programme.opens_on:
            return UPCOMING
        if programme.closes_on and today > programme.closes_on:
            return CLOSED
        return OPEN
    if programme.rolling:
        announced = programme.source_created_at.date() if programme.source_created_at else None
        if announced and announced > today:
            return UPCOMING  # announced after the day the hub shows (a demo date before the newest data)
        if announced and (today - announced).days > STALE_AFTER_DAYS:
            return STALE
        return ROLLING
    return UNKNOWN


def is_open(programme: Programme, today: datetime.date | None = None) -> bool:
    return window_status(programme, today) in (OPEN, ROLLING)


# ---- enrichment -----------------------------------------------------------------------------
def technology_slugs_for_text(text: str) -> list[str]:
    from seoulhub.text.techtag import default_tagger

    return [m.slug for m in default_tagger().tag(text, min_score=TAG_MIN_SCORE)]


def technology_slugs_for_ksic(code: str, technologies: list[Technology] | None = None) -> list[str]:
    """Technologies whose KSIC codes nest with the firm's code (one is a prefix of the other)."""
    if not code:
        return []
    technologies = technologies if technologies is not None else list(Technology.objects.filter(active=True))
    return [t.slug for t in technologies if any(c.startswith(code) or code.startswith(c) for c in t.ksic_codes)]


def firm_text(firm: Firm) -> str:
    return " ".join(filter(None, [firm.name_ko, firm.name_en, firm.industry_text, firm.products, firm.description]))


def programme_text(programme: Programme) -> str:
    return " ".join(filter(None, [programme.title, programme.summary[:1000]]))


KSIC_DEFAULT_CONFIDENCE = 0.3  # a KSIC code names an industry, not what this firm makes
DECLARED_CONFIDENCE = 1.0


def product_confidence(score: float) -> float:
    """Confidence of a technology named in the firm's product list. The tagger is tuned on news,
    where a lone generic word ("게임", "보안") is weak evidence (0.26); in a list of what the firm
    sells it names the product, so any alias counts, lifted to 0.5 + score / 2 (0.63 .. 1)."""
    return round(0.5 + 0.5 * score, 4)


def firm_tag_evidence(firm: Firm, technologies: list[Technology]) -> dict[str, tuple[str, float]]:
    """slug -> (provenance, confidence) from the firm's own text and its KSIC code.

    * products (KRX 주요제품, the venture list's 주생산품, or what the firm entered): any alias,
      at `product_confidence`;
    * its own text (name, products, description; not the KSIC class name): the tagger's score,
      from TAG_MIN_SCORE;
    * a KSIC default no text confirms stays a KSIC default at KSIC_DEFAULT_CONFIDENCE."""
    from seoulhub.text.techtag import default_tagger

    tagger = default_tagger()
    evidence: dict[str, tuple[str, float]] = {}
    for slug in technology_slugs_for_ksic(firm.ksic.code if firm.ksic_id else "", technologies):
        evidence[slug] = (FirmTechnology.Provenance.KSIC, KSIC_DEFAULT_CONFIDENCE)
    inferred: dict[str, float] = {}
    # The industry text is the KSIC class name ("소프트웨어 개발 및 공급업"): the KSIC default already
    # says it, so it is no evidence of what this firm makes.
    own_text = " ".join(filter(None, [firm.name_ko, firm.name_en, firm.products, firm.description]))
    for match in tagger.tag(own_text, min_score=TAG_MIN_SCORE):
        inferred[match.slug] = round(float(match.score), 4)
    for match in tagger.tag(firm.products or ""):
        inferred[match.slug] = max(inferred.get(match.slug, 0.0), product_confidence(match.score))
    for slug, confidence in inferred.items():
        evidence[slug] = (FirmTechnology.Provenance.PRODUCTS, confidence)
    return evidence


def announce_technology_changes(firm: Firm, technology_ids: set[int]) -> None:
    """FirmTechnology rows written directly send no m2m_changed: announce them, so the data version
    and the landscape counts follow as they do for tags set through the relation."""
    if technology_ids:
        m2m_changed.send(
            sender=Firm.technologies.through,
            instance=firm,
            action="post_add",
            reverse=False,
            model=Technology,
            pk_set=technology_ids,
            using=FirmTechnology.objects.db,
        )


def retag_firm(firm: Firm, technologies: list[Technology]) -> None:
    """Replace the firm's inferred and KSIC-default tags with fresh evidence; declared tags stay."""
    by_slug = {t.slug: t for t in technologies}
    declared = set(
        FirmTechnology.objects.filter(firm=firm, provenance=FirmTechnology.Provenance.DECLARED).values_list(
            "technology__slug", flat=True
        )
    )
    evidence = {
        slug: e for slug, e in firm_tag_evidence(firm, technologies).items() if slug in by_slug and slug not in declared
    }
    replaced = FirmTechnology.objects.filter(firm=firm).exclude(provenance=FirmTechnology.Provenance.DECLARED)
    with transaction.atomic():
        touched = set(replaced.values_list("technology_id", flat=True))
        replaced.delete()
        created = FirmTechnology.objects.bulk_create(
            [
                FirmTechnology(firm=firm, technology=by_slug[slug], provenance=provenance, confidence=confidence)
                for slug, (provenance, confidence) in sorted(evidence.items())
            ]
        )
        touched |= {row.technology_id for row in created}
        announce_technology_changes(firm, touched)


def enrich_firms(firms: list[Firm], tag: bool = True) -> int:
    """Tag technologies (products text + KSIC, with provenance) and store embeddings; returns firms changed."""
    if not firms:
        return 0
    technologies = list(Technology.objects.filter(active=True))
    vectors = embed.embed([firm_text(f) for f in firms])
    for firm, vector in zip(firms, vectors):
        firm.embedding = embed.to_bytes(vector)
        firm.save(update_fields=["embedding"])
        if tag:
            retag_firm(firm, technologies)
    return len(firms)


def enrich_programmes(programmes: list[Programme], tag: bool = True) -> int:
    if not programmes:
        return 0
    by_slug = {t.slug: t for t in Technology.objects.filter(active=True)}
    vectors = embed.embed([programme_text(p) for p in programmes])
    for programme, vector in zip(programmes, vectors):
        programme.embedding = embed.to_bytes(vector)
        programme.save(update_fields=["embedding"])
        if tag:
            slugs = technology_slugs_for_text(programme_text(programme))
            programme.technologies.add(*[by_slug[s] for s in slugs if s in by_slug])
    return len(programmes)


# ---- engine profiles ------------------------------------------------------------------------
def firm_profile(
    firm: Firm,
    today: datetime.date,
    sections: dict[int, str] | None = None,
    tech_slugs: frozenset[str] | None = None,
    tech_confidence: dict[str, float] | None = None,
) -> FirmProfile:
    region = "서울" if firm.district_id else PROVINCE_SHORT.get(firm.province) or None
    section = None
    if firm.ksic_id:
        section = sections.get(firm.ksic_id) if sections is not None else firm.ksic.section
    if tech_slugs is None:
        tech_confidence = firm_tag_confidence([firm.pk]).get(firm.pk, {})
        tech_slugs = frozenset(tech_confidence)
    return FirmProfile(
        id=firm.pk,
        name=firm.name_ko,
        region=region,
        district=firm.district.name_ko if firm.district_id else None,
        age_years=age_in_years(firm.founded_on, today),
        employees=firm.employees,
        revenue_range=REVENUE_BAND_BOUNDS.get(firm.revenue_band),
        ksic_section=section,
        certifications=frozenset(firm.certifications or []),
        stage=firm.stage or None,
        technologies=tech_slugs,
        tech_confidence=dict(tech_confidence or {}),
    )


def rule_of(rule: EligibilityRule) -> Rule:
    return Rule(rule.kind, dict(rule.params or {}), rule.source_text)


def programme_profile(
    programme: Programme,
    today: datetime.date,
    tech_slugs: frozenset[str] | None = None,
    rules: list[EligibilityRule] | None = None,
) -> ProgrammeProfile:
    rules = rules if rules is not None else list(programme.rules.all())
    return ProgrammeProfile(
        id=programme.pk,
        title=programme.title,
        rules=tuple(rule_of(r) for r in rules),
        technologies=tech_slugs if tech_slugs is not None else frozenset(t.slug for t in programme.technologies.all()),
        opens_on=programme.opens_on,
        closes_on=programme.closes_on,
        is_open=is_open(programme, today),
    )


def _ksic_sections() -> dict[int, str]:
    from seoulhub.taxonomy.models import KsicCode

    codes = {k.pk: (k.parent_id, k.code) for k in KsicCode.objects.only("pk", "parent_id", "code")}
    sections = {}
    for pk in codes:
        node = pk
        while codes[node][0] is not None:
            node = codes[node][0]
        sections[pk] = codes[node][1]
    return sections


def _m2m_slugs(through, owner_field: str) -> dict[int, set[str]]:
    slugs: dict[int, set[str]] = {}
    for owner, slug in through.objects.values_list(owner_field, "technology__slug"):
        slugs.setdefault(owner, set()).add(slug)
    return slugs


def firm_tag_confidence(firm_ids=None) -> dict[int, dict[str, float]]:
    """firm id -> {technology slug: confidence} (all firms when firm_ids is None)."""
    rows = FirmTechnology.objects.all() if firm_ids is None else FirmTechnology.objects.filter(firm_id__in=firm_ids)
    found: dict[int, dict[str, float]] = {}
    for firm_id, slug, confidence in rows.values_list("firm_id", "technology__slug", "confidence"):
        found.setdefault(firm_id, {})[slug] = confidence
    return found


def build_matcher(today: datetime.date | None = None) -> Matcher:
    today = today or clock.today()
    sections = _ksic_sections()
    firm_tags = firm_tag_confidence()
    programme_slugs = _m2m_slugs(Programme.technologies.through, "programme_id")
    rules: dict[int, list[EligibilityRule]] = {}
    for rule in EligibilityRule.objects.order_by("programme_id", "kind", "pk"):
        rules.setdefault(rule.programme_id, []).append(rule)
    firms = list(Firm.objects.select_related("district").defer("provenance"))
    programmes = list(Programme.objects.all())
    firm_profiles = [
        firm_profile(f, today, sections, frozenset(firm_tags.get(f.pk, {})), firm_tags.get(f.pk, {})) for f in firms
    ]
    programme_profiles = [
        programme_profile(p, today, frozenset(programme_slugs.get(p.pk, ())), rules.get(p.pk, [])) for p in programmes
    ]
    firm_vectors = _stack([f.embedding for f in firms])
    programme_vectors = _stack([p.embedding for p in programmes])
    parents = dict(Technology.objects.values_list("slug", "parent__slug"))
    return Matcher(firm_profiles, programme_profiles, firm_vectors, programme_vectors, parents, today)


def _stack(blobs) -> np.ndarray | None:
    """Vectors for all items; an item whose embedding is not computed yet gets zeros (similarity 0)
    until its enrichment job has run. None when no item has one."""
    vectors = [embed.from_bytes(b) for b in blobs]
    width = next((len(v) for v in vectors if v is not None), None)
    if width is None:
        return None
    zeros = np.zeros(width, dtype=np.float32)
    return np.stack([zeros if v is None or len(v) != width else v for v in vectors])


# ---- data version ---------------------------------------------------------------------------
# What the matcher and the cached dashboard parts were computed from: today's date (eligibility and
# open windows depend on it) and the "support" data version (core.versions), which the signals in
# signals.py bump on every write to firms, programmes, their rules or technology tags.
DATA_SET = "support"


def _table_stamp() -> str:
    """The version from the tables themselves: the same data gives the same stamp."""
    firms = Firm.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    programmes = Programme.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    rules = EligibilityRule.objects.aggregate(n=Count("pk"), last=Max("pk"))
    tags = (Firm.technologies.through.objects.count(), Programme.technologies.through.objects.count())
    figures = (firms["n"], firms["at"], programmes["n"], programmes["at"], rules["n"], rules["last"], tags)
    return hashlib.sha256(repr(figures).encode()).hexdigest()[:20]


def data_version(fresh: bool = False) -> tuple[datetime.date, str]:
    """(today, stamp); fresh: see core.versions.current."""
    return clock.today(), versions.current(DATA_SET, _table_stamp, fresh=fresh)


def version_key(version: tuple[datetime.date, str]) -> str:
    today, stamp = version
    return f"{today.isoformat()}:{stamp}"


def bump_data_version() -> None:
    """Every process leaves its matcher and cached pages behind at its next read."""
    versions.bump(DATA_SET)


# Values computed for one data version (the key carries it), shared by every user: they never need
# invalidating, and the memo spares the shared cache's round trip and unpickling on each request.
SHARED_SECONDS = 60 * 60
_shared_memo = LocalMemo(seconds=60, max_items=256)


def shared_get(key: str):
    return _shared_memo.read_through(key, lambda: cache.get(key))


def shared_set(key: str, value) -> None:
    cache.set(key, value, SHARED_SECONDS)
    _shared_memo.set(key, value)


def shared_value(key: str, compute):
    """compute() once per key for all users (and, with a shared cache, all processes)."""
    value = shared_get(key)
    if value is None:
        value = compute()
        shared_set(key, value)
    return value


def technology_names(language: str, version: tuple[datetime.date, str]) -> dict[str, str]:
    field = "name_en" if language == "en" else "name_ko"
    return shared_value(
        f"support:tech-names:{language}:{version_key(version)}",
        lambda: dict(Technology.objects.values_list("slug", field)),
    )


def any_programme_open(version: tuple[datetime.date, str]) -> bool:
    today, _stamp = version
    return shared_value(f"support:any-open:{version_key(version)}", lambda: Programme.objects.open(today).exists())


# ---- the matcher ----------------------------------------------------------------------------
_lock = threading.Lock()
_cached: dict = {}


def current_matcher(version: tuple[datetime.date, str] | None = None) -> Matcher:
    """The matcher for the current data, rebuilt only when firms, programmes or rules changed."""
    version = version or data_version()
    with _lock:
        if _cached.get("version") != version:
            _cached["matcher"] = build_matcher(version[0])
            _cached["version"] = version
        return _cached["matcher"]


def recommendations(
    firm: Firm,
    include_closed: bool = False,
    include_ineligible: bool = False,
    version: tuple[datetime.date, str] | None = None,
) -> list[tuple[Programme, Match]]:
    matches = current_matcher(version).for_firm(
        firm.pk, include_closed=include_closed, include_ineligible=include_ineligible
    )
    programmes = Programme.objects.in_bulk([m.programme_id for m in matches])
    return [(programmes[m.programme_id], m) for m in matches if m.programme_id in programmes]


def explain(firm: Firm, programme: Programme, version: tuple[datetime.date, str] | None = None) -> Match:
    return current_matcher(version).explain(firm.pk, programme.pk)


def qualifying_firms(
    programme: Programme, include_needs_check: bool = True, version: tuple[datetime.date, str] | None = None
) -> list[tuple[Firm, Match]]:
    matches = current_matcher(version).for_programme(programme.pk, include_needs_check=include_needs_check)
    firms = Firm.objects.select_related("district", "ksic").in_bulk([m.firm_id for m in matches])
    return [(firms[m.firm_id], m) for m in matches if m.firm_id in firms]
