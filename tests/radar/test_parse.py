"""Parsing real feeds: RSS 0.91/1.0/2.0, Atom, JSON Feed, arXiv listings, non-UTF-8, broken."""

import gzip
import json

import pytest
from django.utils import translation

from seoulhub.radar.ingest.parse import ParseError, parse_feed

from .conftest import fixture_bytes


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source wording; the stored and shown text is Korean by default
    (test_error_language.py, test_import_language.py, test_support_pages.py)."""
    with translation.override("en"):
        yield


def test_gb2312_feed_is_decoded_to_chinese():
    feed = parse_feed(fixture_bytes("netnewswire/kc0011.rss"))
    assert len(feed.items) == 20
    assert feed.items[0].title == "建国35周年纪念，华表，和平鸽"


def test_iso_8859_1_feed_keeps_umlauts():
    feed = parse_feed(fixture_bytes("feed-rs/rss_1.0_iso8859.xml"))
    assert "Glasfaserförder" in feed.items[0].title


def test_broken_feed_is_refused_with_reason():
    with pytest.raises(ParseError, match="not a readable RSS/Atom feed"):
        parse_feed(fixture_bytes("feed-rs/rss_2.0_invalid_1.xml"))


def test_not_well_formed_feed_with_entries_is_read_with_warning():
    feed = parse_feed(fixture_bytes("newsblur/slashdot1.xml"))
    assert feed.kind == "atom" and len(feed.items) == 38
    assert "not well-formed" in feed.warning
    assert all(item.published_at is not None for item in feed.items)


def test_json_feed_items():
    feed = parse_feed(fixture_bytes("feed-rs/jsonfeed_elastic_1.1.json"))
    assert feed.kind == "json" and len(feed.items) == 3
    assert feed.items[0].title.startswith("InfluxDB vs. Graphite")
    assert feed.items[0].link.startswith("http")


def test_rss_091_and_rdf():
    assert (
        parse_feed(fixture_bytes("feed-rs/rss_0.91_encoding_1.xml")).items[0].title == "bash - Expansão de Parâmetros"
    )
    assert len(parse_feed(fixture_bytes("netnewswire/bio.rdf")).items) == 30


def test_arxiv_listing_with_dates_and_categories():
    lines = gzip.open("data/arxiv/arxiv_cs_full_2025-10.jsonl.gz").read().splitlines()[:5]
    feed = parse_feed(b"\n".join(lines))
    first = json.loads(lines[0])
    assert feed.kind == "arxiv" and len(feed.items) == 5
    assert feed.items[0].guid == f"arxiv:{first['id']}"
    assert feed.items[0].published_at.date().isoformat() == first["first_seen"]
    assert set(feed.items[0].categories) <= set(first["categories"])


def test_gzipped_listing_is_read():
    feed = parse_feed(open("data/feeds/arxiv_cs_titles_every20th.jsonl.gz", "rb").read())
    assert len(feed.items) == 3737


@pytest.mark.parametrize("content", [b"", b"   ", b"hello, not a feed", b'{"version": "nope"}'])
def test_garbage_is_refused(content):
    with pytest.raises(ParseError):
        parse_feed(content)
