"""The items that flow through the ingestion stages: a parser's ParsedItem, the ProcessedItem that
process.py makes of it and store.py writes, and ItemError for an entry that cannot be stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from seoulhub.text.techtag import TechMatch


@dataclass
class ParsedItem:
    """One entry as a parser produced it (feed-agnostic)."""

    title: str = ""
    link: str = ""
    guid: str = ""
    summary_html: str = ""
    content_html: str = ""
    author: str = ""
    published_at: datetime | None = None
    categories: list[str] = field(default_factory=list)
    language: str = ""  # the feed's declared language, if any


@dataclass
class ProcessedItem:
    url: str
    canonical_url: str
    guid: str
    title: str
    summary_html: str
    text: str
    author: str
    published_at: datetime | None
    language: str
    search_text: str
    keywords: list[str]
    relevance: float
    is_digital: bool
    content_hash: str
    minhash: bytes | None
    technologies: list[TechMatch]
    relevance_evidence: list[str]
    signature: object = None  # datasketch LeanMinHash, for the near-duplicate index

    @property
    def embedding_text(self) -> str:
        return f"{self.title}. {self.text[:300]}"


class ItemError(ValueError):
    """An item that cannot become an article (no title and no text); the message says why."""
