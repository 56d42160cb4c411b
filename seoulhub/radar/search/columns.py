"""Columns of article fields that search reads for every ranked id, as arrays indexed by id.

Framework-free: `ArticleColumns` holds, for each article id it knows, the story cluster, source,
language, publication month and technologies, and answers the two questions a results page
asks of up to 1,000 ranked ids: which ids stand for their story (one per cluster) and what the
facet counts are. The database side (what to load and when) is in `catalogue.py`.

Ids grow with ingestion, so new articles are appended at the end; the only change to a known
article is joining a story cluster, which is written in place.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

NO_MONTH = -1  # an article without a publication date


def month_code(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_label(code: int) -> str:
    return f"{code // 12:04d}-{code % 12 + 1:02d}"


@dataclass(frozen=True)
class ArticleRows:
    """A batch of articles to append, ids ascending. Languages are `language_names[i]` for each
    `i` in `language_index`. Technologies are (article id, technology id) pairs, sorted by article
    id (within an article, in the order they are to be listed)."""

    ids: np.ndarray
    clusters: np.ndarray  # 0: no cluster
    sources: np.ndarray
    language_names: Sequence[str]
    language_index: np.ndarray
    months: np.ndarray  # month_code in the site's time zone, or NO_MONTH
    tech_article_ids: np.ndarray
    tech_ids: np.ndarray

    @classmethod
    def of(cls, ids, clusters, sources, languages: Sequence[str], months, tech_article_ids, tech_ids) -> ArticleRows:
        """From one language string per article."""
        names = sorted(set(languages))
        position = {name: i for i, name in enumerate(names)}
        return cls(np.asarray(ids, np.int64), np.asarray(clusters, np.int64), np.asarray(sources, np.int64), names,
                   np.array([position[name] for name in languages], np.int64), np.asarray(months, np.int64),
                   np.asarray(tech_article_ids, np.int64), np.asarray(tech_ids, np.int64))


class ArticleColumns:
    """Append-only columns by article id; thread-safe for one writer and many readers."""

    def __init__(self, capacity: int = 1024):
        self._lock = threading.Lock()
        self.languages: list[str] = []
        self._language_code: dict[str, int] = {}
        self._size = 0  # one past the largest id held
        self._known = np.zeros(capacity, bool)
        self._cluster = np.zeros(capacity, np.int32)
        self._source = np.zeros(capacity, np.int32)
        self._language = np.zeros(capacity, np.uint8)
        self._month = np.full(capacity, NO_MONTH, np.int32)
        self._tech_start = np.zeros(capacity + 1, np.int64)  # technologies of id i: [start[i], start[i + 1])
        self._tech = np.zeros(0, np.int32)
        self.articles = 0

    @property
    def max_id(self) -> int:
        return self._size - 1 if self._size else 0

    def knows(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, np.int64)
        inside = (ids >= 0) & (ids < self._size)
        known = np.zeros(len(ids), bool)
        known[inside] = self._known[ids[inside]]
        return known

    def _grow(self, size: int) -> None:
        if size <= len(self._known):
            return
        capacity = max(size, int(len(self._known) * 1.5) + 1024)
        for name, fill in (("_known", False), ("_cluster", 0), ("_source", 0), ("_language", 0),
                           ("_month", NO_MONTH)):
            old = getattr(self, name)
            new = np.full(capacity, fill, old.dtype)
            new[:len(old)] = old
            setattr(self, name, new)
        start = np.empty(capacity + 1, np.int64)
        start[:len(self._tech_start)] = self._tech_start
        start[len(self._tech_start):] = self._tech_start[-1] if self._size == 0 else self._tech_start[self._size]
        self._tech_start = start

    def _codes(self, names: Sequence[str]) -> np.ndarray:
        """This object's code for each language name (new names get new codes)."""
        codes = []
        for name in names:
            code = self._language_code.get(name)
            if code is None:
                if len(self.languages) >= 255:
                    raise ValueError("more than 255 distinct article languages")
                code = self._language_code[name] = len(self.languages)
                self.languages.append(name)
            codes.append(code)
        return np.asarray(codes, np.uint8)

    def append(self, rows: ArticleRows) -> None:
        """Add articles whose ids are all above `max_id` (the caller loads them in id order)."""
        if not len(rows.ids):
            return
        ids = np.asarray(rows.ids, np.int64)
        if ids[0] < self._size or np.any(np.diff(ids) <= 0):
            raise ValueError("appended ids must be ascending and above the largest id held")
        with self._lock:
            top = int(ids[-1]) + 1
            self._grow(top)
            self._cluster[ids] = rows.clusters
            self._source[ids] = rows.sources
            self._language[ids] = self._codes(rows.language_names)[np.asarray(rows.language_index, np.int64)]
            self._month[ids] = rows.months
            # Technologies: counts per id in [size, top), appended to the flat array.
            tech_articles = np.asarray(rows.tech_article_ids, np.int64)
            keep = (tech_articles >= self._size) & (tech_articles < top)
            counts = np.bincount(tech_articles[keep] - self._size, minlength=top - self._size)
            base = self._tech_start[self._size]
            self._tech_start[self._size + 1:top + 1] = base + np.cumsum(counts)
            self._tech = np.concatenate([self._tech, np.asarray(rows.tech_ids, np.int32)[keep]])
            self._known[ids] = True  # last: a reader never sees a known id without its fields
            self.articles += len(ids)
            self._size = top

    def set_clusters(self, ids: Iterable[int], clusters: Iterable[int]) -> None:
        """Articles that joined a story cluster after they were loaded (unknown ids are skipped)."""
        ids = np.asarray(list(ids), np.int64)
        clusters = np.asarray(list(clusters), np.int64)
        known = self.knows(ids)
        self._cluster[ids[known]] = clusters[known]

    def collapse(self, ranked: Sequence[int], extra: dict[int, int | None] | None = None) -> list[bool]:
        """For each ranked id, whether it stands for its story: the first of its cluster in the
        ranking, or not clustered. `extra` gives the cluster (None: not clustered) of ids this
        object does not know; ids neither known nor in `extra` are dropped (deleted)."""
        ids = np.asarray(ranked, np.int64)
        known = self.knows(ids)
        clusters = np.zeros(len(ids), np.int64)
        clusters[known] = self._cluster[ids[known]]
        extra = extra or {}
        keep = known.copy()
        for i in np.flatnonzero(~known):
            doc_id = int(ids[i])
            if doc_id in extra:
                keep[i] = True
                clusters[i] = extra[doc_id] or 0
        # First occurrence of each cluster among the kept ids (0 = not clustered: always kept).
        candidates = np.flatnonzero(keep & (clusters != 0))
        if len(candidates):
            _, first = np.unique(clusters[candidates], return_index=True)
            later = np.ones(len(candidates), bool)
            later[first] = False
            keep[candidates[later]] = False
        return keep.tolist()

    def technologies_of(self, doc_id: int) -> np.ndarray:
        if not (0 <= doc_id < self._size) or not self._known[doc_id]:
            return np.zeros(0, np.int32)
        return self._tech[self._tech_start[doc_id]:self._tech_start[doc_id + 1]]

    def facet_counts(self, ids: Sequence[int]) -> dict[str, list[tuple[int | str, int]]]:
        """Counts over the known ids among `ids`: {"technology": [(technology id, n)], "language":
        [(code, n)], "source": [(source id, n)], "month": [(month code, n)]}, unordered."""
        ids = np.asarray(ids, np.int64)
        ids = ids[self.knows(ids)]
        starts, ends = self._tech_start[ids], self._tech_start[ids + 1]
        lengths = ends - starts
        if lengths.sum():
            # Every technology position of the ids, gathered without a Python loop.
            offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
            technologies = self._tech[np.arange(int(lengths.sum())) + offsets]
        else:
            technologies = np.zeros(0, np.int32)
        months = self._month[ids]
        return {
            "technology": _counts(technologies),
            "language": [(self.languages[code], n) for code, n in _counts(self._language[ids])],
            "source": _counts(self._source[ids]),
            "month": _counts(months[months != NO_MONTH]),
        }


def _counts(values: np.ndarray) -> list[tuple[int, int]]:
    unique, counts = np.unique(values, return_counts=True)
    return list(zip(unique.tolist(), counts.tolist()))
