"""The text functions search shares with ingestion (queries are tokenised exactly like documents):
this only adapts the call shapes of `radar.ingest.process.search_tokens` and `seoulhub.text`."""

from __future__ import annotations

import numpy as np


def normalise(text: str) -> list[str]:
    """The search tokens of `text`, exactly as the pipeline makes documents' `search_text`."""
    from seoulhub.radar.ingest.process import search_tokens

    return search_tokens(text or "")


def embed(text: str) -> np.ndarray:
    from seoulhub.text.embed import embed as embed_texts

    return embed_texts([text])[0]


def tagger():
    from seoulhub.text.techtag import default_tagger

    return default_tagger()


def lexicon():
    """The concept lexicon of Korean queries (glossary, taxonomy, transliteration), built once."""
    from seoulhub.text.glossary import lexicon_for

    return lexicon_for(normalise)
