"""Plain-function processing of one feed item: parsed item -> every stored field of an Article.

Only gettext from Django (error messages are shown on Korean pages): the ingest task stores the result in one transaction, and the search
helper builds documents and queries with `search_tokens`. Heavy pieces live in seoulhub.text.
Embeddings are not computed here (see text.embed: ~10 ms per headline); tasks.embed_pending
fills them in batches after the articles are stored, and with each vector replaces the
provisional relevance computed here (alias evidence only) by the final one (text.relevance).
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3
from django.utils.translation import gettext as _

from seoulhub.text import keywords as keywords_mod
from seoulhub.text import compounds, korean, language, minhash, normalise
from seoulhub.text import relevance as learned
from seoulhub.text.techfeatures import feature_hits, feature_score
from seoulhub.text.techtag import TechMatch, TechnologyTagger, default_tagger

from .items import ItemError, ParsedItem, ProcessedItem

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|"
    r"spm|ref|ref_src|ref_url|cmpid|campaign|feature|si|s_cid|oly_enc_id|oly_anon_id|vero_id|"
    r"__twitter_impression|rss|from|ocid|cid|share|smid|src|output)$",
    re.IGNORECASE,
)
MAX_TOKENISED_CHARS = 6000  # beyond the lead, more text adds time, not better tokens

# Words that signal digital technology without naming one taxonomy technology. Each is a
# "model feature" in the evidence; each adds a small, capped amount to relevance.
CONTEXT_TERMS_KO = (
    "디지털",
    "스마트폰",
    "갤럭시",
    "아이폰",
    "애플",
    "구글",
    "네이버",
    "카카오",
    "카카오톡",
    "통신사",
    "SKT",
    "KT",
    "LG유플러스",
    "과기정통부",
    "과기부",
    "과학기술정보통신부",
    "인터넷",
    "온라인",
    "스타트업",
    "데이터",
    "알고리즘",
    "컴퓨팅",
    "서버",
    "해커",
    "사이버",
    "모바일",
    "테크",
    "넷플릭스",
    "유튜브",
    "페이스북",
    "트위터",
    "포털",
    "IT",
    "ICT",
    "전산",
    "와이파이",
    "요금제",
    "단말기",
    "폴더블",
    "태블릿",
    "노트북",
    "PC",
    "엔씨소프트",
    "넥슨",
    "넷마블",
    "삼성전자",
    "SK하이닉스",
    "LG전자",
    "화웨이",
    "샤오미",
    "MS",
    "마이크로소프트",
    "아마존",
    "테슬라",
    "엔비디아",
    "인텔",
    "퀄컴",
    "ETRI",
    "전자",
    "기술",
    "센서",
)
CONTEXT_TERMS_EN = (
    "digital",
    "internet",
    "online",
    "smartphone",
    "smartphones",
    "computer",
    "computers",
    "computing",
    "algorithm",
    "algorithms",
    "data",
    "dataset",
    "datasets",
    "tech",
    "technology",
    "startup",
    "startups",
    "google",
    "apple",
    "microsoft",
    "meta",
    "amazon",
    "samsung",
    "nvidia",
    "intel",
    "openai",
    "model",
    "models",
    "benchmark",
    "network",
    "networks",
    "web",
    "mobile",
    "sensor",
    "sensors",
    "pixel",
    "video",
    "image",
    "images",
    "token",
    "tokens",
    "inference",
    "training",
    "neural",
)
CONTEXT_WEIGHT = 0.12
CONTEXT_CAP = 5


# Without these a string has no markup for nh3 to remove and nothing its serialiser would escape
# or normalise (it writes "&amp;", "&lt;", "&gt;", "&nbsp;", reads "\r" and NUL as HTML does, and
# drops a byte order mark that opens the text). Lone surrogates and NUL never get here
# (storable_text removes them first).
_HTML_SPECIAL = re.compile("[<>&\r\x00\xa0\ud800-\udfff]|^\ufeff")

# What no stored text may hold: a lone surrogate (a JSON string can carry one; nh3, UTF-8 and both
# databases refuse it, so one such item used to fail its whole feed) becomes U+FFFD; NUL
# (PostgreSQL refuses it) and the other C0 controls but tab and line breaks are dropped.
_UNSTORABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _storable_char(match: re.Match) -> str:
    return "\ufffd" if match.group() >= "\ud800" else ""


def storable_text(value: str) -> str:
    """`value` without lone surrogates and control characters (see _UNSTORABLE)."""
    if not value or not _UNSTORABLE.search(value):
        return value
    return _UNSTORABLE.sub(_storable_char, value)


def sanitise_html(raw: str) -> str:
    if not raw:
        return ""
    if not _HTML_SPECIAL.search(raw):  # plain text (most abstracts): nh3 would give it back unchanged
        return raw
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_BLOCK_END = re.compile(r"</(p|div|li|h\d|tr|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(raw: str) -> str:
    if not raw:
        return ""
    if "<" not in raw and "&" not in raw:
        return " ".join(raw.split())
    marked = _BLOCK_END.sub(" \n ", raw)
    stripped = nh3.clean(marked, tags=set(), attributes={})
    return " ".join(html.unescape(stripped).split())


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, no default port, fragment or tracking parameters, sorted query."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, 80 if parts.scheme == "http" else 443) else f"{host}:{port}"
    query = parts.query
    if query:  # most links have none, and parsing an empty query only gives "" back
        query = urlencode(
            sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not TRACKING_PARAMS.match(k))
        )
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def web_link(link: str) -> str:
    """An item's link if it is an absolute http(s) address, else "". Feeds can carry javascript:,
    data: or vbscript: links; stored, every page that shows the article would render them as a
    clickable href (a stored XSS)."""
    link = (link or "").strip()
    try:
        scheme = urlsplit(link).scheme.lower()
    except ValueError:
        return ""
    return link if scheme in ("http", "https") and "//" in link[:8] else ""


def content_hash(title: str, text: str) -> str:
    """sha256 of the case-folded, space-collapsed title and text: the exact-duplicate key."""
    norm = " ".join(unicodedata.normalize("NFKC", f"{title}\n{text}").casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def search_tokens(text: str) -> list[str]:
    """The normalised token stream of documents and queries alike (Kiwi for Hangul, else Latin rules)."""
    text = (text or "")[:MAX_TOKENISED_CHARS]
    if _HANGUL.search(text):
        return korean.tokens(text)
    return normalise.latin_tokens(text)


def _title_and_body_tokens(title: str, text: str) -> tuple[list[str], list[str]]:
    if not text or text == title:
        return search_tokens(title), []
    body = text[:MAX_TOKENISED_CHARS]
    if _HANGUL.search(title) and _HANGUL.search(body):
        return korean.tokens_of_parts(title, body)
    return search_tokens(title), search_tokens(body)


_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_ASCII_NON_LETTER_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})
# (term, whether it is matched as a whole ASCII word rather than as a substring)
_CONTEXT_TERMS_KO_MATCHING = tuple(
    (term, term.isascii()) for term in CONTEXT_TERMS_KO if term.isascii() or len(term) >= 2
)


def _context_hits(text: str, lang: str) -> list[str]:
    korean = lang == "ko" or (not text.isascii() and _HANGUL.search(text) is not None)
    if korean:
        words = set(_ASCII_LETTERS.findall(text))  # case kept: KT, IT, MS are acronyms only in capitals
        lower = {w.lower() for w in words}
    elif text.isascii():
        # The same lower-cased words, split in C rather than by a regex and a set comprehension.
        lower = set(text.lower().translate(_ASCII_NON_LETTER_TO_SPACE).split())
    else:
        lower = {w.lower() for w in _ASCII_LETTERS.findall(text)}
    hits = [t for t in CONTEXT_TERMS_EN if t in lower]
    if korean and len(hits) < CONTEXT_CAP:  # beyond the cap more hits change nothing
        for term, whole_word in _CONTEXT_TERMS_KO_MATCHING:
            found = term in words if whole_word else term in text
            if found:
                hits.append(term)
    return hits[:CONTEXT_CAP]


STRONG_CONTEXT = frozenset(
    {
        "스마트폰",
        "갤럭시",
        "아이폰",
        "카카오톡",
        "유튜브",
        "넷플릭스",
        "노트북",
        "태블릿",
        "폴더블",
        "단말기",
        "요금제",
        "과기정통부",
        "과학기술정보통신부",
        "ETRI",
        "SK하이닉스",
        "엔비디아",
        "퀄컴",
        "해커",
        "알고리즘",
        "컴퓨팅",
        "서버",
        "smartphone",
        "smartphones",
        "algorithm",
        "algorithms",
        "computing",
        "computer",
        "computers",
        "openai",
        "nvidia",
    }
)
STRONG_CONTEXT_WEIGHT = 0.3
FEATURE_RELEVANCE_SHARE = 0.5  # cue words say less about "digital" than about which technology


def relevance(
    technologies: list[TechMatch], context_hits: list[str], features: dict[str, list[str]] | None = None
) -> float:
    """1 - P(no signal): each alias-based technology score, each context word and (at half
    strength) each technology's cue words are independent evidence."""
    miss = 1.0
    for match in technologies:
        miss *= 1 - match.score
    for term in context_hits[:CONTEXT_CAP]:
        miss *= 1 - (STRONG_CONTEXT_WEIGHT if term in STRONG_CONTEXT else CONTEXT_WEIGHT)
    for cues in (features or {}).values():
        miss *= 1 - FEATURE_RELEVANCE_SHARE * feature_score(len(cues))
    return round(1 - miss, 4)


