"""Near-duplicate detection: MinHash signatures of word shingles and a banded LSH index.

Shingles are the word 2-grams of the normalised token stream, for every length (a one-token text
is its token): the same headline at 12 and at 11 tokens shares most of its 2-grams, whereas a
scheme that changed with the length gave such a pair no shingle in common. The signature is
datasketch's MinHash(num_perm=128) of the shingles, with its permutations computed once; it is
stored as num_perm little-endian uint32 values (`to_bytes`). A change of the shingle scheme
changes every stored signature: `seoulhub radar_minhash` recomputes them.

The index uses the bands and rows MinHashLSH(THRESHOLD, NUM_PERM) picks (b=18, r=7) and returns
the same candidates, but is a plain dict per band rather than MinHashLSH (faster and smaller with
50,000 recent articles loaded per job). tests/text/test_minhash_index.py checks the candidates
against MinHashLSH.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
THRESHOLD = 0.6
SHINGLE_SIZE = 2
_DTYPE = np.dtype("<u4")
_TEMPLATE = MinHash(num_perm=NUM_PERM)  # permutations computed once, reused for every text
_PERMUTATIONS = _TEMPLATE.permutations
_SCHEME = _TEMPLATE.scheme
_JOIN = b" ".join


def shingles(tokens: list[str]) -> set[bytes]:
    """The word 2-grams of tokens (the token itself for a one-token text)."""
    words = [t.encode() for t in tokens]
    if len(words) < SHINGLE_SIZE:
        return set(words)
    return set(map(_JOIN, zip(words, words[1:])))


class Signature:
    """The MinHash values of one text: what datasketch's LeanMinHash holds (its `hashvalues`,
    `seed`, `scheme`, `jaccard`), without the copies and checks of its constructor."""

    __slots__ = ("hashvalues",)
    seed = _TEMPLATE.seed
    scheme = _SCHEME

    def __init__(self, hashvalues: np.ndarray):
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)

    def __eq__(self, other) -> bool:
        return (
            getattr(other, "scheme", None) == self.scheme
            and getattr(other, "seed", None) == self.seed
            and np.array_equal(self.hashvalues, other.hashvalues)
        )

    def __hash__(self) -> int:  # LeanMinHash's, so equal signatures of either type hash alike
        return hash((self.scheme, self.seed, tuple(self.hashvalues)))

    def jaccard(self, other) -> float:
        return np.count_nonzero(self.hashvalues == other.hashvalues) / len(self.hashvalues)


def signature(tokens: list[str]) -> Signature | None:
    """datasketch's MinHash of shingles(tokens), or None for no tokens."""
    grams = shingles(tokens)
    if not grams:
        return None
    sketch = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=_SCHEME)
    sketch.update_batch(list(grams))
    return Signature(np.asarray(sketch.hashvalues, dtype=np.uint32))


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
        keys = np.ascontiguousarray(values, dtype=_DTYPE)[: self.bands * self.rows].view(self._band).tolist()
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
        hits = [
            h for h in map(dict.get, self._buckets, self._band_keys(sig.hashvalues), self._absent) if h is not _ABSENT
        ]
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
