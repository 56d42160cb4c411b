"""The plain-function pipeline: sanitising, canonical URLs, hashes, tokens, tags, relevance."""

import nh3
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from seoulhub.radar.ingest.process import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ItemError,
    ParsedItem,
    canonical_url,
    content_hash,
    html_to_text,
    process_item,
    sanitise_html,
    search_tokens,
)


def test_sanitise_removes_scripts_handlers_and_javascript_links():
    dirty = '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x()">x</a><b>ok</b></p><iframe src=x>'
    clean = sanitise_html(dirty)
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean and "iframe" not in clean
    assert "<b>ok</b>" in clean


@settings(max_examples=2000)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("<>&;#\r\n\x00\xa0\"' abc가"))))
@example("\ufeffabc")  # found by this test: HTML parsing drops a byte order mark that opens the text
def test_sanitising_plain_text_gives_what_nh3_gives(text):
    # sanitise_html skips nh3 for text without markup; it must still be nh3's exact result (or error).
    def outcome(clean):
        try:
            return clean(text)
        except UnicodeEncodeError as exc:  # a lone surrogate
            return type(exc)

    assert outcome(sanitise_html) == outcome(
        lambda raw: nh3.clean(
            raw,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


def test_links_get_rel_noopener():
    assert 'rel="noopener noreferrer nofollow"' in sanitise_html('<a href="https://a.example/">a</a>')


def test_html_to_text_unescapes_and_separates_blocks():
    assert html_to_text("<p>A&amp;B</p><p>C</p>") == "A&B C"


@pytest.mark.parametrize(
    "url,expected",
    [
        ("HTTPS://Example.COM:443/a?utm_source=x&b=2&a=1#top", "https://example.com/a?a=1&b=2"),
        ("http://example.com:80/?fbclid=abc", "http://example.com/"),
        ("https://news.example.kr/view?id=7&gclid=z&ref=rss", "https://news.example.kr/view?id=7"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
    ],
)
def test_canonical_url_strips_tracking(url, expected):
    assert canonical_url(url) == expected


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("AI  Chips", "Text\n here") == content_hash("ai chips", "text here")
    assert content_hash("AI Chips", "a") != content_hash("AI Chips", "b")


def test_korean_item_is_processed():
    item = ParsedItem(
        title="삼성전자, 인공지능 반도체 양산",
        link="https://n.example/1?utm_medium=rss",
        summary_html="<p>삼성전자가 <b>AI 반도체</b> 양산에 들어갔다.</p>",
    )
    p = process_item(item)
    assert p.language == "ko"
    assert "인공지능" in p.search_text.split()  # a user word: one token
    assert p.canonical_url == "https://n.example/1"
    slugs = [m.slug for m in p.technologies]
    assert "ai-semiconductor" in slugs
    assert p.is_digital and p.relevance >= 0.5
    assert p.minhash and len(p.minhash) == 128 * 4


def test_english_item_with_arxiv_categories_adds_category_evidence():
    p = process_item(ParsedItem(title="A new dataset of street scenes", categories=["cs.CV"]))
    cv = next(m for m in p.technologies if m.slug == "computer-vision")
    assert "arXiv cs.CV" in cv.evidence


def test_non_digital_item_is_not_digital():
    p = process_item(ParsedItem(title="국고채 금리 일제히 하락…3년물 연 0.861%"))
    assert not p.is_digital and p.technologies == []


def test_empty_item_is_an_error():
    with pytest.raises(ItemError, match="제목도 본문도 없습니다"):
        process_item(ParsedItem(title="  ", summary_html="<p></p>"))


def test_query_and_document_share_tokens():
    doc = search_tokens("자율주행차 규제가 완화됐다")
    assert set(search_tokens("자율주행차")) <= set(doc)
    assert search_tokens("Neural Networks") == ["neural", "network"]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox(1)",
        "http:no-slashes",
        "/relative/path",
        "ftp://example.org/x",
    ],
)
def test_item_links_other_than_web_addresses_are_not_kept(link):
    processed = process_item(ParsedItem(title="Drone delivery pilot", link=link, guid="g-1"))
    assert processed.url == "" and processed.canonical_url == ""
    assert processed.guid == "g-1"


def test_web_links_are_kept():
    for link in ("https://example.org/a?b=1", "HTTP://Example.org/x"):
        assert process_item(ParsedItem(title="Drone delivery pilot", link=link)).url == link
