"""Consortium proposer: exact branch and bound against greedy.

Two parts:
- synthetic: random instances (|required| x candidate firms), exact k=3 and greedy timings,
  greedy cost / optimum (mean, worst) against the stated H(d) bound, exact search nodes;
- real (needs the database with the support demo loaded): every 2- and 3-technology combination
  of the 12 technologies most tagged on KRX firms, solved from the real firm profiles as a demand
  page does (`propose_consortia`, k=3), with timing and the greedy/optimum ratio on real data.

    seoulhub bench consortium [--instances 30] [--seed 1] [--no-db]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time

from seoulhub.matching.consortium import FirmProfile, firm_cost, propose_consortia
from seoulhub.matching.setcover import exact_covers, greedy_cover


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def synthetic(instances: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for universe_size, candidates in itertools.product([3, 5, 8, 12], [20, 50, 150, 400]):
        techs = [f"t{i}" for i in range(universe_size)]
        exact_times, greedy_times, ratios, nodes, incomplete = [], [], [], [], 0
        default_times, default_ratios, default_methods = [], [], {}
        for _ in range(instances):
            firms = [
                FirmProfile(
                    i,
                    f"f{i}",
                    frozenset(rng.sample(techs, rng.randint(1, min(3, universe_size)))),
                    references=(frozenset(rng.sample(techs, 1)),) if rng.random() < 0.3 else (),
                )
                for i in range(candidates)
            ]
            need = frozenset(techs)
            sets = {f.id: f.technologies for f in firms}
            costs = {f.id: firm_cost(f, need) for f in firms}
            start = time.perf_counter()
            plan = propose_consortia(need, firms, k=3, exact_max_candidates=10**9, node_limit=10**7)
            exact_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            default = propose_consortia(need, firms, k=3)  # what a demand page runs
            default_times.append(time.perf_counter() - start)
            default_methods[default.method] = default_methods.get(default.method, 0) + 1
            default_ratios.append(default.consortia[0].cost / plan.consortia[0].cost)
            start = time.perf_counter()
            greedy = greedy_cover(need, sets, costs)
            greedy_times.append(time.perf_counter() - start)
            optimum = exact_covers(need, sets, costs, k=1)
            nodes.append(optimum.nodes)
            incomplete += not plan.complete
            ratios.append(greedy.best.cost / optimum.best.cost)
            bound = greedy.ratio_bound
        rows.append(
            {
                "required": universe_size,
                "candidates": candidates,
                "instances": instances,
                "exact_k3_ms_median": _ms(statistics.median(exact_times)),
                "exact_k3_ms_p95": _ms(_p95(exact_times)),
                "greedy_ms_median": _ms(statistics.median(greedy_times)),
                "page_default_ms_median": _ms(statistics.median(default_times)),
                "page_default_ms_p95": _ms(_p95(default_times)),
                "page_default_methods": default_methods,
                "page_default_over_optimum_worst": round(max(default_ratios), 4),
                "exact_k1_nodes_median": statistics.median(nodes),
                "exact_incomplete": incomplete,
                "greedy_over_optimum_mean": round(statistics.mean(ratios), 4),
                "greedy_over_optimum_worst": round(max(ratios), 4),
                "stated_bound_H_d": round(bound, 4),
            }
        )
    return rows


def real() -> dict:
    from django.db.models import Count

    from seoulhub.pilots.matchmaking import firm_profiles
    from seoulhub.taxonomy.models import Technology

    start = time.perf_counter()
    profiles = firm_profiles()
    load_ms = _ms(time.perf_counter() - start)
    if not profiles:
        return {"skipped": "no tagged firms in the database; run `seoulhub load-demo` first"}
    top = list(
        Technology.objects.annotate(n=Count("firms"))
        .filter(n__gt=0)
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[:12]
    )
    times, ratios, sizes, methods, gaps = [], [], [], {}, 0
    combos = [c for r in (2, 3) for c in itertools.combinations(top, r)]
    for combo in combos:
        need = frozenset(combo)
        start = time.perf_counter()
        plan = propose_consortia(need, profiles, k=3)
        times.append(time.perf_counter() - start)
        methods[plan.method] = methods.get(plan.method, 0) + 1
        gaps += bool(plan.uncoverable)
        if not plan.consortia:
            continue
        sizes.append(plan.consortia[0].size)
        greedy = propose_consortia(need, profiles, k=1, exact_max_candidates=0)
        ratios.append(greedy.consortia[0].cost / plan.consortia[0].cost)
    return {
        "firms_with_technologies": len(profiles),
        "profile_load_ms": load_ms,
        "technologies": top,
        "demands": len(combos),
        "methods": methods,
        "demands_with_uncoverable_technology": gaps,
        "propose_k3_ms_median": _ms(statistics.median(times)),
        "propose_k3_ms_p95": _ms(_p95(times)),
        "consortium_size_distribution": {str(s): sizes.count(s) for s in sorted(set(sizes))},
        "greedy_over_optimum_mean": round(statistics.mean(ratios), 4) if ratios else None,
        "greedy_over_optimum_worst": round(max(ratios), 4) if ratios else None,
        "greedy_worse_than_optimum": sum(1 for r in ratios if r > 1 + 1e-9),
    }


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="seoulhub bench consortium")
    parser.add_argument("--instances", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-db", action="store_true")
    args = parser.parse_args(argv)
    result = {"synthetic": synthetic(args.instances, args.seed)}
    if not args.no_db:
        result["real"] = real()
    return result
