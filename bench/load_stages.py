"""The WSGI application `bench load --stage` serves: the hub, except that /radar/search does only
one stage of a fresh search and answers with a line of plain text.

It measures, under the same load as the results page, what each part of a fresh search costs
alone, and so how fast the page could be if everything else were free:

* rank: the cached ranking the page starts from (`service.rank`: parse, full text and vectors,
  fusion, clusters collapsed; stored in the cache as the page stores it), no rows, facets or
  template;
* lexical: the full-text half alone (parse, walk and BM25 over the newest matches, count);
* vector: the cross-lingual half alone (the query's embedding and the IVF index's 1,000
  nearest, as a ranking asks for).

Every other path, and `--stage page`, is the hub itself. Not part of the product: it is loaded
only by bench/load.py, as `gunicorn -c gunicorn.conf.py bench.load_stages:application`.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from seoulhub.wsgi import application as hub

STAGE = os.environ.get("SEOULHUB_BENCH_STAGE", "page")


def _rank(q: str) -> str:
    from seoulhub.radar.search import service

    ranking = service.rank(q)
    return f"{len(ranking.ids)} stories, {ranking.total_matches} matches"


def _lexical(q: str) -> str:
    from django.db import connection

    from seoulhub.radar.search import textfns
    from seoulhub.radar.search.hybrid import MAX_DEPTH, HybridSearcher
    from seoulhub.radar.search.postgres_fts import engine_for

    searcher = HybridSearcher(engine_for(connection.vendor), None, textfns.normalise, None, textfns.tagger())
    with connection.cursor() as cursor:
        result = searcher.search(cursor.cursor, q, depth=MAX_DEPTH)
    return f"{len(result.ranked)} hits, {result.count} matches"


def _vector(q: str) -> str:
    from seoulhub.radar.search import service, textfns
    from seoulhub.radar.search.hybrid import MAX_DEPTH, MIN_SIMILARITY

    hits = service.vector_index().search(textfns.embed(q), MAX_DEPTH, MIN_SIMILARITY)
    return f"{len(hits)} neighbours"


STAGES = {"rank": _rank, "lexical": _lexical, "vector": _vector}


def application(environ, start_response):
    if STAGE not in STAGES or environ.get("PATH_INFO") != "/radar/search":
        return hub(environ, start_response)
    q = " ".join(parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0].split())
    body = STAGES[STAGE](q).encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
