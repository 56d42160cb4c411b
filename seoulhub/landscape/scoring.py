"""Framework-free landscape maths: gap score, co-occurrence, adjacency, complementary partners.

No Django import: the aggregates are stored by the app, but every figure shown is computed here
from plain numbers so it can be tested and benchmarked alone.

Gap score (the pre-adopter's early warning)
    A technology stands out when the world is turning to it and Seoul has little to offer in it.

    rising   = max(0, emergence score) when the rise is statistically significant, else 0.
               The emergence score is the lower end of the 95 % interval of log2(growth of the
               technology's share of items), from `seoulhub.trends.emergence`; so rising = 1
               means "its share at least doubled, with 95 % confidence".
    capacity = 0.5 * f / (f + F) + 0.25 * p / (p + 1) + 0.25 * q / (q + 1), in [0, 1), where
               f = Seoul firms tagged with it, F = the median of f over all technologies (at
               least 1), so a technology with the median number of firms has a firm term of 0.5;
               p = open support programmes that target it; q = pilots (running or done) and open
               pilot demands that need it. Firms weigh half: they are the capacity; programmes and
               pilots are the city's instruments to grow it.
    gap      = rising * (1 - capacity).

    A rising technology with no firm, no programme and no pilot has gap = rising; any firm,
    programme or pilot lowers it; a technology that is not rising has gap 0.

Co-occurrence
    Items (articles, pilots, firms) are sets of technologies. Pairs are counted once per item;
    association is normalised pointwise mutual information (NPMI, in [-1, 1]; 0 = independent,
    1 = always together), which does not favour frequent technologies the way raw counts do.

Adjacency
    A technology t the firm does not have is adjacent to the firm's set S by the strongest
    positive association it has with any member of S (max NPMI), or by the taxonomy (parent,
    child or sibling of a member of S) with a fixed weight when no co-occurrence evidence exists.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from statistics import median

FIRM_WEIGHT = 0.5
PROGRAMME_WEIGHT = 0.25
PILOT_WEIGHT = 0.25
TAXONOMY_ADJACENCY = 0.2  # weight of a parent/child/sibling link when articles say nothing
DEFAULT_MIN_PAIR_COUNT = 3


# --- gap ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    firms: int
    open_programmes: int
    pilots: int
    firm_reference: float

    def __post_init__(self):
        if min(self.firms, self.open_programmes, self.pilots) < 0:
            raise ValueError("Counts of firms, programmes and pilots cannot be negative.")
        if self.firm_reference <= 0:
            raise ValueError("The firm reference (median firms per technology) must be positive.")

    @property
    def index(self) -> float:
        firm_term = self.firms / (self.firms + self.firm_reference)
        programme_term = self.open_programmes / (self.open_programmes + 1)
        pilot_term = self.pilots / (self.pilots + 1)
        return FIRM_WEIGHT * firm_term + PROGRAMME_WEIGHT * programme_term + PILOT_WEIGHT * pilot_term


def firm_reference(firm_counts: Iterable[int]) -> float:
    """The median number of firms per technology, at least 1 (so an empty registry still works)."""
    counts = list(firm_counts)
    return max(1.0, float(median(counts))) if counts else 1.0


def rising_strength(emergence_score: float, significant: bool) -> float:
    return max(0.0, emergence_score) if significant else 0.0


def gap_score(emergence_score: float, significant: bool, capacity: Capacity) -> float:
    return rising_strength(emergence_score, significant) * (1.0 - capacity.index)


@dataclass(frozen=True)
class GapRow:
    key: str
    rising: float
    capacity: float
    gap: float


def rank_gaps(rows: Iterable[tuple[str, float, bool, Capacity]]) -> list[GapRow]:
    """(key, emergence score, significant, capacity) -> rows by gap, then rising, then key."""
    ranked = []
    for key, score, significant, capacity in rows:
        ranked.append(
            GapRow(
                key,
                round(rising_strength(score, significant), 4),
                round(capacity.index, 4),
                round(gap_score(score, significant, capacity), 4),
            )
        )
    ranked.sort(key=lambda row: (-row.gap, -row.rising, row.key))
    return ranked


# --- co-occurrence -----------------------------------------------------------------------------


def ordered_pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass
class Cooccurrence:
    """Counts of items, of each technology and of each unordered pair; `add` is incremental and
    `add(..., weight=-1)` removes an item counted before."""

    items: int = 0
    singles: Counter = field(default_factory=Counter)
    pairs: Counter = field(default_factory=Counter)

    def add(self, technologies: Iterable[str], weight: int = 1) -> None:
        unique = sorted(set(technologies))
        self.items += weight
        for tech in unique:
            self.singles[tech] += weight
        for pair in combinations(unique, 2):
            self.pairs[pair] += weight
        # Keep the counters free of zeros so removals leave exactly the state before the add.
        for key in [k for k in unique if self.singles[k] == 0]:
            del self.singles[key]
        for pair in [p for p in combinations(unique, 2) if self.pairs[p] == 0]:
            del self.pairs[pair]

    @classmethod
    def of(cls, item_sets: Iterable[Iterable[str]]) -> "Cooccurrence":
        counts = cls()
        for technologies in item_sets:
            counts.add(technologies)
        return counts

    def npmi(self, a: str, b: str) -> float:
        return npmi(self.pairs.get(ordered_pair(a, b), 0), self.singles.get(a, 0), self.singles.get(b, 0), self.items)


def npmi(pair_count: int, count_a: int, count_b: int, items: int) -> float:
    """Normalised PMI of two technologies over `items` items; -1 when they never co-occur."""
    if (
        min(pair_count, count_a, count_b, items) < 0
        or pair_count > min(count_a, count_b)
        or max(count_a, count_b) > items
    ):
        raise ValueError(f"Inconsistent counts: pair {pair_count}, a {count_a}, b {count_b}, items {items}.")
    if pair_count == 0 or items == 0:
        return -1.0
    p_ab = pair_count / items
    if p_ab == 1.0:
        return 1.0
    pmi = math.log(p_ab / ((count_a / items) * (count_b / items)))
    return max(-1.0, min(1.0, pmi / -math.log(p_ab)))


@dataclass(frozen=True)
class Related:
    key: str
    together: int
    npmi: float


def related(
    tech: str,
    pairs: Mapping[tuple[str, str], int],
    singles: Mapping[str, int],
    items: int,
    *,
    min_count: int = DEFAULT_MIN_PAIR_COUNT,
    limit: int | None = 10,
) -> list[Related]:
    """Technologies that appear with `tech` at least `min_count` times and more than chance
    (NPMI > 0), strongest association first."""
    found = []
    for (a, b), together in pairs.items():
        if tech not in (a, b) or together < min_count:
            continue
        other = b if a == tech else a
        score = npmi(together, singles.get(a, 0), singles.get(b, 0), items)
        if score > 0:
            found.append(Related(other, together, round(score, 4)))
    found.sort(key=lambda r: (-r.npmi, -r.together, r.key))
    return found[:limit] if limit else found


# --- adjacency and opportunities ---------------------------------------------------------------


@dataclass(frozen=True)
class Adjacent:
    key: str
    adjacency: float
    via: str  # the firm's technology it is adjacent to
    reason: str  # "articles" | "pilots" | "taxonomy"


def adjacent_technologies(
    own: Iterable[str],
    associations: Mapping[tuple[str, str], tuple[float, str]],
    taxonomy_parent: Mapping[str, str | None],
) -> dict[str, Adjacent]:
    """Technologies not in `own`, each with its strongest link to a member of `own`.

    `associations` maps ordered pairs to (NPMI, where it was seen); only positive ones count.
    `taxonomy_parent` maps each technology to its parent (None at the top)."""
    own_set = set(own)
    best: dict[str, Adjacent] = {}

    def offer(candidate: str, weight: float, via: str, reason: str) -> None:
        if candidate in own_set or weight <= 0:
            return
        current = best.get(candidate)
        if current is None or (weight, reason != "taxonomy") > (current.adjacency, current.reason != "taxonomy"):
            best[candidate] = Adjacent(candidate, round(weight, 4), via, reason)

    for (a, b), (score, reason) in associations.items():
        if a in own_set:
            offer(b, score, a, reason)
        if b in own_set:
            offer(a, score, b, reason)
    children: dict[str, list[str]] = {}
    for tech, parent in taxonomy_parent.items():
        if parent:
            children.setdefault(parent, []).append(tech)
    for tech in own_set:
        parent = taxonomy_parent.get(tech)
        neighbours = list(children.get(tech, []))
        if parent:
            neighbours.append(parent)
            neighbours.extend(children.get(parent, []))
        for neighbour in neighbours:
            if neighbour not in best:
                offer(neighbour, TAXONOMY_ADJACENCY, tech, "taxonomy")
    return best


@dataclass(frozen=True)
class Opportunity:
    key: str
    score: float
    adjacency: float
    rising: float
    via: str
    reason: str


def rising_opportunities(
    adjacent: Mapping[str, Adjacent], rising: Mapping[str, float], limit: int | None = 10
) -> list[Opportunity]:
    """Adjacent technologies that are rising, ranked by adjacency x rising strength."""
    found = []
    for key, link in adjacent.items():
        strength = rising.get(key, 0.0)
        if strength > 0:
            found.append(
                Opportunity(key, round(link.adjacency * strength, 4), link.adjacency, strength, link.via, link.reason)
            )
    found.sort(key=lambda o: (-o.score, o.key))
    return found[:limit] if limit else found


@dataclass(frozen=True)
class Partner:
    key: object
    covers: tuple[str, ...]
    coverage: float
    overlap: int


def complementary_partners(
    own: Iterable[str],
    wanted: Mapping[str, float],
    candidates: Iterable[tuple[object, Iterable[str]]],
    limit: int | None = 10,
) -> list[Partner]:
    """Candidates ranked by the summed weight of wanted technologies they bring that the firm
    lacks; ties go to the candidate overlapping least with the firm (a partner, not a rival)."""
    own_set = set(own)
    missing = {tech: weight for tech, weight in wanted.items() if tech not in own_set and weight > 0}
    found = []
    for key, technologies in candidates:
        tech_set = set(technologies)
        covers = tuple(sorted(t for t in tech_set if t in missing))
        if not covers:
            continue
        coverage = round(sum(missing[t] for t in covers), 4)
        found.append(Partner(key, covers, coverage, len(tech_set & own_set)))
    found.sort(key=lambda p: (-p.coverage, p.overlap, str(p.key)))
    return found[:limit] if limit else found
