"""Nearest English words of a Korean word by the hub's multilingual encoder: the last resort of the
concept lexicon (glossary.py) for a Hangul word that neither the glossary, the taxonomy,
back-transliteration nor its compound parts render (치과 -> dental, 군중 -> crowd).

The English side is a precomputed table shipped in the repo (data/glossary/en_vocab_use.npz: the
corpus's English words of en_vocab.tsv in at least MIN_TITLES titles, embedded by the bundled USE
encoder, stored as int8 at 1/127 steps, ~3 MB); a lookup embeds the one Korean word (~2 ms) and takes a dot product with the
table. Word-level neighbours are often the translation but not always (탐지 -> exploration as
much as detection, 모방 -> motor), so only a close neighbour counts (MIN_SIMILARITY), and the
runners-up within MARGIN of it are kept with it as alternatives. Rebuild the table with
`python -m seoulhub.text.neighbours` after en_vocab.tsv changes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

TABLE_PATH = Path(__file__).resolve().parents[2] / "data" / "glossary" / "en_vocab_use.npz"
MIN_TITLES = 8
MIN_SIMILARITY = 0.78
MARGIN = 0.02
MAX_WORDS = 2
MIN_SYLLABLES = 2  # a lone syllable is mostly a fragment the normaliser left (체 of 체화된)
_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")


class EnglishNeighbours:
    def __init__(self, words: list[str], matrix: np.ndarray, embed):
        self.words, self.matrix, self.embed = words, matrix, embed

    @lru_cache(maxsize=10_000)
    def nearest(self, korean: str) -> tuple[str, ...]:
        """The English words close enough to stand for `korean` (a Hangul word), best first."""
        if len(korean) < MIN_SYLLABLES or not _HANGUL_WORD.match(korean) or not len(self.words):
            return ()
        vector = np.asarray(self.embed([korean]), dtype=np.float32)[0]
        # einsum, not BLAS: a matrix-vector product this small costs more in BLAS threads
        # contending for the 2 cores (20-40 ms under load) than in arithmetic (< 1 ms).
        similarity = np.einsum("ij,j->i", self.matrix, vector)
        best = int(np.argmax(similarity))
        if similarity[best] < MIN_SIMILARITY:
            return ()
        top = np.argsort(-similarity)[:MAX_WORDS]
        return tuple(self.words[i] for i in top if similarity[i] >= similarity[best] - MARGIN)


@lru_cache(maxsize=1)
def default_neighbours() -> EnglishNeighbours | None:
    """The shipped table with the hub's encoder, or None without the table."""
    if not TABLE_PATH.exists():
        return None
    from .embed import embed

    table = np.load(TABLE_PATH)
    return EnglishNeighbours([str(w) for w in table["words"]], table["vectors"].astype(np.float32) / 127, embed)


def build_table(path: Path = TABLE_PATH) -> int:
    from .embed import embed
    from .transliterate import read_vocabulary

    words = [word for word, count in read_vocabulary() if count >= MIN_TITLES]
    vectors = np.concatenate([embed(words[i : i + 512]) for i in range(0, len(words), 512)])
    quantised = np.clip(np.rint(vectors * 127), -127, 127).astype(np.int8)  # unit vectors: |x| <= 1
    np.savez_compressed(path, words=np.array(words), vectors=quantised)
    return len(words)


if __name__ == "__main__":  # python -m seoulhub.text.neighbours: rebuild the table
    print(build_table())
