"""Firm <-> programme matching: eligibility for every pair and a ranking of the eligible ones.
No Django here.

`Matcher` holds firms and programmes in numpy arrays once, then answers
- `for_firm(firm_id)`: every programme with its overall verdict, each rule's verdict in words,
  and a score (technology fit, text similarity, deadline) for the ones not ruled out;
- `for_programme(programme_id)`: the firms that qualify (the reverse view, for operators);
- `eligibility_matrix()`: the status of all pairs at once (vectorised per rule kind).

The vectorised checks must agree with `rules.check` pair by pair; tests compare them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np

from .rules import (
    AGE_MAX,
    AGE_MIN,
    CERT,
    DISTRICT,
    ELIGIBLE,
    EMP_MAX,
    EMP_MIN,
    FAIL,
    KSIC,
    MANUAL,
    NEEDS_CHECK,
    NOT_ELIGIBLE,
    REGION,
    REV_MAX,
    REV_MIN,
    RULE_KINDS,
    STAGE,
    FirmProfile,
    UNREAD,
    Rule,
    Verdict,
    check,
    overall,
)

# Ranking weights: technology fit dominates because the taxonomy tags are the most specific signal;
# text similarity catches what the tags miss; the deadline breaks ties towards what closes soon.
W_TECH, W_TEXT, W_DEADLINE = 0.5, 0.35, 0.15
# The int8 status codes of eligibility_matrix / programme_statuses.
OVERALL_BY_CODE = {0: ELIGIBLE, 1: NEEDS_CHECK, 2: NOT_ELIGIBLE}


@dataclass(frozen=True)
class ProgrammeProfile:
    id: int
    title: str = ""
    rules: tuple[Rule, ...] = ()
    technologies: frozenset[str] = frozenset()
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    is_open: bool = True  # decided by the caller (window, rolling, stale announcements)


@dataclass
class Match:
    programme_id: int
    firm_id: int
    status: str
    verdicts: list[Verdict]
    score: float = 0.0
    tech_fit: float = 0.0
    text_similarity: float = 0.0
    deadline_score: float = 0.0
    shared_technologies: list[str] = field(default_factory=list)


def _rule_order(rule: Rule) -> int:
    """Verdicts read where, what, who, how big, then what a person must check."""
    return RULE_KINDS.index(rule.kind)


def deadline_score(closes_on: datetime.date | None, today: datetime.date, is_open: bool) -> float:
    """1 for a window closing within two weeks, falling to 0.3 at 90 days and beyond; 0.3 for rolling
    programmes (no closing date); 0 when closed."""
    if not is_open:
        return 0.0
    if closes_on is None:
        return 0.3
    days = (closes_on - today).days
    if days < 0:
        return 0.0
    if days <= 14:
        return 1.0
    if days >= 90:
        return 0.3
    return 1.0 - 0.7 * (days - 14) / 76


def expand(technologies: frozenset[str], parents: dict[str, str | None]) -> frozenset[str]:
    """The technologies and all their ancestors (a firm doing computer vision does AI)."""
    found: set[str] = set()
    for slug in technologies:
        current: str | None = slug
        while current and current not in found:
            found.add(current)
            current = parents.get(current)
    return frozenset(found)


def expand_confidence(
    technologies: frozenset[str], confidence: dict[str, float], parents: dict[str, str | None]
) -> dict[str, float]:
    """Each technology and ancestor with the best confidence of a tag under it, so a KSIC-default
    tag (0.3) adds less to the technology fit than one the firm declared or its products show."""
    weights: dict[str, float] = {}
    for slug in technologies:
        weight = confidence.get(slug, 1.0)
        current: str | None = slug
        while current:
            if weights.get(current, -1.0) >= weight:
                break
            weights[current] = weight
            current = parents.get(current)
    return weights


class Matcher:
    def __init__(
        self,
        firms: list[FirmProfile],
        programmes: list[ProgrammeProfile],
        firm_vectors: np.ndarray | None = None,
        programme_vectors: np.ndarray | None = None,
        tech_parents: dict[str, str | None] | None = None,
        today: datetime.date | None = None,
    ):
        self.firms = list(firms)
        self.programmes = list(programmes)
        self.today = today or datetime.date.today()
        self.parents = tech_parents or {}
        self.firm_index = {f.id: i for i, f in enumerate(self.firms)}
        self.programme_index = {p.id: i for i, p in enumerate(self.programmes)}
        self._build_tech()
        self.firm_vectors = self._normalised(firm_vectors, len(self.firms))
        self.programme_vectors = self._normalised(programme_vectors, len(self.programmes))
        self._deadline = np.array([deadline_score(p.closes_on, self.today, p.is_open) for p in self.programmes])
        self._build_rule_index()
        self._build_firm_arrays()

    # ---- construction -------------------------------------------------------------------------
    @staticmethod
    def _normalised(vectors, n):
        if vectors is None:
            return None
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape[0] != n:
            raise ValueError(f"{vectors.shape[0]} vectors for {n} items")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def _build_tech(self):
        slugs = sorted(
            {s for f in self.firms for s in expand(f.technologies, self.parents)}
            | {s for p in self.programmes for s in p.technologies}
        )
        self.tech_slugs = slugs
        column = {s: i for i, s in enumerate(slugs)}
        self.firm_tech = np.zeros((len(self.firms), len(slugs)), dtype=np.float32)
        for i, firm in enumerate(self.firms):
            for slug, weight in expand_confidence(firm.technologies, firm.tech_confidence, self.parents).items():
                self.firm_tech[i, column[slug]] = weight
        self.programme_tech = np.zeros((len(self.programmes), len(slugs)), dtype=np.float32)
        for j, programme in enumerate(self.programmes):
            for slug in programme.technologies:
                self.programme_tech[j, column[slug]] = 1
        sizes = self.programme_tech.sum(axis=1)
        self._programme_tech_size = np.where(sizes == 0, 1, sizes)

    def _build_rule_index(self):
        """Programmes share many rules (e.g. "대상: 중소기업", nationwide): each distinct rule is checked
        once per firm and its verdict reused across programmes."""
        distinct: dict[tuple, int] = {}
        self.distinct_rules: list[Rule] = []
        self.rule_ids: list[tuple[int, ...]] = []
        for programme in self.programmes:
            ids = []
            for rule in sorted(programme.rules, key=_rule_order) or [UNREAD]:
                key = (rule.kind, repr(sorted(rule.params.items())), rule.source_text)
                if key not in distinct:
                    distinct[key] = len(self.distinct_rules)
                    self.distinct_rules.append(rule)
                ids.append(distinct[key])
            self.rule_ids.append(tuple(ids))

    def _build_firm_arrays(self):
        firms = self.firms

        def numbers(values):
            return np.array([np.nan if v is None else float(v) for v in values])

        self.f_age = numbers(f.age_years for f in firms)
        self.f_emp = numbers(f.employees for f in firms)
        self.f_rev_low = numbers(f.revenue_range[0] if f.revenue_range else None for f in firms)
        self.f_rev_high = numbers(
            f.revenue_range[1]
            if f.revenue_range and f.revenue_range[1] is not None
            else (np.inf if f.revenue_range else None)
            for f in firms
        )
        self.f_region = _Categorical(f.region for f in firms)
        self.f_district = _Categorical(f.district for f in firms)
        self.f_section = _Categorical(f.ksic_section for f in firms)
        self.f_stage = _Categorical(f.stage for f in firms)
        self.cert_bits = {c: 1 << k for k, c in enumerate(sorted({c for f in firms for c in f.certifications}))}
        self.f_certs = np.array([sum(self.cert_bits[c] for c in f.certifications) for f in firms], dtype=np.int64)

    # ---- scores -------------------------------------------------------------------------------
    def _scores_for_firm(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        # einsum without BLAS: a matrix-vector product is too small to gain from BLAS threads, and on a
        # busy machine their spinning cost 10+ ms per call (measured); this stays under 0.5 ms.
        tech = np.einsum("ij,j->i", self.programme_tech, self.firm_tech[i], optimize=False) / self._programme_tech_size
        if self.firm_vectors is not None and self.programme_vectors is not None:
            text = np.clip(np.einsum("ij,j->i", self.programme_vectors, self.firm_vectors[i], optimize=False), 0, 1)
        else:
            text = np.zeros(len(self.programmes))
        return tech, text

    def _verdicts(self, j: int, firm: FirmProfile, cache: list | None = None) -> list[Verdict]:
        if cache is None:
            return [check(self.distinct_rules[r], firm) for r in self.rule_ids[j]]
        verdicts = []
        for r in self.rule_ids[j]:
            verdict = cache[r]
            if verdict is None:
                verdict = cache[r] = check(self.distinct_rules[r], firm)
            verdicts.append(verdict)
        return verdicts

    def _match(
        self,
        i: int,
        j: int,
        tech: float,
        text: float,
        verdicts: list[Verdict] | None = None,
        firm_technologies: frozenset[str] | None = None,
    ) -> Match:
        firm, programme = self.firms[i], self.programmes[j]
        verdicts = verdicts if verdicts is not None else self._verdicts(j, firm)
        if firm_technologies is None:
            firm_technologies = expand(firm.technologies, self.parents)
        tech, text = float(tech), float(text)
        deadline = float(self._deadline[j])
        return Match(
            programme.id,
            firm.id,
            overall(verdicts),
            verdicts,
            score=W_TECH * tech + W_TEXT * text + W_DEADLINE * deadline,
            tech_fit=tech,
            text_similarity=text,
            deadline_score=deadline,
            shared_technologies=sorted(programme.technologies & firm_technologies),
        )

    # ---- queries ------------------------------------------------------------------------------
    def for_firm(self, firm_id: int, include_closed: bool = False, include_ineligible: bool = False) -> list[Match]:
        """Programmes for one firm: eligible first, then those needing a check, each by score."""
        i = self.firm_index[firm_id]
        firm = self.firms[i]
        tech, text = (values.tolist() for values in self._scores_for_firm(i))
        firm_technologies = expand(firm.technologies, self.parents)
        cache: list[Verdict | None] = [None] * len(self.distinct_rules)
        matches = []
        for j, programme in enumerate(self.programmes):
            if not include_closed and not programme.is_open:
                continue
            verdicts = self._verdicts(j, firm, cache)
            if not include_ineligible and any(v.status == FAIL for v in verdicts):
                continue
            matches.append(self._match(i, j, tech[j], text[j], verdicts, firm_technologies))
        order = {ELIGIBLE: 0, NEEDS_CHECK: 1, NOT_ELIGIBLE: 2}
        matches.sort(key=lambda m: (order[m.status], -m.score, m.programme_id))
        return matches

    def explain(self, firm_id: int, programme_id: int) -> Match:
        i, j = self.firm_index[firm_id], self.programme_index[programme_id]
        tech, text = self._scores_for_firm(i)
        return self._match(i, j, tech[j], text[j])

    def programme_statuses(self, j: int) -> np.ndarray:
        """Status code (0 eligible, 1 needs check, 2 not eligible) of every firm for programme j."""
        worst = np.zeros(len(self.firms), dtype=np.int8)
        for r in self.rule_ids[j]:
            np.maximum(worst, self._rule_codes(self.distinct_rules[r]), out=worst)
        return worst

    def for_programme(self, programme_id: int, include_needs_check: bool = True) -> list[Match]:
        """Firms that qualify for one programme (eligible, then needing a check), best fit first."""
        j = self.programme_index[programme_id]
        statuses = self.programme_statuses(j)
        tech = (
            np.einsum("ij,j->i", self.firm_tech, self.programme_tech[j], optimize=False) / self._programme_tech_size[j]
        )
        if self.firm_vectors is not None and self.programme_vectors is not None:
            text = np.clip(np.einsum("ij,j->i", self.firm_vectors, self.programme_vectors[j], optimize=False), 0, 1)
        else:
            text = np.zeros(len(self.firms))
        keep = np.flatnonzero(statuses <= (1 if include_needs_check else 0))
        matches = [self._match(int(i), j, tech[i], text[i]) for i in keep]
        matches.sort(key=lambda m: (m.status != ELIGIBLE, -m.score, m.firm_id))
        return matches

    def eligibility_matrix(self) -> np.ndarray:
        """(programmes x firms) status codes for every pair."""
        return (
            np.stack([self.programme_statuses(j) for j in range(len(self.programmes))])
            if self.programmes
            else np.zeros((0, len(self.firms)), dtype=np.int8)
        )

    def score_matrix(self) -> np.ndarray:
        """(programmes x firms) ranking scores for every pair."""
        tech = (self.programme_tech @ self.firm_tech.T) / self._programme_tech_size[:, None]
        score = W_TECH * tech + W_DEADLINE * self._deadline[:, None]
        if self.firm_vectors is not None and self.programme_vectors is not None:
            score += W_TEXT * np.clip(self.programme_vectors @ self.firm_vectors.T, 0, 1)
        return score

    # ---- vectorised rule checks (same semantics as rules.check) ---------------------------------
    def _numeric_codes(self, values: np.ndarray, limit: float, upper: bool, inclusive: bool) -> np.ndarray:
        known = ~np.isnan(values)
        with np.errstate(invalid="ignore"):
            if upper:
                ok = values <= limit if inclusive else values < limit
            else:
                ok = values >= limit if inclusive else values > limit
        return np.where(known, np.where(ok, 0, 2), 1).astype(np.int8)

    def _rule_codes(self, rule: Rule) -> np.ndarray:
        kind, p, n = rule.kind, rule.params, len(self.firms)
        inclusive = p.get("inclusive", True)
        if kind in (AGE_MAX, AGE_MIN):
            upper = kind == AGE_MAX
            return self._numeric_codes(self.f_age, p["max" if upper else "min"], upper, inclusive)
        if kind in (EMP_MAX, EMP_MIN):
            upper = kind == EMP_MAX
            return self._numeric_codes(self.f_emp, p["max" if upper else "min"], upper, inclusive)
        if kind in (REV_MAX, REV_MIN):
            low, high = self.f_rev_low, self.f_rev_high
            known = ~np.isnan(low)
            with np.errstate(invalid="ignore"):
                if kind == REV_MAX:
                    limit = p["max"]
                    ok = high <= limit
                    bad = low > limit if inclusive else low >= limit
                else:
                    limit = p["min"]
                    ok = low >= limit if inclusive else low > limit
                    bad = high <= limit
            return np.where(known, np.where(ok, 0, np.where(bad, 2, 1)), 1).astype(np.int8)
        if kind == REGION:
            if p.get("nationwide"):
                return np.zeros(n, dtype=np.int8)
            return self.f_region.membership(p.get("regions", []))
        if kind == DISTRICT:
            return self.f_district.membership(p.get("districts", []))
        if kind == KSIC:
            return self.f_section.membership(p.get("sections", []))
        if kind == STAGE:
            return self.f_stage.membership(p.get("any", []))
        if kind == CERT:
            wanted = sum(self.cert_bits.get(c, 0) for c in set(p.get("any", [])))
            # A certification not on record is unknown, never a fail (see rules.check).
            return np.where(self.f_certs & wanted, 0, 1).astype(np.int8)
        if kind == MANUAL:
            return np.ones(n, dtype=np.int8)
        raise ValueError(f"no vectorised check for rule kind {kind!r}")


class _Categorical:
    """A firm attribute as integer codes (-1 = unknown) so membership tests are vectorised."""

    def __init__(self, values):
        self.vocabulary: dict[str, int] = {}
        codes = []
        for value in values:
            codes.append(-1 if value is None else self.vocabulary.setdefault(value, len(self.vocabulary)))
        self.codes = np.array(codes, dtype=np.int32)

    def membership(self, allowed) -> np.ndarray:
        allowed_codes = [self.vocabulary[v] for v in allowed if v in self.vocabulary]
        inside = np.isin(self.codes, allowed_codes)
        return np.where(self.codes < 0, 1, np.where(inside, 0, 2)).astype(np.int8)