def evidence_features(
    alias_techs: list[TechMatch],
    context_hits: list[str],
    features: dict[str, list[str]],
    tagger: TechnologyTagger,
    *,
    english: bool = False,
    ngram_score: float = 0.0,
) -> list[float]:
    """The learned model's alias-evidence features (text.relevance.EVIDENCE_FEATURES) of one text."""
    weights = {alias: tagger.alias_weight(alias) for match in alias_techs for alias in match.evidence}
    strong_context = sum(1 for term in context_hits if term in STRONG_CONTEXT)
    cues = {cue for hits in features.values() for cue in hits}
    # The rule score leaves out technologies named by generic words only, so that a weak alias
    # enters the model through weak_aliases alone (and RelevanceModel can take it out).
    named = [m for m in alias_techs if any(weights[a] > learned.WEAK_WEIGHT for a in m.evidence)]
    named_or_cued = len({m.slug for m in named} | set(features))
    return learned.evidence_features(
        list(weights.values()),
        strong_context,
        len(context_hits) - strong_context,
        len(cues),
        named_or_cued,
        relevance(named, context_hits, features),
        english=english,
        ngram_score=ngram_score,
    )


def text_evidence(
    title: str, text: str = "", *, language_hint: str = "", tagger: TechnologyTagger | None = None, ngram: bool = True
) -> dict:
    """Everything classify_text reports except the verdict: language, technologies (+ evidence),
    context words, cue words and the learned model's evidence features. ngram=False leaves the
    n-gram score at 0 (training computes its own, out of fold)."""
    tagger = tagger or default_tagger()
    body = f"{title}\n{text[:MAX_TOKENISED_CHARS]}".strip()
    lang = language.detect(body, hint=language_hint)
    alias_techs = tagger.tag(body)
    features = feature_hits(body)
    techs = merge_feature_evidence(alias_techs, features)
    context = _context_hits(body, lang)
    return {
        "language": lang,
        "technologies": techs,
        "context": context,
        "alias_technologies": alias_techs,
        "features": features,
        "evidence_features": evidence_features(
            alias_techs,
            context,
            features,
            tagger,
            english=lang == "en",
            ngram_score=learned.default_model().ngram_score(title or text) if ngram else 0.0,
        ),
    }


