"""Nearest articles by embedding (multilingual USE vectors, L2-normalised: inner product is cosine
similarity): a usearch HNSW index file, plus an exact search over what the file does not hold yet.

The embedding carries meaning across languages ("인공지능 반도체" lands near English papers on AI
accelerators). The file (float16 vectors) is opened as a read-only view, mapped once for every
process, and a replaced file is picked up at the next search. Articles with ids above the file's
largest are searched exactly, from the caller's `tail`, until the file is written again.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from usearch.index import Index

DIMENSIONS = 512
# Candidates the graph walk keeps (at least k): recall@10 against exact search 0.935 at 1,000,000
# vectors for a results page's 1,000 neighbours (docs/quality.md, radar search).
EXPANSION_SEARCH = 128

Tail = Callable[[int], tuple[np.ndarray, np.ndarray]]  # (ids, vectors) of articles with id > n


def exact_nearest(ids: np.ndarray, vectors: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """[(id, cosine)] of the k most similar rows, best first."""
    similarities = np.asarray(vectors, np.float32) @ query
    top = np.argsort(-similarities, kind="stable")[: max(k, 0)]
    return list(zip(np.asarray(ids)[top].tolist(), similarities[top].tolist()))


class Snapshot:
    """The index file and the tail as they were when taken."""

    def __init__(self, index: Index | None, largest: int, tail_ids: np.ndarray, tail_vectors: np.ndarray):
        self.index, self.largest, self.tail_ids, self.tail_vectors = index, largest, tail_ids, tail_vectors

    def __len__(self) -> int:
        return (len(self.index) if self.index is not None else 0) + len(self.tail_ids)

    def search(self, query: np.ndarray, k: int, min_similarity: float = -1.0) -> list[tuple[int, float]]:
        """[(id, cosine)] for the k most similar articles, best first."""
        query = np.asarray(query, np.float32).reshape(DIMENSIONS)
        hits: list[tuple[int, float]] = []
        if self.index is not None and len(self.index) and k > 0:
            found = self.index.search(query, k, threads=1)
            hits = list(zip(found.keys.tolist(), (1.0 - found.distances).tolist()))
        if len(self.tail_ids):
            hits = sorted(hits + exact_nearest(self.tail_ids, self.tail_vectors, query, k), key=lambda hit: -hit[1])
        return [(int(i), float(s)) for i, s in hits[:k] if s >= min_similarity]


class VectorIndex:
    """The index file at `path` (if there is one) and the exact `tail`."""

    def __init__(self, path: Path | str | None, tail: Tail | None = None):
        self.path = Path(path) if path else None
        self.tail = tail
        self._lock = threading.Lock()
        self._opened: tuple = (None, None, 0)  # (file identity, view, largest id)

    def _file(self) -> tuple[Index | None, int]:
        """The file's view and its largest id, reopened when the file was replaced."""
        try:
            stat = os.stat(self.path) if self.path else None
        except FileNotFoundError:
            stat = None
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size) if stat else None
        if self._opened[0] != identity:
            with self._lock:
                view = Index.restore(str(self.path), view=True) if identity else None
                if view is not None:
                    view.expansion_search = EXPANSION_SEARCH
                largest = int(np.asarray(view.keys).max()) if view is not None and len(view) else 0
                self._opened = (identity, view, largest)
        return self._opened[1], self._opened[2]

    def largest(self) -> int:
        """The largest id the file holds (0: no file)."""
        return self._file()[1]

    def snapshot(self) -> Snapshot:
        """Reads the tail here, in the calling thread (the one with the database connection)."""
        index, largest = self._file()
        tail = self.tail(largest) if self.tail else (np.zeros(0, np.int64), np.zeros((0, DIMENSIONS), np.float32))
        return Snapshot(index, largest, *tail)

    def search(self, query: np.ndarray, k: int, min_similarity: float = -1.0) -> list[tuple[int, float]]:
        return self.snapshot().search(query, k, min_similarity)


def write_index(
    path: Path | str, batches: Iterable[tuple[np.ndarray, np.ndarray]], start_from: Path | None = None
) -> int:
    """Write an index file of the (ids, vectors) batches, added to a copy of `start_from` if given,
    replacing `path` whole (a process keeps the old file it maps until it reopens). Returns how
    many vectors the file holds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if start_from and Path(start_from).exists():
        index = Index.restore(str(start_from))
    else:
        index = Index(ndim=DIMENSIONS, metric="ip", dtype="f16", connectivity=16, expansion_add=64)
    for ids, vectors in batches:
        fresh = [n for n, doc_id in enumerate(ids) if not index.contains(int(doc_id))]
        if fresh:
            index.add(
                np.asarray(ids, np.uint64)[fresh], np.asarray(vectors, np.float32)[fresh], threads=os.cpu_count() or 1
            )
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    index.save(str(partial))
    os.replace(partial, path)
    return len(index)
