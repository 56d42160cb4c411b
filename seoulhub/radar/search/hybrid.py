"""The hub's search call: normalise -> full-text BM25 (+count) and embedding similarity -> RRF.

Framework-free (a DB-API cursor, an engine, a vector index, the text functions), so the same
code runs in the web process and in `bench/search.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .base import Restriction
from .fusion import reciprocal_rank_fusion
from .query import ParsedQuery, parse_query

# Cosine below which a vector-only hit is left out: related cross-lingual pairs of arXiv titles
# and KLUE headlines score 0.25-0.6, unrelated ones mostly below 0.2 (docs/decisions.md, "Search").
MIN_SIMILARITY = 0.3
VECTOR_K = 100
MAX_DEPTH = 1000
# A concept query with fewer full-text matches than this also ranks, after them, the matches of
# its translated concepts alone or, when all are translated, of all but its broadest (docs/search.md).
FALLBACK_BELOW = 10
# Weight of the full-text list when the lexicon rendered every concept of a Korean query in
# English: its matches are the concept itself, the nearest vectors drift (bench/xlingual.py).
CONCEPT_LEXICAL_WEIGHT = 1.5
BROADEST_COUNT_CAP = 2000


@dataclass
class HybridResult:
    query: ParsedQuery
    ranked: list[tuple[int, float]]  # fused, best first, at most `depth`
    lexical_count: int
    count: int  # lexical matches plus vector-only hits
    lexical_ids: list[int] = field(default_factory=list)
    vector_hits: list[tuple[int, float]] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)


_WORKER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-vectors")


class HybridSearcher:
    def __init__(
        self,
        engine,
        vectors,
        normalise: Callable[[str], list[str]],
        embed: Callable[[str], np.ndarray] | None,
        tagger=None,
        min_similarity: float = MIN_SIMILARITY,
        vector_k: int = VECTOR_K,
        lexicon=None,
        embed_english: bool = True,
        concept_lexical_weight: float = CONCEPT_LEXICAL_WEIGHT,
    ):
        """`lexicon` (seoulhub.text.glossary.ConceptLexicon) reads Korean queries as concepts with
        English renderings; `embed_english` then embeds the query with those renderings added."""
        self.engine, self.vectors, self.normalise, self.embed = engine, vectors, normalise, embed
        self.tagger, self.min_similarity, self.vector_k = tagger, min_similarity, vector_k
        self.lexicon, self.embed_english = lexicon, embed_english
        self.concept_lexical_weight = concept_lexical_weight

    def _relaxed(self, cursor, parsed: ParsedQuery, restrict) -> list[list] | None:
        relaxed = parsed.relaxed_groups()
        if relaxed is not None or len(parsed.groups) < 2 or not all(parsed.translated):
            return relaxed
        counts = [
            self.engine.count(cursor, [group], restrict=restrict, cap=BROADEST_COUNT_CAP) for group in parsed.groups
        ]
        broadest = counts.index(max(counts))
        return [g for i, g in enumerate(parsed.groups) if i != broadest]

    def _nearest(self, text: str, k: int) -> tuple[list[tuple[int, float]], float, float]:
        started = time.perf_counter()
        query_vector = self.embed(text)
        embedded = time.perf_counter()
        hits = self.vectors.search(query_vector, k, self.min_similarity)
        return hits, (embedded - started) * 1000, (time.perf_counter() - embedded) * 1000

    def search(
        self,
        cursor,
        text: str,
        depth: int = 50,
        restrict: Restriction | None = None,
        allowed: Callable[[list[int]], set[int]] | None = None,
    ) -> HybridResult:
        """Rank up to `depth` results. `restrict` limits full-text matches by SQL; `allowed(ids)`
        returns which vector hits pass the same filters (None: all pass)."""
        depth = max(1, min(depth, MAX_DEPTH))
        clock = time.perf_counter()
        timings: dict[str, float] = {}

        def lap(name):
            nonlocal clock
            clock, timings[name] = time.perf_counter(), (time.perf_counter() - clock) * 1000

        parsed = parse_query(text, self.normalise, self.tagger, lexicon=self.lexicon)
        lap("parse")
        if parsed.empty:
            return HybridResult(parsed, [], 0, 0, timings_ms=timings)
        # The embedding side needs no database: it runs in a worker thread while this thread
        # asks the full-text engine (numpy and SQLite both release the GIL), so a query costs
        # about the slower of the two instead of their sum.
        pending = None
        if self.embed is not None and self.vectors is not None and len(self.vectors):
            embedded_text = parsed.text
            if self.embed_english and parsed.english_text:
                # USE is multilingual: the English rendering of each concept keeps the neighbours
                # on the concept instead of a word-by-word reading (변신 로봇 -> "Transformers").
                embedded_text = f"{parsed.text} ({parsed.english_text})"
            pending = _WORKER.submit(self._nearest, embedded_text, max(self.vector_k, depth))
        lexical = self.engine.search(cursor, parsed.groups, limit=depth, restrict=restrict)
        lexical_count = self.engine.count(cursor, parsed.groups, restrict=restrict)
        lexical_ids = [doc_id for doc_id, _ in lexical]
        relaxed_used = False
        if self.lexicon is not None and lexical_count < FALLBACK_BELOW and len(lexical_ids) < depth:
            # First a multi-word term read as its concepts (교통 예측: traffic AND forecasting,
            # not only the phrase "traffic forecasting"), then the relaxed query.
            for finer in (True, False):
                if len(lexical_ids) >= FALLBACK_BELOW:
                    break
                fallback = parsed.finer_groups if finer else self._relaxed(cursor, parsed, restrict)
                if fallback:
                    seen = set(lexical_ids)
                    more = self.engine.search(cursor, fallback, limit=depth, restrict=restrict)
                    lexical_ids += [d for d, _ in more if d not in seen][: depth - len(lexical_ids)]
                    relaxed_used = True
        lap("lexical")
        vector_hits: list[tuple[int, float]] = []
        if pending is not None:
            vector_hits, timings["embed"], timings["vector"] = pending.result()
            if allowed is not None and vector_hits:
                passing = allowed([doc_id for doc_id, _ in vector_hits])
                vector_hits = [(d, s) for d, s in vector_hits if d in passing]
            lap("vector_wait")
        weights = None
        if self.lexicon is not None and parsed.english_text and all(parsed.translated) and not relaxed_used:
            weights = (self.concept_lexical_weight, 1.0)
        ranked = reciprocal_rank_fusion([lexical_ids, [d for d, _ in vector_hits]], weights=weights)[:depth]
        fetched = set(lexical_ids)
        extra = [d for d, _ in vector_hits if d not in fetched]
        if relaxed_used:
            # The relaxed matches are ranked, not counted as matches of the whole query.
            count = len(fetched) + len(extra)
        elif len(lexical_ids) < lexical_count:
            # Only a page of the matches was fetched, so a vector hit outside it may be a match
            # counted already: the total stays the (capped) number of matches.
            count = lexical_count
        else:
            count = lexical_count + len(extra)
        lap("fuse")
        return HybridResult(parsed, ranked, lexical_count, count, lexical_ids, vector_hits, timings)
