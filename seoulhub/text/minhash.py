"""Near-duplicate detection: MinHash signatures of word shingles and a banded LSH index.

Shingles are 3-grams of the normalised token stream (2-grams when a text has fewer than 12
tokens, e.g. a headline alone), so the same story rewritten by another outlet still shares
most shingles. Signatures are stored as num_perm little-endian uint32 values.

datasketch defines the values and the LSH parameters; this module only computes them faster.
A signature equals datasketch's MinHash(num_perm=128).update_batch(shingles) (sha1_hash32, the
MurmurHash3 finaliser, "affine32" permutations), so stored signatures stay comparable. The index
uses the bands and rows MinHashLSH(THRESHOLD, NUM_PERM) picks (b=18, r=7) and returns the same
candidates, but is a plain dict per band rather than MinHashLSH, because that measured faster and
smaller. Ingest corpus (24,286 arXiv abstracts and titles and Korean news sentences), one pinned
core, the previous version (MinHashLSH, LeanMinHash) -> this one: signature 39 -> 28 µs, best_match
20 -> 4.6 µs, add 23 -> 2.6 µs; 48,572 stored signatures load in 2.7 -> 0.34 s and take
325 -> 105 MiB. sha1 itself (about 0.3 µs a shingle) is now most of a signature's cost.
tests/text/test_minhash_index.py checks values, parameters and candidates against datasketch.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import sha1

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
THRESHOLD = 0.6
_DTYPE = np.dtype("<u4")
_TEMPLATE = MinHash(num_perm=NUM_PERM)  # permutations computed once, reused for every text
_PERM_A, _PERM_B = (np.asarray(p, dtype=np.uint32) for p in _TEMPLATE.permutations)
_DIGEST = type(sha1()).digest
_JOIN = b" ".join
_SHA1_WORDS = 5  # a sha1 digest is five uint32 words; sha1_hash32 is the first, little-endian
# Below this many shingles the finaliser is cheaper as a Python loop than as numpy calls (about
# 0.3 µs per value against about 4 µs for the eight ufunc calls).
_PYTHON_FMIX_BELOW = 12
_M32 = 0xFFFFFFFF


def shingles(tokens: list[str]) -> set[bytes]:
    size = 3 if len(tokens) >= 12 else 2
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


class Signature:
    """The MinHash values of one text: what datasketch's LeanMinHash holds (its `hashvalues`,
    `seed`, `scheme`, `jaccard`), without the few µs its constructor checks cost."""

    __slots__ = ("hashvalues",)
    seed = _TEMPLATE.seed
    scheme = _TEMPLATE.scheme

    def __init__(self, hashvalues: np.ndarray):
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)

    def __eq__(self, other) -> bool:
        return (getattr(other, "scheme", None) == self.scheme and getattr(other, "seed", None) == self.seed
                and np.array_equal(self.hashvalues, other.hashvalues))

    def __hash__(self) -> int:  # LeanMinHash's, so equal signatures of either type hash alike
        return hash((self.scheme, self.seed, tuple(self.hashvalues)))

    def jaccard(self, other) -> float:
        return np.count_nonzero(self.hashvalues == other.hashvalues) / len(self.hashvalues)


def signature(tokens: list[str]) -> Signature | None:
    """The values of datasketch's MinHash.update_batch(shingles(tokens)) in one numpy pass.

    Shingles are joined from tokens encoded once and never collected in a set: a repeated
    shingle hashes to the same value and cannot change a minimum."""
    if not tokens:
        return None
    words = list(map(str.encode, tokens))
    if len(words) >= 12:
        grams = map(_JOIN, zip(words, words[1:], words[2:]))
    elif len(words) >= 2:
        grams = map(_JOIN, zip(words, words[1:]))
    else:
        grams = words
    digests = b"".join(map(_DIGEST, map(sha1, grams)))
    hashed = np.frombuffer(digests, dtype=_DTYPE)[::_SHA1_WORDS]
    if len(hashed) < _PYTHON_FMIX_BELOW:
        hashed = np.array([_fmix32_int(h) for h in hashed.tolist()], dtype=np.uint32)
    else:
        hashed = _fmix32(hashed)
    values = hashed[:, None] * _PERM_A  # one row per shingle, one column per permutation
    values += _PERM_B
    return Signature(values.min(axis=0))


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (datasketch applies it before the affine permutations)."""
    values = values ^ (values >> np.uint32(16))
    values *= np.uint32(0x85EBCA6B)
    values ^= values >> np.uint32(13)
    values *= np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _fmix32_int(h: int) -> int:
    h ^= h >> 16
    h = h * 0x85EBCA6B & _M32
    h ^= h >> 13
    h = h * 0xC2B2AE35 & _M32
    return h ^ (h >> 16)


