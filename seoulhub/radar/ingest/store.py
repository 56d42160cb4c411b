"""Store processed items in batches: idempotent, near-duplicates into story clusters.

Items are processed one by one and stored settings.RADAR_STORE_BATCH at a time, each batch in one transaction
with its technology links and trend counts (one INSERT per table instead of several queries per
item; the per-item transactions were the slowest step of ingestion). Re-ingesting the same feed
adds nothing: an item is skipped when its (source, GUID) or its content hash is already stored.
The database constraints on both make a concurrent or restarted worker fail safe: a batch that
hits one is stored again item by item, and each clash counts as a duplicate. A crash loses at
most the batch being written, which the next run processes again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seoulhub.taxonomy.models import Technology
from seoulhub.text import minhash as minhash_mod
from seoulhub.text import storylink
from seoulhub.text.techtag import TechnologyTagger

from ..models import Article, ArticleTechnology, Source, StoryCluster
from ..models.trends import record_new_articles
from .items import ItemError, ParsedItem, ProcessedItem
from .process import process_item

log = logging.getLogger(__name__)

# SQLite checkpoints the write-ahead log into the database file (and syncs both) when a commit
# leaves it over 1,000 pages by default: an ingest batch writes more than that, so every batch's
# commit paid a checkpoint. Over 10,000 pages (about 40 MB), the pages consecutive batches rewrite
# (search index segments, counters, indexes) are copied once per several batches: commits
# 0.42 -> 0.26 s of the ingest benchmark. Set on the ingesting connection only.
INGEST_WAL_AUTOCHECKPOINT_PAGES = 10_000
CLUSTER_WINDOW = timedelta(days=14)  # near-duplicates are looked for among this recent window
CLUSTER_INDEX_LIMIT = 50_000
ARTICLE_COLUMNS = (
    "source_id",
    "url",
    "canonical_url",
    "guid",
    "title",
    "summary_html",
    "text",
    "author",
    "published_at",
    "fetched_at",
    "language",
    "search_text",
    "keywords",
    "relevance",
    "is_digital",
    "content_hash",
    "minhash",
)
LINK_COLUMNS = ("article_id", "technology_id", "score", "evidence")


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
        return {
            "new": self.new,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "errors": self.errors,
        }


class ClusterIndex:
    """MinHash LSH over recent articles (article id -> signature), loaded once per job."""

    def __init__(self, since=None):
        self.index = minhash_mod.NearDuplicateIndex()
        self.loaded = False
        self.since = since

    def load(self) -> ClusterIndex:
        since = self.since or timezone.now() - CLUSTER_WINDOW
        rows = (
            Article.objects.filter(fetched_at__gte=since, minhash__isnull=False)
            .order_by("-id")
            .values_list("id", "minhash")[:CLUSTER_INDEX_LIMIT]
        )
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
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint = {INGEST_WAL_AUTOCHECKPOINT_PAGES}")

    def ingest(self, source: Source, items: list[ParsedItem], progress=None) -> IngestStats:
        stats = IngestStats()
        guids = [(i.guid or i.link or "").strip()[:1000] for i in items]
        known = set(
            Article.objects.filter(source=source, guid__in=[g for g in guids if g]).values_list("guid", flat=True)
        )
        batch: list[ProcessedItem] = []
        for item, guid in zip(items, guids):
            if guid and guid in known:
                stats.duplicates += 1
            else:
                if (processed := self._process(source, item, stats)) is not None:
                    batch.append(processed)
                if guid:
                    known.add(guid)
            if len(batch) >= settings.RADAR_STORE_BATCH:
                self.store_batch(source, batch, stats)
                batch = []
            if progress:
                progress(1)
        if batch:
            self.store_batch(source, batch, stats)
        return stats

    def _process(self, source: Source, item: ParsedItem, stats: IngestStats) -> ProcessedItem | None:
        try:
            return process_item(item, language_hint=source.language_hint, tagger=self.tagger)
        except ItemError as exc:
            stats.errors += 1
            stats.error_messages.append(f"{item.link or item.guid or '?'}: {exc}")
            return None
        except Exception as exc:  # one item that breaks the pipeline never blocks its siblings
            log.exception("%s: item %s could not be processed", source.name, item.link or item.guid)
            stats.errors += 1
            stats.error_messages.append(
                _("%(url)s: could not be processed (%(reason)s)")
                % {"url": item.link or item.guid or "?", "reason": exc.__class__.__name__}
            )
            return None

    def store_batch(self, source: Source, batch: list[ProcessedItem], stats: IngestStats) -> None:
        """Store the batch's new items in one transaction (see the module docstring)."""
        stored = set(
            Article.objects.filter(content_hash__in={p.content_hash for p in batch}).values_list(
                "content_hash", flat=True
            )
        )
        fresh = []
        for p in batch:
            if p.content_hash in stored:
                stats.duplicates += 1
            else:
                stored.add(p.content_hash)
                fresh.append(p)
        if not fresh:
            return
        indexed: list[int] = []
        try:
            with transaction.atomic():
                near = self._insert(source, fresh, indexed)
        except (IntegrityError, DataError):
            self._forget(indexed)
            # A concurrent or earlier run stored some of them first, or one item holds a value
            # the database refuses: each is stored (or refused) alone.
            for p in fresh:
                self._store_alone(source, p, stats)
            return
        except BaseException:
            self._forget(indexed)
            raise
        stats.new += len(fresh)
        stats.near_duplicates += near

    @staticmethod
    def undated_published_at(source: Source, now):
        """The date an item without one is stored with: None ("date unknown", counted in no time
        series) when the fetch is backfill, else the moment a routine fetch first saw it."""
        return None if source.fetch_is_backfill() else now

    def _insert(self, source: Source, fresh: list[ProcessedItem], indexed: list[int]) -> int:
        now = timezone.now()
        undated = self.undated_published_at(source, now)
        published = [p.published_at or undated for p in fresh]
        articles = Article.objects.bulk_create(
            [self._article(source, p, when, now) for p, when in zip(fresh, published)]
        )
        ids = [article.pk for article in articles]  # SQLite >= 3.35 and PostgreSQL return them
        ArticleTechnology.objects.bulk_create(
            [link for article, p in zip(articles, fresh) for link in self._links(article, p)]
        )
        near = 0
        index = self.cluster_index.index
        for article_id, p, when in zip(ids, fresh, published):
            # Earlier items of the same batch are in the index already, so reposts within one
            # feed cluster too.
            match = index.best_match(p.signature)
            if match is not None and (cluster := self._cluster_for(match[0], when)) is not None:
                Article.objects.filter(pk=article_id).update(cluster=cluster)
                near += 1
            index.add(article_id, p.signature)
            indexed.append(article_id)
        record_new_articles(
            [
                (article_id, when, p.keywords, [m.slug for m in self._known(p.technologies)])
                for article_id, when, p in zip(ids, published, fresh)
            ]
        )
        return near

    @staticmethod
    def _article_row(source: Source, p: ProcessedItem, published_at, fetched_at) -> tuple:
        return (
            source.pk,
            p.url,
            p.canonical_url,
            p.guid,
            p.title,
            p.summary_html,
            p.text,
            p.author,
            published_at,
            fetched_at,
            p.language,
            p.search_text,
            p.keywords,
            p.relevance,
            p.is_digital,
            p.content_hash,
            p.minhash,
        )

    def _link_rows(self, article_id: int, p: ProcessedItem) -> list[tuple]:
        return [(article_id, self._tech_ids[m.slug], m.score, m.evidence) for m in self._known(p.technologies)]

    def _known(self, matches):
        """The matches whose technology is in the taxonomy (a slug retired since tagging is dropped)."""
        return [m for m in matches if m.slug in self._tech_ids]

    def _forget(self, article_ids: list[int]) -> None:
        """Take rolled-back articles out of the in-memory near-duplicate index."""
        for article_id in article_ids:
            self.cluster_index.index.remove(article_id)

    def _store_alone(self, source: Source, p: ProcessedItem, stats: IngestStats) -> None:
        try:
            article, near = self.store(source, p)
        except IntegrityError:
            stats.duplicates += 1
            return
        except DataError as exc:
            stats.errors += 1
            stats.error_messages.append(
                (_("%(url)s: the database refused it (%(reason)s)") % {"url": p.url or p.guid or "?", "reason": exc})[
                    :500
                ]
            )
            return
        stats.new += 1
        stats.near_duplicates += near
        self.cluster_index.index.add(article.id, p.signature)

    @transaction.atomic
    def store(self, source: Source, p: ProcessedItem) -> tuple[Article, bool]:
        """Store one item in its own transaction (the trend counters follow on commit)."""
        now = timezone.now()
        article = self._article(source, p, p.published_at or self.undated_published_at(source, now), now)
        match = self.cluster_index.index.best_match(p.signature)
        cluster = self._cluster_for(match[0], article.published_at) if match is not None else None
        article.cluster = cluster
        article.save()
        ArticleTechnology.objects.bulk_create(self._links(article, p))
        return article, cluster is not None

    def _article(self, source: Source, p: ProcessedItem, published_at, fetched_at) -> Article:
        return Article(**dict(zip(ARTICLE_COLUMNS, self._article_row(source, p, published_at, fetched_at))))

    def _links(self, article: Article, p: ProcessedItem) -> list[ArticleTechnology]:
        return [ArticleTechnology(**dict(zip(LINK_COLUMNS, row))) for row in self._link_rows(article.pk, p)]

    def _cluster_for(self, other_id: int, published) -> StoryCluster | None:
        other = Article.objects.select_for_update().filter(pk=other_id).first()
        return self._join_cluster(other, published) if other is not None else None

    @staticmethod
    def _join_cluster(other: Article, published) -> StoryCluster:
        """Add an item published `published` (None: date unknown) to `other`'s story."""
        if other.cluster_id is None:
            dated = [d for d in (other.published_at, published) if d is not None]
            cluster = StoryCluster.objects.create(
                title=other.title[:500],
                first_published_at=min(dated, default=None),
                last_published_at=max(dated, default=None),
                size=1,
            )
            Article.objects.filter(pk=other.pk).update(cluster=cluster)
        else:
            cluster = StoryCluster.objects.select_for_update().get(pk=other.cluster_id)
        cluster.size = cluster.articles.count() + 1
        if published is not None and (cluster.last_published_at is None or published > cluster.last_published_at):
            cluster.last_published_at = published
        if published is not None and (cluster.first_published_at is None or published < cluster.first_published_at):
            cluster.first_published_at = published
        cluster.save(update_fields=["size", "first_published_at", "last_published_at"])
        return cluster


