"""Store processed items: one transaction per item, idempotent, near-duplicates into story clusters.

Re-ingesting the same feed adds nothing: an item is skipped when its (source, GUID) or its
content hash is already stored, and the database constraints on both make a concurrent or
restarted worker fail safe (IntegrityError -> counted as duplicate). A crash between items
loses at most the item being written, which the next run processes again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from seoulhub.taxonomy.models import Technology
from seoulhub.text import minhash as minhash_mod
from seoulhub.text.techtag import TechnologyTagger

from .models import Article, ArticleTechnology, Source, StoryCluster
from .pipeline import ItemError, ParsedItem, ProcessedItem, process_item

log = logging.getLogger(__name__)

CLUSTER_WINDOW = timedelta(days=14)  # near-duplicates are looked for among this recent window
CLUSTER_INDEX_LIMIT = 50_000


@dataclass
class IngestStats:
    new: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)

    def add(self, other: IngestStats) -> None:
        self.new += other.new
        self.duplicates += other.duplicates
        self.near_duplicates += other.near_duplicates
        self.errors += other.errors
        self.error_messages += other.error_messages[:20]

    def as_dict(self) -> dict:
        return {"new": self.new, "duplicates": self.duplicates, "near_duplicates": self.near_duplicates,
                "errors": self.errors}


class ClusterIndex:
    """MinHash LSH over recent articles (article id -> signature), loaded once per job."""

    def __init__(self, since=None):
        self.index = minhash_mod.NearDuplicateIndex()
        self.loaded = False
        self.since = since

    def load(self) -> ClusterIndex:
        since = self.since or timezone.now() - CLUSTER_WINDOW
        rows = (Article.objects.filter(fetched_at__gte=since, minhash__isnull=False)
                .order_by("-id").values_list("id", "minhash")[:CLUSTER_INDEX_LIMIT])
        for article_id, data in rows.iterator(chunk_size=2000):
            self.index.add(article_id, minhash_mod.from_bytes(data))
        self.loaded = True
        return self


class Ingestor:
    """Turns parsed items of one source into articles. Reuse one per job (it caches lookups)."""

    def __init__(self, tagger: TechnologyTagger | None = None, cluster_index: ClusterIndex | None = None):
        self.tagger = tagger
        self.cluster_index = cluster_index or ClusterIndex().load()
        self._tech_ids = dict(Technology.objects.values_list("slug", "id"))

    def ingest(self, source: Source, items: list[ParsedItem], progress=None) -> IngestStats:
        stats = IngestStats()
        guids = [(i.guid or i.link or "").strip()[:1000] for i in items]
        known = set(Article.objects.filter(source=source, guid__in=[g for g in guids if g])
                    .values_list("guid", flat=True))
        for item, guid in zip(items, guids):
            if guid and guid in known:
                stats.duplicates += 1
            else:
                self._one(source, item, stats)
                if guid:
                    known.add(guid)
            if progress:
                progress(1)
        return stats

    def _one(self, source: Source, item: ParsedItem, stats: IngestStats) -> None:
        try:
            processed = process_item(item, language_hint=source.language_hint, tagger=self.tagger)
        except ItemError as exc:
            stats.errors += 1
            stats.error_messages.append(f"{item.link or item.guid or '?'}: {exc}")
            return
        if Article.objects.filter(content_hash=processed.content_hash).exists():
            stats.duplicates += 1
            return
        try:
            article, near = self.store(source, processed)
        except IntegrityError:
            stats.duplicates += 1  # a concurrent or earlier run stored it first
            return
        stats.new += 1
        stats.near_duplicates += near
        self.cluster_index.index.add(article.id, processed.signature)

    @transaction.atomic
    def store(self, source: Source, p: ProcessedItem) -> tuple[Article, bool]:
        match = self.cluster_index.index.best_match(p.signature)
        cluster = None
        if match is not None:
            other = Article.objects.select_for_update().filter(pk=match[0]).first()
            if other is not None:
                cluster = self._join_cluster(other, p)
        published = p.published_at or timezone.now()
        article = Article.objects.create(
            source=source, url=p.url, canonical_url=p.canonical_url, guid=p.guid, title=p.title,
            summary_html=p.summary_html, text=p.text, author=p.author, published_at=published,
            language=p.language, search_text=p.search_text, keywords=p.keywords, relevance=p.relevance,
            is_digital=p.is_digital, content_hash=p.content_hash, minhash=p.minhash, cluster=cluster,
        )
        links = [ArticleTechnology(article=article, technology_id=self._tech_ids[m.slug], score=m.score,
                                   evidence=m.evidence)
                 for m in p.technologies if m.slug in self._tech_ids]
        ArticleTechnology.objects.bulk_create(links)
        return article, cluster is not None

    @staticmethod
    def _join_cluster(other: Article, p: ProcessedItem) -> StoryCluster:
        published = p.published_at or timezone.now()
        if other.cluster_id is None:
            first = min(filter(None, [other.published_at, published]))
            cluster = StoryCluster.objects.create(title=other.title[:500], first_published_at=first,
                                                  last_published_at=max(filter(None, [other.published_at, published])),
                                                  size=1)
            Article.objects.filter(pk=other.pk).update(cluster=cluster)
        else:
            cluster = StoryCluster.objects.select_for_update().get(pk=other.cluster_id)
        cluster.size = cluster.articles.count() + 1
        if cluster.last_published_at is None or published > cluster.last_published_at:
            cluster.last_published_at = published
        if cluster.first_published_at is None or published < cluster.first_published_at:
            cluster.first_published_at = published
        cluster.save(update_fields=["size", "first_published_at", "last_published_at"])
        return cluster
