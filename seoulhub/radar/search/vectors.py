"""Exact cosine-similarity index over L2-normalised embeddings (the multilingual USE vectors).

The embedding carries meaning across languages: "인공지능 반도체" lands near English papers on
AI accelerators although they share no token. Vectors are kept in one float32 matrix that grows
by appending (new articles are added, nothing is recomputed); removal marks rows dead and a
later `compact()` drops them. Search is one matrix-vector product and a partial sort.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterable

import numpy as np

DIMENSIONS = 512
# Above this many vectors the exact index costs more than the IVF index (measured: 100,000
# vectors, exact p95 80 ms vs. IVF at 1,000,000 p95 20 ms on the loaded 2-core machine).
IVF_THRESHOLD = 50_000
# The IVF index probes enough lists to scan about this many vectors per query, in
# REDUCED_DIMENSIONS, and scores the best RERANK of them exactly, or the best k when more than
# RERANK results are asked for (docs/decisions-search.md 5, 13, 15).
SCAN_TARGET = 32_000
REDUCED_DIMENSIONS = 128
RERANK = 300


@functools.cache
def _blas_controller():
    """threadpoolctl's view of the BLAS libraries loaded (numpy's, imported above), found once: a
    bare threadpool_limits() reads /proc/self/maps again on every call, which in a web process
    cost 1.4 ms of each vector search (docs/decisions-search.md section 13)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # still correct, only slower
        return None
    return ThreadpoolController()


def _single_blas_thread():
    """A context limiting BLAS to one thread. Per-query products are small; a multi-threaded
    OpenBLAS spin-waits for its helper threads, which on a busy 2-core machine made a 20,000 x 512
    product take 20 ms instead of 2 (docs/decisions-search.md)."""
    controller = _blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


def vector_from_bytes(blob: bytes | memoryview | None, dtype: str = "<f2") -> np.ndarray | None:
    """Decode a stored embedding (the Article model keeps 512 little-endian float16 values)."""
    if not blob:
        return None
    vector = np.frombuffer(bytes(blob), dtype=np.dtype(dtype)).astype(np.float32)
    return vector if vector.shape == (DIMENSIONS,) else None


