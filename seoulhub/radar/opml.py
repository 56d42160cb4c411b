"""OPML 2.0 import and export of radar sources (only gettext from Django in the parsing part: its
errors are shown on Korean pages)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _


class OpmlError(ValueError):
    """The file is not OPML we can read; str() says why."""


@dataclass
class OpmlFeed:
    title: str
    xml_url: str
    html_url: str = ""
    language: str = ""
    kind: str = "rss"


def parse_opml(content: bytes) -> list[OpmlFeed]:
    if b"<!DOCTYPE" in content[:2000] or b"<!ENTITY" in content[:5000]:
        raise OpmlError(_("OPML with a DOCTYPE or entities is refused (entity expansion attacks)"))
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise OpmlError(_("not well-formed XML: %(reason)s") % {"reason": exc}) from exc
    if root.tag.lower() != "opml":
        raise OpmlError(_("the root element is <%(tag)s>, not <opml>") % {"tag": root.tag})
    feeds, seen = [], set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        kind = (outline.get("type") or "rss").lower()
        feeds.append(
            OpmlFeed(
                title=(outline.get("title") or outline.get("text") or url).strip()[:200],
                xml_url=url,
                html_url=(outline.get("htmlUrl") or "").strip(),
                language=(outline.get("language") or "").strip()[:8],
                kind=kind if kind in ("rss", "atom", "json", "arxiv") else "rss",
            )
        )
    return feeds


def build_opml(feeds: list[OpmlFeed], title: str = "Seoul Digital Hub radar sources") -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attrs = {"type": feed.kind, "text": feed.title, "title": feed.title, "xmlUrl": feed.xml_url}
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        if feed.language:
            attrs["language"] = feed.language
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
