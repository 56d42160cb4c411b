"""Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = sum over lists of 1 / (k + rank).
Ranks, not scores, are fused: BM25 values and cosines need no calibration. k = 60 as in the paper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Iterable[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids (best first) into [(id, score)], best first; ties by id. The sums
    are added in list order, so the scores are the same floats as the definition's loop gives."""
    ids, contributions = [], []
    for index, ranking in enumerate(rankings):
        weight = weights[index] if weights is not None else 1.0
        ids.append(np.asarray(ranking, dtype=np.int64).reshape(-1))
        contributions.append(weight / (k + np.arange(1, len(ids[-1]) + 1, dtype=np.float64)))
    if not ids:
        return []
    distinct, position = np.unique(np.concatenate(ids), return_inverse=True)
    scores = np.bincount(position, weights=np.concatenate(contributions), minlength=len(distinct))
    order = np.lexsort((distinct, -scores))
    return list(zip(distinct[order].tolist(), scores[order].tolist()))
