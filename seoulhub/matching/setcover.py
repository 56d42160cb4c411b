"""Weighted set cover: choose candidates (e.g. firms) whose sets (e.g. technologies) together
cover a universe (e.g. the technologies a demand requires) at the least total cost.

Two solvers share one result type:

- `exact_covers` — branch and bound: always branch on the uncovered element with the fewest
  candidates, prune with a lower bound (every uncovered element costs at least the cheapest
  cost-per-new-element any candidate offers). Returns the k cheapest *irredundant* covers
  (no member can be dropped), so "the smallest sets" and their close alternatives are both shown.
  Exponential in the worst case; `node_limit` caps the work and the result says if it was hit.
- `greedy_cover` — Chvátal's greedy: repeatedly take the candidate with the least cost per
  newly covered element. Its cost is at most H(d) <= ln(d) + 1 times the optimum, where d is the
  largest number of universe elements any one candidate covers (H = harmonic number); the result
  carries that bound.

`solve` picks exact when the input is small, greedy otherwise.
Elements that no candidate covers are reported as `uncoverable`, and the cover is then a cover of
the rest (a partial answer with the gap named beats no answer).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

EXACT_MAX_CANDIDATES = 40  # beyond this `solve` uses greedy; measured in bench/consortium.py
DEFAULT_NODE_LIMIT = 200_000


class SetCoverError(ValueError):
    """Bad input, with a message a person can act on."""


@dataclass(frozen=True)
class Cover:
    members: tuple[Hashable, ...]  # candidate keys, in the order chosen
    cost: float


@dataclass
class CoverResult:
    covers: list[Cover]
    method: str  # "exact" or "greedy"
    uncoverable: frozenset = frozenset()
    # For greedy: cost(greedy) <= ratio_bound * cost(optimum). 1.0 for exact (when complete).
    ratio_bound: float = 1.0
    complete: bool = True  # False when the exact search stopped at node_limit
    nodes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> Cover | None:
        return self.covers[0] if self.covers else None


def harmonic(n: int) -> float:
    return sum(1.0 / i for i in range(1, n + 1))


def _normalise(
    universe: Iterable[Hashable], sets: Mapping[Hashable, Iterable[Hashable]], costs: Mapping[Hashable, float] | None
) -> tuple[frozenset, dict, dict, frozenset]:
    target = frozenset(universe)
    useful: dict[Hashable, frozenset] = {}
    weights: dict[Hashable, float] = {}
    for key, members in sets.items():
        cost = 1.0 if costs is None else costs.get(key, None)
        if cost is None:
            raise SetCoverError(f"no cost given for candidate {key!r}")
        if not isinstance(cost, (int, float)) or math.isnan(cost) or cost <= 0 or math.isinf(cost):
            raise SetCoverError(f"cost of candidate {key!r} must be a positive finite number, got {cost!r}")
        covered = frozenset(members) & target
        if covered:  # a candidate that covers nothing required can never be in an irredundant cover
            useful[key] = covered
            weights[key] = float(cost)
    reachable = frozenset().union(*useful.values()) if useful else frozenset()
    return target & reachable, useful, weights, target - reachable


def greedy_cover(
    universe: Iterable[Hashable],
    sets: Mapping[Hashable, Iterable[Hashable]],
    costs: Mapping[Hashable, float] | None = None,
) -> CoverResult:
    target, useful, weights, uncoverable = _normalise(universe, sets, costs)
    uncovered = set(target)
    chosen: list[Hashable] = []
    total = 0.0
    while uncovered:
        # Ties broken by key order so the answer is deterministic.
        key = min(
            useful,
            key=lambda k: (weights[k] / len(useful[k] & uncovered) if useful[k] & uncovered else math.inf, str(k)),
        )
        chosen.append(key)
        total += weights[key]
        uncovered -= useful[key]
    largest = max((len(s) for s in useful.values()), default=0)
    cover = [Cover(tuple(chosen), total)] if target else [Cover((), 0.0)]
    return CoverResult(
        covers=cover,
        method="greedy",
        uncoverable=uncoverable,
        ratio_bound=harmonic(largest) if largest else 1.0,
        notes=[f"greedy cost <= H({largest}) = {harmonic(largest):.3f} x optimum (<= ln({largest}) + 1)"]
        if largest
        else [],
    )


def _irredundant(members: tuple, useful: dict, weights: dict, target: frozenset) -> tuple:
    """Drop members whose elements the others already cover, most expensive first."""
    kept = list(members)
    for candidate in sorted(members, key=lambda m: (-weights[m], str(m))):
        rest = [m for m in kept if m != candidate]
        if rest and target <= frozenset().union(*(useful[m] for m in rest)):
            kept = rest
    return tuple(kept)


def exact_covers(
    universe: Iterable[Hashable],
    sets: Mapping[Hashable, Iterable[Hashable]],
    costs: Mapping[Hashable, float] | None = None,
    k: int = 1,
    max_members: int | None = None,
    node_limit: int = DEFAULT_NODE_LIMIT,
) -> CoverResult:
    """The k cheapest irredundant covers (cheapest first; ties by fewer members, then keys)."""
    if k < 1:
        raise SetCoverError("k must be at least 1")
    target, useful, weights, uncoverable = _normalise(universe, sets, costs)
    if not target:
        return CoverResult(covers=[Cover((), 0.0)], method="exact", uncoverable=uncoverable)
    # Bitmasks: one bit per element (in `uncovered`) and one per candidate (in `banned`), so the
    # per-node work is integer operations rather than set building (bench/consortium.py).
    elements = sorted(target, key=str)
    bit = {e: 1 << i for i, e in enumerate(elements)}
    keys = sorted(useful, key=lambda c: (weights[c] / len(useful[c]), str(c)))
    masks = [sum(bit[e] for e in useful[c]) for c in keys]
    costs_by_index = [weights[c] for c in keys]
    covering = [[i for i, m in enumerate(masks) if m & (1 << j)] for j in range(len(elements))]
    covering_mask = [sum(1 << i for i in options) for options in covering]

    found: dict[frozenset, Cover] = {}
    found_costs: list[float] = []
    nodes = 0
    complete = True

    def kth_best() -> float:
        return found_costs[k - 1] if len(found_costs) >= k else math.inf

    def lower_bound(uncovered: int, banned: int) -> float:
        # Every uncovered element costs at least the best cost per newly covered element.
        best_ratio = math.inf
        for i, mask in enumerate(masks):
            if not (banned >> i) & 1:
                gain = (mask & uncovered).bit_count()
                if gain and costs_by_index[i] / gain < best_ratio:
                    best_ratio = costs_by_index[i] / gain
        return best_ratio * uncovered.bit_count()

    def search(chosen: tuple, banned: int, uncovered: int, cost: float) -> None:
        nonlocal nodes, complete
        nodes += 1
        if nodes > node_limit:
            complete = False
            return
        if not uncovered:
            # A redundant cover is reduced rather than dropped, so the bound tightens at once.
            members = _irredundant(tuple(keys[i] for i in chosen), useful, weights, target)
            key = frozenset(members)
            if key not in found:
                total = round(sum(weights[m] for m in members), 9)
                found[key] = Cover(tuple(sorted(members, key=str)), total)
                bisect.insort(found_costs, total)
            return
        if max_members is not None and len(chosen) >= max_members:
            return
        # The element with the fewest remaining options: every cover must contain one of them.
        element = min(
            (j for j in range(len(elements)) if (uncovered >> j) & 1),
            key=lambda j: ((covering_mask[j] & ~banned).bit_count(), j),
        )
        options = [i for i in covering[element] if not (banned >> i) & 1]
        if not options or cost + lower_bound(uncovered, banned) >= kth_best() - 1e-9:
            return
        for i in options:
            search(chosen + (i,), banned, uncovered & ~masks[i], cost + costs_by_index[i])
            # Later branches exclude earlier options: each cover is enumerated once.
            banned |= 1 << i

    search((), 0, (1 << len(elements)) - 1, 0.0)
    ordered = sorted(found.values(), key=lambda c: (c.cost, len(c.members), [str(m) for m in c.members]))
    notes = [] if complete else [f"search stopped after {node_limit} nodes; covers may not be optimal"]
    return CoverResult(
        covers=ordered[:k],
        method="exact",
        uncoverable=uncoverable,
        complete=complete,
        nodes=nodes,
        ratio_bound=1.0 if complete else math.inf,
        notes=notes,
    )


def solve(
    universe: Iterable[Hashable],
    sets: Mapping[Hashable, Iterable[Hashable]],
    costs: Mapping[Hashable, float] | None = None,
    k: int = 1,
    max_members: int | None = None,
    exact_max_candidates: int = EXACT_MAX_CANDIDATES,
) -> CoverResult:
    """Exact when at most `exact_max_candidates` candidates cover something required, else greedy."""
    target = frozenset(universe)
    relevant = sum(1 for members in sets.values() if frozenset(members) & target)
    if relevant <= exact_max_candidates:
        result = exact_covers(target, sets, costs, k=k, max_members=max_members)
        if result.covers or max_members is not None:
            return result
    return greedy_cover(target, sets, costs)