class VectorIndex:
    def __init__(self, dimensions: int = DIMENSIONS):
        self.dimensions = dimensions
        self._matrix = np.zeros((0, dimensions), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._size = 0
        self._row_of: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, doc_id: int) -> bool:
        return int(doc_id) in self._row_of

    @property
    def max_id(self) -> int:
        return int(self._ids[: self._size].max()) if self._size else 0

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        ids = np.asarray(list(ids), dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), self.dimensions)
        for doc_id in ids:
            if int(doc_id) in self._row_of:
                self.remove([int(doc_id)])
        needed = self._size + len(ids)
        if needed > len(self._matrix):
            capacity = max(needed, int(len(self._matrix) * 1.5) + 1024)
            self._matrix = np.resize(self._matrix, (capacity, self.dimensions))
            self._ids = np.resize(self._ids, capacity)
            self._alive = np.resize(self._alive, capacity)
        rows = slice(self._size, needed)
        self._matrix[rows] = vectors
        self._ids[rows] = ids
        self._alive[rows] = True
        for offset, doc_id in enumerate(ids):
            self._row_of[int(doc_id)] = self._size + offset
        self._size = needed

    def remove(self, ids: Iterable[int]) -> None:
        for doc_id in ids:
            row = self._row_of.pop(int(doc_id), None)
            if row is not None:
                self._alive[row] = False

    def compact(self) -> None:
        keep = np.flatnonzero(self._alive[: self._size])
        self._matrix, self._ids = self._matrix[keep].copy(), self._ids[keep].copy()
        self._alive = np.ones(len(keep), dtype=bool)
        self._size = len(keep)
        self._row_of = {int(doc_id): row for row, doc_id in enumerate(self._ids)}

    def search(self, query: np.ndarray, k: int, min_similarity: float = -1.0,
               allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """[(id, cosine)] for the k most similar live vectors, best first."""
        if self._size == 0 or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(self.dimensions)
        with _single_blas_thread():
            similarities = self._matrix[: self._size] @ query
        similarities[~self._alive[: self._size]] = -np.inf
        if allowed is not None:
            mask = np.isin(self._ids[: self._size], np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
            similarities[~mask] = -np.inf
        take = min(k, self._size)
        top = np.argpartition(-similarities, take - 1)[:take]
        top = top[np.argsort(-similarities[top], kind="stable")]
        top = top[(similarities[top] >= min_similarity) & np.isfinite(similarities[top])]
        return list(zip(self._ids[top].tolist(), similarities[top].tolist()))


class IvfVectorIndex:
    """Approximate index for large collections: an inverted file over spherical k-means lists,
    scanned in a reduced space and re-ranked exactly.

    Vectors are grouped by their nearest centroid; a query reads only the lists whose centroids
    are closest to it, as many as needed to cover about SCAN_TARGET vectors (at least 16). Each
    list keeps its vectors twice: projected on the sample's REDUCED_DIMENSIONS principal
    components (float32), which the scan reads, and whole (float16, the precision the articles
    store), from which the best RERANK of the scan are scored exactly. At 1,000,000 vectors and
    1,024 lists that is 33 lists; against reading 16 lists whole, the same recall for less CPU
    and less memory (docs/decisions-search.md section 13). New vectors join their nearest list:
    no retraining.
    """

    def __init__(self, centroids: np.ndarray, mean: np.ndarray, projection: np.ndarray,
                 n_probe: int | None = None, rerank: int = RERANK):
        self.centroids = np.asarray(centroids, dtype=np.float32)
        self.dimensions = self.centroids.shape[1]
        self.mean = np.asarray(mean, np.float32)
        self.projection = np.asarray(projection, np.float32)  # dimensions x reduced
        self.n_probe, self.rerank = n_probe, rerank
        reduced = self.projection.shape[1]
        self._reduced: list[np.ndarray] = [np.zeros((0, reduced), np.float32) for _ in self.centroids]
        self._vectors: list[np.ndarray] = [np.zeros((0, self.dimensions), np.float16) for _ in self.centroids]
        self._ids: list[np.ndarray] = [np.zeros(0, np.int64) for _ in self.centroids]
        self._size = 0
        self._known: set[int] = set()

    def __len__(self) -> int:
        return self._size

    def __contains__(self, doc_id: int) -> bool:
        return int(doc_id) in self._known

    @classmethod
    def train(cls, sample: np.ndarray, n_lists: int = 1024, iterations: int = 8, seed: int = 0,
              reduced_dimensions: int = REDUCED_DIMENSIONS, **options) -> IvfVectorIndex:
        sample = np.asarray(sample, dtype=np.float32)
        rng = np.random.default_rng(seed)
        n_lists = min(n_lists, len(sample))
        centroids = sample[rng.choice(len(sample), n_lists, replace=False)].copy()
        for _ in range(iterations):
            assignment = cls._nearest(centroids, sample)
            sums = np.zeros_like(centroids)
            np.add.at(sums, assignment, sample)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            empty = norms[:, 0] == 0
            centroids = np.where(empty[:, None], centroids, sums / np.maximum(norms, 1e-12))
        mean, projection = cls._principal_components(sample, reduced_dimensions)
        return cls(centroids, mean, projection, **options)

    @staticmethod
    def _principal_components(sample: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The sample's mean and its `count` principal directions as columns (dimensions x count).
        q . x = q . mean + q . (x - mean): the first term is the same for every x, so ranking by
        (P q) . (P (x - mean)) approximates ranking by q . x."""
        mean = sample.mean(axis=0)
        centred = sample - mean
        covariance = (centred.T @ centred).astype(np.float64)
        _, directions = np.linalg.eigh(covariance)  # ascending eigenvalues
        count = max(1, min(count, sample.shape[1], len(sample)))
        return mean.astype(np.float32), np.ascontiguousarray(directions[:, ::-1][:, :count], dtype=np.float32)

    @staticmethod
    def _nearest(centroids: np.ndarray, vectors: np.ndarray, chunk: int = 65_536) -> np.ndarray:
        return np.concatenate([np.argmax(vectors[i:i + chunk] @ centroids.T, axis=1)
                               for i in range(0, len(vectors), chunk)]) if len(vectors) else np.zeros(0, np.int64)

    def add(self, ids, vectors: np.ndarray) -> None:
        ids = np.asarray(list(ids), dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), self.dimensions)
        assignment = self._nearest(self.centroids, vectors)
        reduced = (vectors - self.mean) @ self.projection
        order = np.argsort(assignment, kind="stable")
        lists, starts = np.unique(assignment[order], return_index=True)
        bounds = list(starts[1:]) + [len(order)]
        for list_no, start, end in zip(lists, starts, bounds):
            rows = order[start:end]
            self._reduced[list_no] = np.concatenate([self._reduced[list_no], reduced[rows]])
            self._vectors[list_no] = np.concatenate([self._vectors[list_no], vectors[rows].astype(np.float16)])
            self._ids[list_no] = np.concatenate([self._ids[list_no], ids[rows]])
        self._size += len(ids)
        self._known.update(int(d) for d in ids)

    def candidates(self, k: int) -> int:
        """How many of the scan's best are scored exactly for k results. A results page asks for
        1,000 neighbours (its ranking's depth): re-scoring three times that cost 7-8 ms a query at
        1M vectors for a recall@100 of 0.862; k of them costs 4-4.5 ms for 0.851, and still more
        than the RERANK a short list gets (docs/decisions-search.md 15)."""
        return max(self.rerank, k)

    def search(self, query: np.ndarray, k: int, min_similarity: float = -1.0,
               allowed: set[int] | None = None) -> list[tuple[int, float]]:
        if self._size == 0 or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(self.dimensions)
        n_probe = self.n_probe or max(16, math.ceil(SCAN_TARGET * len(self.centroids) / self._size))
        n_probe = min(n_probe, len(self.centroids))
        with _single_blas_thread():
            probes = np.argpartition(-(self.centroids @ query), n_probe - 1)[:n_probe]
            probes = [int(p) for p in probes if len(self._ids[p])]
            if not probes:
                return []
            reduced_query = query @ self.projection
            coarse = np.concatenate([self._reduced[p] @ reduced_query for p in probes])
            ids = np.concatenate([self._ids[p] for p in probes])
            positions = np.arange(len(ids))
            if allowed is not None:
                keep = np.isin(ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
                positions, coarse = positions[keep], coarse[keep]
            take = min(self.candidates(k), len(positions))
            if take == 0:
                return []
            best = np.sort(positions[np.argpartition(-coarse, take - 1)[:take]])
            # Read the whole vectors of the best, list by list (positions run through the probed
            # lists in order).
            starts = np.cumsum([0] + [len(self._ids[p]) for p in probes])
            cuts = np.searchsorted(best, starts)
            whole = np.concatenate([self._vectors[p][best[cuts[j]:cuts[j + 1]] - starts[j]]
                                    for j, p in enumerate(probes) if cuts[j + 1] > cuts[j]])
            similarities = whole.astype(np.float32) @ query
        take = min(k, len(best))
        top = np.argpartition(-similarities, take - 1)[:take]
        top = top[np.argsort(-similarities[top], kind="stable")]
        top = top[similarities[top] >= min_similarity]
        # One conversion of each array: a Python loop indexing numpy scalars cost ~0.8 ms for
        # a 1,000-deep list.
        return list(zip(ids[best[top]].tolist(), similarities[top].tolist()))
