"""The plain RSS 2.0 reader gives the articles feedparser's reading gives, or hands the feed over."""

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from seoulhub.radar.parse import parse_feed, parse_with_feedparser, parse_xml_feed
from seoulhub.radar.pipeline import html_to_text, sanitise_html
from seoulhub.radar.plainrss import read_plain_rss

from .conftest import fixture_bytes

REPO = Path(__file__).resolve().parents[2]
KLUE_NER = REPO.parent / "shared" / "data" / "klue-ner-dev" / "klue-ner-v1.1_dev.tsv"


def assert_same_articles(fast_items, feedparser_items):
    """Field by field, except that descriptions need only sanitise and read the same."""
    assert len(fast_items) == len(feedparser_items)
    for fast, slow in zip(fast_items, feedparser_items):
        assert dataclasses.replace(fast, summary_html="") == dataclasses.replace(slow, summary_html="")
        assert sanitise_html(fast.summary_html) == sanitise_html(slow.summary_html)
        assert html_to_text(fast.summary_html) == html_to_text(slow.summary_html)


def rss(items: str, channel: str = "<title>T</title><language>ko</language>") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}{items}</channel></rss>'
            .encode())


def klue_ner_feed(sentences: int) -> bytes:
    """Real Korean sentences (KLUE-NER, with "KT&G", "<레이>", "<!"), as the ingest benchmark writes them."""
    items = []
    for line in KLUE_NER.open(encoding="utf-8"):
        if line.startswith("## klue-ner"):
            guid, _, marked = line[3:].rstrip("\n").partition("\t")
            import re

            text = re.sub(r"<([^<>:]+):[A-Z]{2}>", r"\1", marked)
            items.append(f"<item><title>{escape(text[:60])}</title><guid isPermaLink=\"false\">{escape(guid)}</guid>"
                         f"<description>{escape(text)}</description></item>")
            if len(items) == sentences:
                break
    return rss("".join(items))


def test_real_korean_headline_feed_is_read_plainly_as_feedparser_reads_it():
    content = (REPO / "data" / "feeds" / "klue-ynat-it-economy.xml").read_bytes()
    plain = read_plain_rss(content)
    assert plain is not None and not any(isinstance(item, bytes) for item in plain[3])
    feed, reference = parse_feed(content), parse_with_feedparser(content)
    assert (feed.title, feed.link, feed.language) == (reference.title, reference.link, reference.language)
    assert_same_articles(feed.items, reference.items)


def test_real_sentences_with_ampersands_and_brackets_read_as_feedparser_reads_them():
    content = klue_ner_feed(5000)
    plain = read_plain_rss(content)
    assert plain is not None
    odd = [item for item in plain[3] if isinstance(item, bytes)]
    assert len(odd) == 1 and "<!".encode() in odd[0].replace(b"&lt;", b"<")  # the review ending in "<!"
    assert_same_articles(parse_feed(content).items, parse_with_feedparser(content).items)
    assert any("KT&G" in item.title for item in parse_feed(content).items)


def test_an_item_with_markup_is_read_by_feedparser_and_the_rest_plainly():
    content = rss("<item><title>plain</title><guid isPermaLink=\"false\">1</guid></item>"
                  "<item><title>x</title><description>&lt;p&gt;an &lt;b&gt;HTML&lt;/b&gt; lead&lt;script&gt;"
                  "alert(1)&lt;/script&gt;&lt;/p&gt;</description><guid isPermaLink=\"false\">2</guid></item>")
    kinds = [type(item) for item in read_plain_rss(content)[3]]
    assert kinds[1] is bytes and kinds[0] is not bytes
    feed = parse_feed(content)
    assert_same_articles(feed.items, parse_with_feedparser(content).items)
    assert "<b>HTML</b>" in feed.items[1].summary_html and "script" not in sanitise_html(feed.items[1].summary_html)


def test_feeds_outside_the_plain_shape_go_to_feedparser():
    namespaced = rss('<item><title>a</title><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">x</dc:creator></item>')
    doctype = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "x">]><rss version="2.0"><channel><item><title>&e;</title></item></channel></rss>'
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><title>Förder</title></item></channel></rss>'.encode("latin-1")
    relative = rss("<item><title>a</title><link>/news/1</link></item>", channel="<title>T</title><link>/</link>")
    for content in (namespaced, doctype, latin1, relative, fixture_bytes("feed-rs/rss_1.0_iso8859.xml"),
                    fixture_bytes("feed-rs/atom_example_2.xml"), fixture_bytes("netnewswire/kc0011.rss")):
        assert read_plain_rss(content) is None
    assert parse_feed(latin1).items[0].title == "Förder"


