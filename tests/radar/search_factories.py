"""Small article factory for trend, subscription and digest tests: real headlines and titles,
tokens from the real normaliser, stored with the ORM (no embedding)."""

import hashlib
from datetime import datetime, timezone

from seoulhub.radar.models import Article, ArticleTechnology, Source
from seoulhub.radar.ingest.process import search_tokens
from seoulhub.taxonomy.models import Technology


def technology(slug: str) -> Technology:
    from seoulhub.taxonomy.loaders import load_technologies

    if not Technology.objects.filter(slug=slug).exists():
        load_technologies(Technology)
    return Technology.objects.get(slug=slug)


def make_source(name="연합뉴스 (KLUE-YNAT)", url=None) -> Source:
    return Source.objects.create(name=name, url=url or f"test://{hashlib.md5(name.encode()).hexdigest()}")


def make_article(
    source, title, *, techs=(), keywords=(), published_at=None, relevance=0.5, cluster=None, language="ko", url=""
) -> Article:
    article = Article.objects.create(
        source=source,
        title=title,
        url=url or f"https://example.org/{hashlib.md5(title.encode()).hexdigest()[:10]}",
        published_at=published_at or datetime(2026, 6, 15, 9, tzinfo=timezone.utc),
        language=language,
        search_text=" ".join(search_tokens(title)),
        keywords=list(keywords),
        relevance=relevance,
        content_hash=hashlib.sha256(f"{source.pk}:{title}".encode()).hexdigest(),
        cluster=cluster,
    )
    for slug in techs:
        ArticleTechnology.objects.create(article=article, technology=technology(slug), score=0.8)
    return article
