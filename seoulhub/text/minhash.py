"""Near-duplicate detection: MinHash signatures of word shingles and an LSH index (datasketch).

Shingles are 3-grams of the normalised token stream (2-grams when a text has fewer than 12
tokens, e.g. a headline alone), so the same story rewritten by another outlet still shares
most shingles. Signatures are stored as num_perm little-endian uint32 values.
"""

from __future__ import annotations

from hashlib import sha1

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.6
_DTYPE = np.dtype("<u4")
_TEMPLATE = MinHash(num_perm=NUM_PERM)  # permutations computed once, reused for every text
_PERM_A, _PERM_B = (np.asarray(p, dtype=np.uint32) for p in _TEMPLATE.permutations)


def shingles(tokens: list[str]) -> set[bytes]:
    size = 3 if len(tokens) >= 12 else 2
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


def signature(tokens: list[str]) -> LeanMinHash | None:
    """The same signature datasketch's MinHash.update_batch gives (sha1_hash32 values, murmur
    finaliser, affine32 permutations), computed in one numpy pass: the per-shingle Python calls
    were most of its cost."""
    grams = shingles(tokens)
    if not grams:
        return None
    digests = b"".join([sha1(g).digest()[:4] for g in grams])
    hashed = _fmix32(np.frombuffer(digests, dtype=_DTYPE).astype(np.uint32)).reshape(-1, 1)
    values = (hashed * _PERM_A + _PERM_B).min(axis=0)
    return LeanMinHash(seed=_TEMPLATE.seed, hashvalues=values, scheme=_TEMPLATE.scheme)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (datasketch applies it before the affine permutations)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def to_bytes(sig: LeanMinHash) -> bytes:
    return np.asarray(sig.hashvalues, dtype=_DTYPE).tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    values = np.frombuffer(bytes(data), dtype=_DTYPE).astype(np.uint64)
    return LeanMinHash(seed=1, hashvalues=values, scheme=_TEMPLATE.scheme)


class NearDuplicateIndex:
    """An in-memory LSH index of signatures keyed by any hashable id (an article id)."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, key, sig: LeanMinHash) -> None:
        if key in self._sigs or sig is None:
            return
        self._lsh.insert(key, sig)
        self._sigs[key] = sig

    def remove(self, key) -> None:
        if self._sigs.pop(key, None) is not None:
            self._lsh.remove(key)

    def best_match(self, sig: LeanMinHash | None):
        """(key, estimated Jaccard) of the most similar indexed signature above threshold, or None."""
        if sig is None:
            return None
        best = None
        for key in self._lsh.query(sig):
            similarity = sig.jaccard(self._sigs[key])
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (key, similarity)
        return best
