"""Radar models. Each module adds its import line here (ingestion: sources, articles)."""

from .articles import Article, ArticleTechnology, StoryCluster  # noqa: F401
from .sources import Source  # noqa: F401
from .trends import TrendCount, TrendKind, TrendMark, TrendTotal, Granularity  # noqa: F401