CROSS_LANGUAGES = ("ko", "en")
CROSS_CANDIDATE_LIMIT = 5000  # other-language articles compared per batch (newest first)


def join_across_languages(article_ids: list[int]) -> int:
    """Join each of these freshly embedded articles to the story of the same event in the other
    language (Korean <-> English), if text.storylink says it is one. Returns how many joined.

    Conservative: an article that has a story already is not moved, and two stories are never
    merged (only an article without a story joins one, or brings a lone article into its own).
    The other-language articles of the batch's date range are read and decoded once per batch."""
    import numpy as np

    from seoulhub.text import embed

    fresh = list(
        Article.objects.filter(
            pk__in=article_ids, language__in=CROSS_LANGUAGES, embedding__isnull=False, published_at__isnull=False
        ).values_list("id", "language", "embedding", "title", "text", "published_at")
    )
    joined = 0
    window = timedelta(days=storylink.DAYS)
    anchors: dict[int, set[str]] = {}
    for language in CROSS_LANGUAGES:
        mine = [row for row in fresh if row[1] == language]
        if not mine:
            continue
        candidates = list(
            Article.objects.filter(
                language="en" if language == "ko" else "ko",
                embedding__isnull=False,
                published_at__gte=min(row[5] for row in mine) - window,
                published_at__lte=max(row[5] for row in mine) + window,
            )
            .order_by("-published_at")
            .values_list("id", "embedding", "title", "text", "published_at")[:CROSS_CANDIDATE_LIMIT]
        )
        if not candidates:
            continue
        matrix = np.stack([embed.from_bytes(row[1]) for row in candidates])
        cosines = np.stack([embed.from_bytes(row[2]) for row in mine]) @ matrix.T
        for (article_id, _lang, _vec, title, text, published), row_cosines in zip(mine, cosines):
            own = storylink.anchors(f"{title} {text[:300]}")
            for index in np.argsort(-row_cosines):
                cosine = float(row_cosines[index])
                if cosine < storylink.COSINE:
                    break
                other_id, _ovec, other_title, other_text, other_published = candidates[index]
                if other_id not in anchors:
                    anchors[other_id] = storylink.anchors(f"{other_title} {other_text[:300]}")
                if storylink.same_event(cosine, own, anchors[other_id], published, other_published):
                    joined += _join_pair(article_id, other_id)
                    break
    return joined


