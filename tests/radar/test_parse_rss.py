"""RSS 2.0 as feedparser reads it: real Korean headlines, texts with "&" and "<" that are not
markup, descriptions with markup, encodings, permalink GUIDs and dates."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from seoulhub.radar.ingest.parse import parse_feed
from seoulhub.radar.ingest.process import html_to_text, sanitise_html

REPO = Path(__file__).resolve().parents[2]


def rss(items: str, channel: str = "<title>T</title><language>ko</language>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()
    )


def test_real_korean_headline_feed_is_read_whole():
    feed = parse_feed((REPO / "data" / "feeds" / "klue-ynat-it-economy.xml").read_bytes())
    assert (feed.kind, feed.language, feed.link) == ("rss", "ko", "https://github.com/KLUE-benchmark/KLUE")
    assert len(feed.items) == 961 and not feed.warning
    first = feed.items[0]
    assert (first.title, first.guid, first.categories, first.language) == (
        "항응고제 성분 코로나19에 효과…세포실험서 확인",
        "klue-ynat-v1.1-dev-00002",
        ["IT과학"],
        "ko",
    )
    assert len({item.guid for item in feed.items}) == 961


def test_ampersands_and_brackets_in_plain_text_stay_text():
    texts = ["KT&G 사장 선임", "<레이> 다시 보니 좋다", "1 < 2 그리고 x > y", "R&D 예산", "별로였다 <!"]
    feed = parse_feed(
        rss(
            "".join(
                f"<item><title>{escape(t)}</title><description>{escape(t)}</description>"
                f'<guid isPermaLink="false">{n}</guid></item>'
                for n, t in enumerate(texts)
            )
        )
    )
    assert [item.title for item in feed.items] == texts
    assert [html_to_text(sanitise_html(item.summary_html)) for item in feed.items] == texts


def test_a_description_with_markup_keeps_it_and_is_sanitised_on_the_way_in():
    feed = parse_feed(
        rss(
            "<item><title>x</title><description>&lt;p&gt;an &lt;b&gt;HTML&lt;/b&gt; lead&lt;script&gt;"
            'alert(1)&lt;/script&gt;&lt;/p&gt;</description><guid isPermaLink="false">2</guid></item>'
        )
    )
    summary = feed.items[0].summary_html
    assert "<b>HTML</b>" in summary and "script" not in sanitise_html(summary)
    assert html_to_text(sanitise_html(summary)) == "an HTML lead"


def test_a_declared_latin_1_feed_keeps_its_umlauts():
    latin1 = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><title>Förder</title>'
        "</item></channel></rss>"
    ).encode("latin-1")
    assert parse_feed(latin1).items[0].title == "Förder"


def test_a_permalink_guid_is_the_link_as_in_rss_2():
    content = rss(
        "<item><title>a</title><guid>https://example.org/a</guid></item>"
        '<item><title>b</title><guid isPermaLink="false">b-1</guid></item>'
    )
    items = parse_feed(content).items
    assert [(i.link, i.guid) for i in items] == [("https://example.org/a", "https://example.org/a"), ("", "b-1")]


def test_a_relative_link_is_resolved_against_the_feed_url():
    content = rss("<item><title>a</title><link>/news/1</link></item>", channel="<title>T</title>")
    assert parse_feed(content, url="https://example.org/feed.xml").items[0].link == "https://example.org/news/1"


plain_texts = st.lists(
    st.sampled_from(["인공지능", "KT&G", "R&D", "1 < 2", "x > y", "<레이>", "drone", "데이터"]), min_size=1, max_size=6
).map(" ".join)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2035, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))]),
)
languages = st.sampled_from([("", ""), ("<language>ko</language>", "ko"), ("<language>en-US</language>", "en")])


def rfc822(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S %z")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(plain_texts, plain_texts, moments), min_size=1, max_size=5), languages)
def test_plain_items_read_back_as_written(rows, language):
    declared, code = language
    content = rss(
        "".join(
            f"<item><title>{escape(t)}</title><link>https://example.org/{n}</link>"
            f"<description>{escape(d)}</description><pubDate>{rfc822(m)}</pubDate></item>"
            for n, (t, d, m) in enumerate(rows)
        ),
        channel=f"<title>T</title>{declared}",
    )
    feed = parse_feed(content)
    assert feed.language == code
    assert [(i.title, i.link, i.published_at) for i in feed.items] == [
        (t, f"https://example.org/{n}", m.astimezone(UTC).replace(microsecond=0)) for n, (t, _, m) in enumerate(rows)
    ]
    assert [html_to_text(sanitise_html(i.summary_html)) for i in feed.items] == [d for _, d, _ in rows]
