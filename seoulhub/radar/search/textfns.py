"""The text functions search shares with ingestion: one normaliser, one embedder, one tagger.

Queries must be tokenised exactly like documents, so nothing here tokenises on its own: it
binds to `seoulhub.radar.ingest.process.search_tokens` and `seoulhub.text` (owned by ingestion) and only adapts the call shapes.
"""

from __future__ import annotations

import numpy as np


def normalise(text: str) -> list[str]:
    """The search tokens of `text`, exactly as the pipeline makes documents' `search_text`."""
    from seoulhub.radar.ingest.process import search_tokens

    return search_tokens(text or "")


def embed(text: str) -> np.ndarray:
    from seoulhub.text.embed import embed as embed_texts

    return embed_texts([text])[0]


def embed_many(texts: list[str]) -> np.ndarray:
    from seoulhub.text.embed import embed as embed_texts

    return embed_texts(texts)


def tagger():
    from seoulhub.text.techtag import default_tagger

    return default_tagger()


def lexicon():
    """The concept lexicon of Korean queries (glossary, taxonomy, transliteration), built once."""
    from seoulhub.text.glossary import lexicon_for

    return lexicon_for(normalise)
