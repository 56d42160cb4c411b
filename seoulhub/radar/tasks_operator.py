"""The operator's "test fetch": read a feed address before it is saved, in the worker (never in the
request), and report the feed's title and first items or why it cannot be read."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from .ingest.fetch import FetchError
from .ingest.parse import ParseError, parse_feed

PROBE_TITLES = 5


@task()
def probe_feed(url: str) -> dict:
    from .source_forms import feed_url_problem
    from .tasks import fetcher

    if problem := feed_url_problem(url):
        return {"url": url, "error": problem}
    try:
        result = fetcher().fetch(url)
        feed = parse_feed(
            result.content,
            content_type=result.content_type,
            url=url,
            max_unpacked=settings.SEOULHUB_FEED_MAX_UNPACKED_BYTES,
        )
    except (FetchError, ParseError) as exc:
        return {"url": url, "error": str(exc)}
    return {
        "url": url,
        "title": feed.title[:200],
        "kind": feed.kind,
        "items": len(feed.items),
        "titles": [item.title[:200] for item in feed.items[:PROBE_TITLES]],
    }
