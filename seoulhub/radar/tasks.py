"""Radar jobs (Django Tasks). Each takes ids, commits one item per transaction, is safe to re-run.

`ingest_source` fetches (or reads) one source, parses it, stores new items and records the
source's health. `ingest_due` enqueues every due source. `embed_pending` fills embeddings in
batches (the encoder is the slowest stage, so it runs apart from the per-item pipeline) and, with
each vector, replaces the pipeline's provisional relevance by the final one (text.relevance) and
joins a Korean and an English report of one event into one story (ingest.join_across_languages).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from .ingest.fetch import Fetcher, FetchError
from .ingest.store import Ingestor, IngestStats, join_across_languages
from .models import Article, Source
from .ingest.parse import ParseError, parse_feed

log = logging.getLogger(__name__)
EMBED_BATCH = 64
_fetcher: Fetcher | None = None


class SourceFailed(Exception):
    """Fetching or parsing a source failed; str() says why in words (also stored on the source)."""


def fetcher() -> Fetcher:
    global _fetcher
    if _fetcher is None:
        _fetcher = Fetcher(
            allow=settings.SEOULHUB_FETCH_ALLOW,
            max_bytes=settings.SEOULHUB_FETCH_MAX_BYTES,
            timeout=settings.SEOULHUB_FETCH_TIMEOUT,
            deadline=settings.SEOULHUB_FETCH_DEADLINE,
            min_host_delay=float(getattr(settings, "SEOULHUB_FETCH_HOST_DELAY", 1.0)),
            retries=int(getattr(settings, "SEOULHUB_FETCH_RETRIES", 2)),
            backoff=float(getattr(settings, "SEOULHUB_FETCH_BACKOFF", 1.0)),
        )
    return _fetcher


def reset_fetcher() -> None:
    """Forget the cached fetcher (tests change the allow-list)."""
    global _fetcher
    _fetcher = None


def _read(source: Source) -> tuple[bytes, str, str, bool]:
    """(content, etag, last_modified, not_modified) of a source."""
    if source.kind == Source.Kind.FILE or not source.url.startswith(("http://", "https://")):
        from .demo import repo_path

        path = repo_path(source.url)
        try:
            return path.read_bytes(), "", "", False
        except OSError as exc:
            raise SourceFailed(
                _("cannot read the file %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror or exc}
            ) from exc
    try:
        result = fetcher().fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    except FetchError as exc:
        raise SourceFailed(str(exc)) from exc
    return result.content, result.etag, result.last_modified, result.not_modified


def _add_full_text(items, known_guids: set[str]) -> None:
    import trafilatura

    for item in items:
        guid = (item.guid or item.link or "").strip()
        if not item.link or guid in known_guids:
            continue
        try:
            page = fetcher().fetch(item.link)
        except FetchError as exc:
            log.info("full text of %s skipped: %s", item.link, exc)
            continue
        text = trafilatura.extract(
            page.content.decode("utf-8", errors="replace"), url=item.link, include_comments=False, include_tables=False
        )
        if text and len(text) > len(item.content_html or item.summary_html or ""):
            item.content_html = "\n".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())


def run_source(source: Source, ingestor: Ingestor | None = None, progress=None, on_total=None) -> IngestStats:
    """Fetch/read, parse and store one source; records health. Raises SourceFailed in words."""
    try:
        content, etag, last_modified, not_modified = _read(source)
        if not_modified:
            source.record_success(etag=etag or source.etag, last_modified=last_modified or source.last_modified)
            return IngestStats()
        feed = parse_feed(content, url=source.url, max_unpacked=settings.SEOULHUB_FEED_MAX_UNPACKED_BYTES)
    except (SourceFailed, ParseError) as exc:
        source.record_failure(str(exc))
        raise SourceFailed(str(exc)) from exc
    if on_total:
        on_total(len(feed.items))
    if source.full_text:
        known = set(source.articles.values_list("guid", flat=True))
        _add_full_text(feed.items, known)
    ingestor = ingestor or Ingestor()
    stats = ingestor.ingest(source, feed.items, progress=progress)
    source.record_success(etag=etag, last_modified=last_modified, items=stats.new)
    if feed.warning:
        log.info("%s: %s", source.name, feed.warning)
    if stats.errors or feed.skipped:
        # The other items are stored; the source's health record says what was skipped, and why.
        notes = (
            [
                ngettext("%(count)s item skipped: %(reasons)s", "%(count)s items skipped: %(reasons)s", stats.errors)
                % {"count": stats.errors, "reasons": "; ".join(stats.error_messages[:3])}
            ]
            if stats.errors
            else []
        )
        source.last_error = "; ".join(notes + ([feed.warning] if feed.skipped else []))[:2000]
        source.save(update_fields=["last_error"])
    return stats


@task()
def ingest_source(source_id: int) -> dict:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return {"error": _("source %(id)s no longer exists") % {"id": source_id}}
    try:
        return run_source(source).as_dict()
    except SourceFailed as exc:
        return {"error": str(exc)}


def due_sources():
    return [s for s in Source.objects.filter(active=True, paused_at__isnull=True) if s.is_due()]


@task()
def ingest_due() -> int:
    sources = due_sources()
    for source in sources:
        ingest_source.enqueue(source.pk)
    return len(sources)


def embed_batch(limit: int = EMBED_BATCH) -> int:
    """Embed up to `limit` articles without an embedding; returns how many were written."""
    from seoulhub.text import embed

    from .ingest.process import final_verdict, text_evidence

    rows = list(
        Article.objects.filter(embedding__isnull=True)
        .order_by("id")
        .values_list("id", "title", "text", "language")[:limit]
    )
    if not rows:
        return 0
    vectors = embed.embed([f"{title}. {text[:300]}" for _id, title, text, _lang in rows])
    for (article_id, title, text, lang), vector in zip(rows, vectors):
        # The vector finalises the learned relevance (the pipeline stored a provisional one).
        evidence = text_evidence(title, text, language_hint=lang)["evidence_features"]
        relevance, digital = final_verdict(evidence, vector, lang)
        with transaction.atomic():
            Article.objects.filter(pk=article_id, embedding__isnull=True).update(
                embedding=embed.to_bytes(vector), relevance=relevance, is_digital=digital
            )
    # Only now is there a vector to compare: a Korean and an English report of one event join a story.
    join_across_languages([article_id for article_id, *_ in rows])
    from .search.service import refresh_vector_index

    refresh_vector_index()  # into the search's vector file once enough new articles wait
    return len(rows)


@task()
def embed_pending(limit: int = 1000) -> int:
    done = 0
    while done < limit:
        n = embed_batch(min(EMBED_BATCH, limit - done))
        if not n:
            break
        done += n
    return done
