"""Feed ingestion, one module per stage, in the order an item passes through them:

1. fetch.py: one HTTP fetch of a feed, safely (address guard, deadline, size and inflate bounds);
2. parse.py: the bytes become ParsedItems (RSS/Atom via feedparser, JSON Feed, arXiv listings);
3. process.py: a ParsedItem becomes every stored field of an Article (clean text, language,
   technologies, provisional relevance, search tokens, MinHash): plain functions;
4. store.py: ProcessedItems are written in batches, idempotently, near-duplicates into stories.

items.py holds the types passed between stages. The jobs that run the stages for a source, and
the later embedding step, are in seoulhub.radar.tasks.
"""
