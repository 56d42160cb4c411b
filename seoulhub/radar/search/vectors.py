"""Nearest articles by embedding (the multilingual USE vectors, L2-normalised, so inner product is
cosine similarity): a usearch HNSW index file, plus an exact search over what it does not hold yet.

The embedding carries meaning across languages: "인공지능 반도체" lands near English papers on
AI accelerators although they share no token. The index file (float16 vectors, docs/search.md)
is opened as a read-only view: the operating system maps it once for every process that opens
it, and a process picks up a replaced file at its next search. Articles embedded after the file
was written (ids above its largest) are searched exactly, from the `tail` the caller supplies,
until the file is written again with them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from usearch.index import Index

DIMENSIONS = 512
# Candidates the graph walk keeps: recall@10 against exact search 0.96+ at 1,000,000 vectors
# (docs/quality.md, radar search).
EXPANSION_SEARCH = 128
CONNECTIVITY = 16
EXPANSION_ADD = 128

Tail = Callable[[int], tuple[np.ndarray, np.ndarray]]  # (ids, vectors) of articles with id > n


def new_index() -> Index:
    return Index(ndim=DIMENSIONS, metric="ip", dtype="f16", connectivity=CONNECTIVITY,
                 expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)


def exact_nearest(ids: np.ndarray, vectors: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """[(id, cosine)] of the k most similar rows, best first."""
    if not len(ids) or k <= 0:
        return []
    similarities = np.asarray(vectors, np.float32) @ query
    top = np.argsort(-similarities, kind="stable")[:k]
    return list(zip(np.asarray(ids)[top].tolist(), similarities[top].tolist()))


class VectorIndex:
    """Searches the index file at `path` (when there is one) and the exact `tail`."""

    def __init__(self, path: Path | str | None, tail: Tail | None = None):
        self.path = Path(path) if path else None
        self.tail = tail
        self._lock = threading.Lock()
        self._opened: tuple | None = None  # (file identity, index, largest id)

    def _file(self) -> tuple[Index | None, int]:
        """The index file's view and its largest id, reopened when the file was replaced."""
        try:
            stat = os.stat(self.path) if self.path else None
        except FileNotFoundError:
            stat = None
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size) if stat else None
        opened = self._opened
        if opened is None or opened[0] != identity:
            with self._lock:
                index = Index.restore(str(self.path), view=True) if identity else None
                largest = int(np.asarray(index.keys).max()) if index is not None and len(index) else 0
                if index is not None:
                    index.expansion_search = EXPANSION_SEARCH
                self._opened = opened = (identity, index, largest)
        return opened[1], opened[2]

    def largest(self) -> int:
        """The largest id the index file holds (0: no file)."""
        return self._file()[1]

    def snapshot(self) -> Snapshot:
        """The file and the tail as they are now: the tail is read here, in the calling thread
        (the one with the database connection), and searched wherever the snapshot goes."""
        index, largest = self._file()
        tail = self.tail(largest) if self.tail else (np.zeros(0, np.int64), np.zeros((0, DIMENSIONS), np.float32))
        return Snapshot(index, largest, *tail)

    def search(self, query: np.ndarray, k: int, min_similarity: float = -1.0) -> list[tuple[int, float]]:
        return self.snapshot().search(query, k, min_similarity)


class Snapshot:
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


def write_index(path: Path | str, batches: Iterable[tuple[np.ndarray, np.ndarray]], start_from: Path | None = None) -> int:
    """Write an index file of the (ids, vectors) batches, added to a copy of `start_from` when
    given; replaces `path` atomically (processes searching the old file keep it until they
    reopen). Returns how many vectors the file holds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    index = Index.restore(str(start_from)) if start_from and Path(start_from).exists() else new_index()
    index.expansion_add = EXPANSION_ADD
    for ids, vectors in batches:
        ids = np.asarray(ids, np.uint64)
        fresh = ~np.array([index.contains(int(i)) for i in ids], bool) if len(index) else np.ones(len(ids), bool)
        if fresh.any():
            index.add(ids[fresh], np.asarray(vectors, np.float32)[fresh], threads=os.cpu_count() or 1)
    partial = path.with_name(path.name + f".{os.getpid()}.part")
    index.save(str(partial))
    os.replace(partial, path)
    return len(index)