@transaction.atomic
def _join_pair(article_id: int, other_id: int) -> int:
    """Put two articles in one story unless both have one already; 1 if they joined."""
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    other = Article.objects.select_for_update().filter(pk=other_id).first()
    if article is None or other is None:
        return 0
    if article.cluster_id is None:
        lone, story_side = article, other
    elif other.cluster_id is None:
        lone, story_side = other, article
    else:
        return 0
    cluster = Ingestor._join_cluster(story_side, lone.published_at)
    Article.objects.filter(pk=lone.pk).update(cluster=cluster)
    return 1


def recompute_signatures(since=None, batch: int = 1000) -> int:
    """Store again every article's MinHash (fetched since `since`, or all) from its title and text.

    The near-duplicate index of each ingest job is loaded from the stored signatures, so a change
    of the shingle scheme (text.minhash) needs them recomputed. Each batch is written in its own
    transaction with values that depend only on the article's text: an interrupted run leaves
    every row either old or new, and running it again is safe."""
    from .process import _title_and_body_tokens

    rows = Article.objects.order_by("id")
    if since is not None:
        rows = rows.filter(fetched_at__gte=since)
    done, last_id = 0, 0
    while True:
        chunk = list(rows.filter(id__gt=last_id).values_list("id", "title", "text")[:batch])
        if not chunk:
            return done
        changed = []
        for article_id, title, text in chunk:
            title_tokens, body_tokens = _title_and_body_tokens(title, text)
            sig = minhash_mod.signature(title_tokens + body_tokens)
            changed.append(Article(pk=article_id, minhash=minhash_mod.to_bytes(sig) if sig is not None else None))
        with transaction.atomic():
            Article.objects.bulk_update(changed, ["minhash"])
        done += len(chunk)
        last_id = chunk[-1][0]