def classify_text(
    title: str, text: str = "", *, language_hint: str = "", tagger: TechnologyTagger | None = None
) -> dict:
    """What `seoulhub classify` prints: language, digital, relevance, technologies (+ evidence).

    `relevance` here is the provisional (evidence-only) probability of text.relevance;
    `final_verdict` gives the final one once the text's sentence vector is known."""
    verdict = text_evidence(title, text, language_hint=language_hint, tagger=tagger, ngram=False)
    score, digital = learned.default_model().provisional_verdict(verdict["evidence_features"], verdict["language"])
    verdict.update(relevance=score, digital=digital)
    return verdict


def final_verdict(
    evidence: list[float], vector, lang: str, *, title: str | None = None, text: str = ""
) -> tuple[float, bool]:
    """(relevance, digital) from the learned model on alias evidence, the n-gram score and the
    sentence vector. classify_text leaves the n-gram score out (the per-item verdict does not use
    it): pass its title (and text) to have it computed here."""
    model = learned.default_model()
    if title is not None:
        evidence = list(evidence)
        evidence[learned.EVIDENCE_FEATURES.index("ngram_score")] = model.ngram_score(title or text)
    return model.final_verdict(evidence, vector, lang)


ARXIV_CATEGORY_SCORE = 0.8


def merge_feature_evidence(techs: list[TechMatch], hits: dict[str, list[str]]) -> list[TechMatch]:
    """Combine alias matches with cue-word features (text.techfeatures) as independent evidence."""
    by_slug = {m.slug: m for m in techs}
    for slug, cues in hits.items():
        extra = feature_score(len(cues))
        evidence = [f"feature: {c}" for c in cues]
        old = by_slug.get(slug)
        if old is None:
            by_slug[slug] = TechMatch(slug, round(extra, 4), evidence)
        else:
            by_slug[slug] = TechMatch(slug, round(1 - (1 - old.score) * (1 - extra), 4), [*old.evidence, *evidence])
    return sorted(by_slug.values(), key=lambda m: (-m.score, m.slug))


