"""`seoulhub ingest`: fetch and store feeds.

  seoulhub ingest                 every due source, now, with a progress bar
  seoulhub ingest --enqueue       queue them as Django Tasks for `seoulhub worker` instead
  seoulhub ingest --file PATH     one local feed file (RSS/Atom/JSON Feed/arXiv listing)
  seoulhub ingest --url URL       one feed now; a refused or failed fetch exits non-zero
  seoulhub ingest --demo          the bundled demo corpus (arXiv listings + Korean headlines)
Re-running adds nothing already stored; an interrupted run resumes where it stopped.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seoulhub.radar.ingest.store import Ingestor, IngestStats
from seoulhub.radar.models import Source
from seoulhub.radar.tasks import SourceFailed, due_sources, embed_pending, ingest_source, run_source


class Progress:
    """A one-line progress bar on stderr (plain lines when not a terminal)."""

    def __init__(self, stream, label: str, enabled: bool = True):
        self.stream, self.label, self.enabled = stream, label, enabled
        self.total, self.done, self.started, self._last = 0, 0, time.monotonic(), 0.0

    def set_total(self, total: int) -> None:
        self.total = total
        self.draw(force=True)

    def __call__(self, n: int = 1) -> None:
        self.done += n
        self.draw()

    def draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.2 and self.done != self.total:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / self.total) if self.total else 0
        rate = self.done / max(now - self.started, 1e-6)
        line = f"{self.label[:40]:40} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {rate:,.0f}/s"
        if self.stream.isatty():
            self.stream.write("\r" + line)
        elif self.done in (0, self.total) or force:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Fetch and store feeds: due sources, one file, one URL, or the demo corpus."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--file", help="a local feed file (RSS, Atom, JSON Feed or arXiv JSON lines)")
        group.add_argument("--url", help="one feed URL, fetched now")
        group.add_argument("--demo", action="store_true", help="the bundled demo corpus")
        group.add_argument("--enqueue", action="store_true", help="queue due sources for `seoulhub worker`")
        parser.add_argument("--name", help="name of the source created for --file or --url")
        parser.add_argument("--embed", action="store_true", help="also compute embeddings now (slow)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, url, demo, enqueue, name, embed, no_progress, **options):
        self.show_progress = not no_progress
        if enqueue:
            sources = due_sources()
            for source in sources:
                ingest_source.enqueue(source.pk)
            embed_pending.enqueue()
            self.stdout.write(f"queued {len(sources)} due sources and one embedding job for `seoulhub worker`")
            return
        if demo:
            from seoulhub.radar.demo import demo_sources

            sources = demo_sources(log=lambda m: self.stdout.write(m))
        elif file:
            path = Path(file).expanduser().resolve()
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            source, _ = Source.objects.get_or_create(
                url=str(path), defaults={"name": name or path.name, "kind": Source.Kind.FILE}
            )
            sources = [source]
        elif url:
            sources = [self._url_source(url, name)]
        else:
            sources = due_sources()
            if not sources:
                self.stdout.write("no source is due")
                return
        total, failures = IngestStats(), []
        ingestor = Ingestor()
        for source in sources:
            progress = Progress(sys.stderr, source.name, enabled=self.show_progress)
            try:
                stats = run_source(source, ingestor=ingestor, progress=progress, on_total=progress.set_total)
            except SourceFailed as exc:
                failures.append(f"{source.name}: {exc}")
                self.stderr.write(f"{source.name}: failed: {exc}")
                continue
            finally:
                progress.finish()
            total.add(stats)
            self.stdout.write(
                f"{source.name}: {stats.new} new, {stats.duplicates} already stored, "
                f"{stats.near_duplicates} joined a story, {stats.errors} unusable"
            )
            for message in stats.error_messages[:5]:
                self.stdout.write(f"  skipped {message}")
        if embed:
            from seoulhub.radar.tasks import embed_batch

            done = 0
            while n := embed_batch():
                done += n
            self.stdout.write(f"embedded {done} articles")
        elif total.new:
            self._queue_embeddings()
        self.stdout.write(
            f"total: {total.new} new, {total.duplicates} already stored, "
            f"{total.near_duplicates} joined a story, {total.errors} unusable"
        )
        if failures and (url or file or len(failures) == len(sources)):
            raise CommandError("; ".join(failures))

    def _queue_embeddings(self, per_job: int = 1000) -> None:
        """Embeddings are slow (~15 ms each): queue them for `seoulhub worker` (run by `make serve`)."""
        from seoulhub.radar.models import Article

        pending = Article.objects.filter(embedding__isnull=True).count()
        jobs = -(-pending // per_job)
        for _ in range(jobs):
            embed_pending.enqueue(limit=per_job)
        self.stdout.write(f"queued {jobs} embedding jobs ({pending} articles) for `seoulhub worker`")

    def _url_source(self, url: str, name: str | None) -> Source:
        if not url.startswith(("http://", "https://")):
            raise CommandError(f"{url!r} is not an http(s) URL; use --file for a local file")
        from seoulhub.radar.tasks import fetcher
        from seoulhub.radar.ingest.fetch import FetchError

        existing = Source.objects.filter(url=url).first()
        if existing:
            return existing
        try:
            fetcher().check_url(url)  # refuse before creating a source for it
        except FetchError as exc:
            raise CommandError(f"{url}: {exc}") from exc
        return Source.objects.create(url=url, name=name or url.split("//", 1)[1][:200], kind=Source.Kind.RSS)