def test_a_permalink_guid_is_the_link_as_in_rss_2():
    content = rss('<item><title>a</title><guid>https://example.org/a</guid></item>'
                  '<item><title>b</title><guid isPermaLink="false">b-1</guid></item>')
    items = parse_feed(content).items
    assert [(i.link, i.guid) for i in items] == [("https://example.org/a", "https://example.org/a"), ("", "b-1")]
    assert_same_articles(items, parse_with_feedparser(content).items)


WORDS = ["인공지능", "KT&G", "R&D", "AT&T", "&copy", "&amp;", "&#65;", "a&b;c", "<레이>", "<b>bold</b>", "1 < 2",
         "x > y", "<!", "<?", "</p>", "  ", "\n", "\t", "Q&A", "&nbsp", "\"q\"", "'s", "데이터", "drone"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet="aZ가 &<>;#!/?1", max_size=6)),
                 max_size=6).map("".join)
plain_texts = st.lists(st.sampled_from(["인공지능", "KT&G", "R&D", "1 < 2", "x > y", "<레이>", "drone", " ", "데이터"]),
                       max_size=6).map("".join)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 1, 1),
                       timezones=st.sampled_from([UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))]))


def rfc822(moment: datetime, zone_name: str = "") -> str:
    offset = moment.strftime("%z")
    return moment.strftime("%a, %d %b %Y %H:%M:%S ") + (zone_name or offset)


dates = st.one_of(st.just(""), moments.map(rfc822), moments.map(lambda m: rfc822(m.astimezone(UTC), "GMT")),
                  moments.map(lambda m: rfc822(m, "KST")), moments.map(lambda m: m.isoformat()))
links = st.sampled_from(["", "https://example.org/a", "http://example.org/b?x=1&y=2", "/relative", "example"])
guids = st.tuples(st.sampled_from(["", "g-1", "https://example.org/a", "https://example.org/c"]),
                  st.sampled_from([None, "true", "false", "TRUE"]))


@st.composite
def items(draw, text=texts):
    parts = []
    if title := draw(text):
        parts.append(f"<title>{escape(title)}</title>")
    if link := draw(links):
        parts.append(f"<link>{escape(link)}</link>")
    guid, permalink = draw(guids)
    if guid:
        attribute = "" if permalink is None else f" isPermaLink={quoteattr(permalink)}"
        parts.append(f"<guid{attribute}>{escape(guid)}</guid>")
    if description := draw(text):
        parts.append(f"<description>{escape(description)}</description>")
    if date := draw(dates):
        parts.append(f"<pubDate>{escape(date)}</pubDate>")
    for category in draw(st.lists(text, max_size=2)):
        parts.append(f"<category>{escape(category)}</category>")
    if author := draw(text):
        parts.append(f"<author>{escape(author)}</author>")
    order = draw(st.permutations(parts))
    return "<item>" + "".join(order) + "</item>"


languages = st.sampled_from(["", "<language>ko</language>", "<language>en-US</language>"])


@settings(max_examples=300, deadline=None)
@given(st.lists(items(), min_size=1, max_size=4), languages, texts)
def test_whatever_the_plain_reader_accepts_reads_as_feedparser_reads_it(feed_items, language, title):
    content = rss("".join(feed_items), channel=f"<title>{escape(title)}</title>{language}")
    if read_plain_rss(content) is None:
        return
    feed, reference = parse_xml_feed(content), parse_with_feedparser(content)
    assert (feed.title, feed.link, feed.language) == (reference.title, reference.link, reference.language)
    assert_same_articles(feed.items, reference.items)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(plain_texts, plain_texts, moments), min_size=1, max_size=5), languages)
def test_plain_items_are_read_without_feedparser(rows, language):
    content = rss("".join(f"<item><title>{escape(t)}</title><link>https://example.org/{n}</link>"
                          f"<description>{escape(d)}</description><pubDate>{rfc822(m)}</pubDate></item>"
                          for n, (t, d, m) in enumerate(rows)), channel=f"<title>T</title>{language}")
    plain = read_plain_rss(content)
    assert plain is not None and not any(isinstance(item, bytes) for item in plain[3])
    assert [item.published_at for item in plain[3]] == [m.astimezone(UTC).replace(microsecond=0) for _, _, m in rows]
    assert_same_articles(parse_xml_feed(content).items, parse_with_feedparser(content).items)