def merge_category_evidence(techs: list[TechMatch], categories: list[str], tagger: TechnologyTagger) -> list[TechMatch]:
    """Add the technologies whose arXiv categories the item carries (a feed's own labels are evidence)."""
    hits: dict[str, list[str]] = {}
    for category in categories:
        for slug in tagger.slugs_by_arxiv_category.get(category, ()):
            if category not in hits.setdefault(slug, []):
                hits[slug].append(category)
    if not hits:
        return techs
    by_slug = {m.slug: m for m in techs}
    for slug, slug_categories in hits.items():
        evidence = [f"arXiv {c}" for c in slug_categories]
        old = by_slug.get(slug)
        if old is None:
            by_slug[slug] = TechMatch(slug, ARXIV_CATEGORY_SCORE, evidence)
        else:
            score = round(1 - (1 - old.score) * (1 - ARXIV_CATEGORY_SCORE), 4)
            by_slug[slug] = TechMatch(slug, score, [*old.evidence, *evidence])
    return sorted(by_slug.values(), key=lambda m: (-m.score, m.slug))


def storable_item(item: ParsedItem) -> ParsedItem:
    """`item` with storable_text in every text field (the same object when nothing changes)."""
    texts = (item.title, item.link, item.guid, item.summary_html, item.content_html, item.author)
    categories = item.categories
    if not any(_UNSTORABLE.search(t) for t in texts if t) and not any(
        _UNSTORABLE.search(c) for c in categories if isinstance(c, str)
    ):
        return item
    title, link, guid, summary_html, content_html, author = (storable_text(t or "") for t in texts)
    return replace(
        item,
        title=title,
        link=link,
        guid=guid,
        summary_html=summary_html,
        content_html=content_html,
        author=author,
        categories=[storable_text(c) for c in categories if isinstance(c, str)],
    )


def process_item(item: ParsedItem, *, language_hint: str = "", tagger: TechnologyTagger | None = None) -> ProcessedItem:
    """Every stored field of one item except the embedding. Raises ItemError for an empty item."""
    item = storable_item(item)
    summary_html = sanitise_html(item.summary_html)
    body_html = item.content_html or item.summary_html
    text = html_to_text(body_html)
    title = html_to_text(item.title)[:1000]
    if not title and not text:
        raise ItemError(_("the item has neither a title nor any text"))
    if not title:
        title = text[:120] + ("…" if len(text) > 120 else "")
    verdict = classify_text(title, text, language_hint=item.language or language_hint, tagger=tagger)
    lang = verdict["language"]
    if item.categories:
        tagger = tagger or default_tagger()
        techs = merge_category_evidence(verdict["technologies"], item.categories, tagger)
        if techs != verdict["technologies"]:
            verdict["technologies"] = techs
            alias_and_categories = merge_category_evidence(verdict["alias_technologies"], item.categories, tagger)
            # The feed's own categories are evidence the model was not trained on: they can only raise it.
            rule = relevance(alias_and_categories, verdict["context"], verdict["features"])
            if rule > verdict["relevance"]:
                verdict["relevance"] = rule
                verdict["digital"] = verdict["digital"] or rule >= ARXIV_CATEGORY_SCORE
    title_tokens, body_tokens = _title_and_body_tokens(title, text)
    all_tokens = title_tokens + body_tokens
    sig = minhash.signature(all_tokens)
    url = web_link(item.link)[:2000]
    return ProcessedItem(
        url=url,
        canonical_url=canonical_url(url)[:2000],
        guid=(item.guid or item.link or "").strip()[:1000],
        title=title,
        summary_html=summary_html,
        text=text,
        author=html_to_text(item.author)[:500],
        published_at=item.published_at,
        language=lang,
        search_text=" ".join(compounds.with_parts(all_tokens)),  # 자율주행차 also as 자율주행 차
        keywords=keywords_mod.extract(title_tokens, body_tokens),
        relevance=verdict["relevance"],
        is_digital=verdict["digital"],
        content_hash=content_hash(title, text),
        minhash=minhash.to_bytes(sig) if sig is not None else None,
        technologies=verdict["technologies"],
        relevance_evidence=verdict["context"],
        signature=sig,
    )