def to_bytes(sig: Signature) -> bytes:
    return np.asarray(sig.hashvalues, dtype=_DTYPE).tobytes()


def from_bytes(data: bytes) -> Signature:
    return Signature(np.frombuffer(bytes(data), dtype=_DTYPE))


@lru_cache
def lsh_params(threshold: float) -> tuple[int, int]:
    """(bands, rows) as datasketch's MinHashLSH(threshold, NUM_PERM) chooses them. Its search
    integrates numerically for most of a second, so the default threshold's answer is stored."""
    if (threshold, NUM_PERM) == (0.6, 128):
        return 18, 7
    from datasketch.lsh import _optimal_param
    return _optimal_param(threshold, NUM_PERM, 0.5, 0.5)


_ABSENT = object()


class NearDuplicateIndex:
    """An in-memory LSH index of signatures keyed by any hashable id (an article id).

    Each band has a dict from the bytes of the signature's values in that band to the key that
    has them, or to a set of keys when several do: most buckets hold one key, and a set for each
    would add some 200 bytes to each of 18 x 50,000 buckets. Removing a bucket's last key deletes
    the bucket, and a set left with one key becomes that key again."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.bands, self.rows = lsh_params(threshold)
        self._band = np.dtype(f"V{self.rows * _DTYPE.itemsize}")  # one band's values as one bytes
        self._buckets: list[dict] = [{} for _ in range(self.bands)]
        self._absent = (_ABSENT,) * self.bands
        self._values: dict = {}  # key -> uint32 values
        # The ingestor calls best_match(sig) and then add(key, sig): the second call reuses the
        # band keys (and their cached hashes). Signatures are never changed in place.
        self._last: tuple = (None, [])

    def __len__(self) -> int:
        return len(self._values)

    def _band_keys(self, values: np.ndarray) -> list[bytes]:
        if values is self._last[0]:
            return self._last[1]
        if len(values) != NUM_PERM:
            raise ValueError(f"expected a signature of {NUM_PERM} values, got {len(values)}")
        # Viewing each band as one fixed-size void value gives all band keys in one call.
        keys = np.ascontiguousarray(values, dtype=_DTYPE)[:self.bands * self.rows].view(self._band).tolist()
        self._last = (values, keys)
        return keys

    def add(self, key, sig: Signature) -> None:
        if key in self._values or sig is None:
            return
        values = sig.hashvalues
        for bucket, band in zip(self._buckets, self._band_keys(values)):
            held = bucket.setdefault(band, key)
            if held is key:  # a new bucket (key is not indexed yet, so it cannot be an old one)
                continue
            if type(held) is set:  # sets are unhashable, so never a key themselves
                held.add(key)
            else:
                bucket[band] = {held, key}
        self._values[key] = values

    def remove(self, key) -> None:
        values = self._values.pop(key, None)
        if values is None:
            return
        for bucket, band in zip(self._buckets, self._band_keys(values)):
            held = bucket[band]
            if type(held) is set:
                held.discard(key)
                if len(held) == 1:
                    bucket[band] = held.pop()
            else:
                del bucket[band]

    def candidates(self, sig: Signature) -> set:
        """Keys sharing at least one band with sig: what MinHashLSH.query returns."""
        found = set()
        hits = [h for h in map(dict.get, self._buckets, self._band_keys(sig.hashvalues), self._absent)
                if h is not _ABSENT]
        for held in hits:
            if type(held) is set:
                found |= held
            else:
                found.add(held)
        return found

    def best_match(self, sig: Signature | None):
        """(key, estimated Jaccard) of the most similar indexed signature above threshold, or None."""
        if sig is None:
            return None
        keys = list(self.candidates(sig))
        if not keys:
            return None
        values = sig.hashvalues
        if len(keys) <= 8:
            scores = [np.count_nonzero(values == self._values[k]) for k in keys]
        else:  # a crowded bucket: one comparison for all
            scores = np.count_nonzero(np.stack([self._values[k] for k in keys]) == values, axis=1).tolist()
        best = max(range(len(keys)), key=scores.__getitem__)
        similarity = scores[best] / NUM_PERM
        return (keys[best], similarity) if similarity >= self.threshold else None
