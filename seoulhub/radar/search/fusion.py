"""Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = sum over lists of 1 / (k + rank).

Ranks, not scores, are fused, so BM25 values and cosine similarities need no calibration
against each other. k = 60 is the value of the original paper.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

RRF_K = 60


def reciprocal_rank_fusion(rankings: Iterable[Sequence[int]], k: int = RRF_K,
                           weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids (best first) into [(id, score)], best first; ties by id."""
    scores: dict[int, float] = {}
    for index, ranking in enumerate(rankings):
        weight = weights[index] if weights is not None else 1.0
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
