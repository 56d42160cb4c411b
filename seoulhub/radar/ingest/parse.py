"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1.0/1.1, arXiv-style listings.

Only gettext from Django (error messages are shown on Korean pages). The arXiv-style listing is the JSON-lines format of arXiv's daily listing
exports (one object per paper: id, title, summary, categories, authors, first_seen or
published), optionally gzipped. Encodings other than UTF-8 are left to feedparser, which reads
the XML declaration (gb2312, ISO-8859-1) and falls back when it lies.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .inflate import GZIP_MAGIC, Damaged, TooLarge, inflate
from .items import ParsedItem
from .process import storable_item

# A gzipped feed or listing may unpack to this much (the largest shipped arXiv listing is 13 MB);
# beyond it parsing stops with an error instead of filling memory (a gzip bomb).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


class ParseError(ValueError):
    """The bytes are not a feed we can read; str() says why."""


@dataclass
class ParsedFeed:
    kind: str  # rss / atom / json / arxiv
    title: str = ""
    link: str = ""
    language: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    warning: str = ""  # a recoverable problem (feedparser's bozo, skipped items), in words
    skipped: int = 0  # items left out because they could not be read


def _struct_to_dt(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _iso_to_dt(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _lang(code) -> str:
    return (code or "").split("-")[0].split("_")[0].lower()[:8]


def parse_feed(
    content: bytes, *, content_type: str = "", url: str = "", max_unpacked: int = MAX_UNPACKED_BYTES
) -> ParsedFeed:
    """The feed in `content`; every item's texts are storable (pipeline.storable_item), so one
    item with a lone surrogate or a NUL cannot fail its siblings later."""
    if not content or not content.strip():
        raise ParseError(_("the feed is empty"))
    if content[:2] == GZIP_MAGIC:
        try:
            content = inflate(content, "gzip", max_unpacked)
        except TooLarge as exc:
            raise ParseError(
                _("the gzip file unpacks to more than %(limit)s bytes, the limit (SEOULHUB_FEED_MAX_UNPACKED_BYTES)")
                % {"limit": f"{max_unpacked:,}"}
            ) from exc
        except Damaged as exc:
            raise ParseError(_("the gzip file is damaged: %(reason)s") % {"reason": exc}) from exc
    feed = _parse_unpacked(content, url)
    feed.items = [storable_item(item) for item in feed.items]
    return feed


def _parse_unpacked(content: bytes, url: str) -> ParsedFeed:
    head = content.lstrip()[:200]
    if head.startswith(b"{") or head.startswith(b"["):
        first_line = content.lstrip().split(b"\n", 1)[0]
        try:
            first = json.loads(first_line)
        except ValueError:
            first = None
        if isinstance(first, dict) and "version" not in first and ("categories" in first and "id" in first):
            return parse_arxiv_listing(content)
        return parse_json_feed(content)
    return parse_with_feedparser(content, url=url)


def parse_with_feedparser(content: bytes, *, url: str = "") -> ParsedFeed:
    # Without a Content-Type feedparser flags every local file as bozo; application/xml lets the
    # XML declaration decide the encoding (gb2312, ISO-8859-1), as it would for a real response.
    headers = {"content-type": "application/xml"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(content, response_headers=headers)
    if parsed.bozo and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise ParseError(_("not a readable RSS/Atom feed: %(reason)s") % {"reason": problem or _("no entries found")})
    version = parsed.get("version", "") or ""
    feed = ParsedFeed(
        kind="atom" if version.startswith("atom") else "rss",
        title=parsed.feed.get("title", ""),
        link=parsed.feed.get("link", ""),
        language=_lang(parsed.feed.get("language")),
    )
    if parsed.bozo:
        feed.warning = _("the feed is not well-formed (%(reason)s); entries read anyway") % {
            "reason": parsed.get("bozo_exception")
        }
    if not parsed.entries and not version:
        raise ParseError(_("not an RSS, Atom or JSON feed (no channel or entries found)"))
    for entry in parsed.entries:
        content_html = ""
        if entry.get("content"):
            content_html = max((c.get("value", "") for c in entry.content), key=len)
        author = entry.get("author", "")
        feed.items.append(
            ParsedItem(
                title=entry.get("title", ""),
                link=entry.get("link", ""),
                guid=entry.get("id", "") or entry.get("link", ""),
                summary_html=entry.get("summary", ""),
                content_html=content_html,
                author=author,
                published_at=_struct_to_dt(entry.get("published_parsed") or entry.get("updated_parsed")),
                categories=[t.get("term", "") for t in entry.get("tags", []) if t.get("term")],
                language=_lang(
                    entry.get("language") or (entry.get("summary_detail") or {}).get("language") or feed.language
                ),
            )
        )
    return feed


def parse_json_feed(content: bytes) -> ParsedFeed:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ParseError(_("not valid JSON: %(reason)s") % {"reason": exc}) from exc
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise ParseError(_("JSON without a JSON Feed version (https://jsonfeed.org/version/1.1)"))
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError(_("the JSON Feed has no items list"))
    language = data.get("language")
    feed = ParsedFeed(
        kind="json",
        title=str(data.get("title", "")),
        link=str(data.get("home_page_url", "")),
        language=_lang(language) if isinstance(language, str) else "",
    )
    bad = 0
    for raw in items:
        try:
            feed.items.append(_json_feed_item(raw, feed.language))
        except (TypeError, ValueError, AttributeError):  # one malformed item never blocks its siblings
            bad += 1
    if bad:
        feed.skipped = bad
        feed.warning = ngettext("%(count)s unreadable item skipped", "%(count)s unreadable items skipped", bad) % {
            "count": bad
        }
    return feed


def _json_feed_item(raw, feed_language: str) -> ParsedItem:
    if not isinstance(raw, dict):
        raise TypeError("a JSON Feed item is an object")
    authors = raw.get("authors") or ([raw["author"]] if isinstance(raw.get("author"), dict) else [])
    tags = raw.get("tags") or []
    language = raw.get("language")
    return ParsedItem(
        title=str(raw.get("title") or ""),
        link=str(raw.get("url") or raw.get("external_url") or ""),
        guid=str(raw.get("id") or ""),
        summary_html=str(raw.get("summary") or ""),
        content_html=str(raw.get("content_html") or raw.get("content_text") or ""),
        author=", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict)),
        published_at=_iso_to_dt(raw.get("date_published") or raw.get("date_modified")),
        categories=[str(t) for t in (tags if isinstance(tags, list) else []) if t],
        language=_lang(language) if isinstance(language, str) else feed_language,
    )


def parse_arxiv_listing(content: bytes) -> ParsedFeed:
    feed = ParsedFeed(kind="arxiv", title="arXiv listing", link="https://arxiv.org/", language="en")
    bad = 0
    for n, line in enumerate(content.decode("utf-8", errors="replace").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            raw = json.loads(line)
        except ValueError:
            bad += 1
            continue
        if not isinstance(raw, dict) or not raw.get("id"):
            bad += 1
            continue
        arxiv_id = str(raw["id"])
        date = raw.get("published") or raw.get("first_seen")
        published = _iso_to_dt(date + "T00:00:00+00:00" if date and len(date) == 10 else date)
        feed.items.append(
            ParsedItem(
                title=str(raw.get("title", "")).replace("\n", " "),
                link=str(raw.get("abs") or f"https://arxiv.org/abs/{arxiv_id}"),
                guid=f"arxiv:{arxiv_id}",
                summary_html=str(raw.get("summary") or ""),
                author=", ".join(map(str, raw.get("authors") or [])),
                published_at=published,
                categories=[c for c in raw.get("categories", []) if isinstance(c, str) and "." in c],
                language="en",
            )
        )
    if not feed.items:
        raise ParseError(_("no arXiv records found (%(count)s unreadable lines)") % {"count": bad})
    if bad:
        feed.skipped = bad
        feed.warning = ngettext("%(count)s unreadable line skipped", "%(count)s unreadable lines skipped", bad) % {
            "count": bad
        }
    return feed
