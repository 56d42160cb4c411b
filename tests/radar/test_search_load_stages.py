"""bench/load_stages.py, the stand-in the load test serves to time one stage of a fresh search:
each stage answers what the search service itself computes for the query, and every other
request reaches the hub unchanged."""

import importlib.util
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection

from seoulhub.radar.search import service, textfns
from seoulhub.radar.search.hybrid import MAX_DEPTH, MIN_SIMILARITY, HybridSearcher
from seoulhub.radar.search.postgres_fts import engine_for

pytestmark = pytest.mark.django_db

STAGES_FILE = Path(__file__).resolve().parents[2] / "bench" / "load_stages.py"


@pytest.fixture(scope="module")
def load_stages():
    spec = importlib.util.spec_from_file_location("bench_load_stages", STAGES_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def serve(module, path: str, **query) -> tuple[str, str]:
    """(status, body) of one GET through the WSGI application."""
    answered = {}
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": urlencode(query),
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
               "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO()}
    body = b"".join(module.application(environ, lambda status, headers, *_: answered.update(status=status)))
    return answered["status"], body.decode()


@pytest.fixture
def test_transaction_kept():
    """A real WSGI request closes the database connection when it ends, which would end the
    test's transaction (on PostgreSQL); Django's test client leaves it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_rank_stage_answers_the_services_ranking(corpus, load_stages, monkeypatch):
    monkeypatch.setattr(load_stages, "STAGE", "rank")
    status, body = serve(load_stages, "/radar/search", q="  스마트시티   robot ")
    ranking = service.rank("스마트시티 robot")
    assert status.startswith("200") and ranking.ids
    assert body == f"{len(ranking.ids)} stories, {ranking.total_matches} matches"


def test_lexical_stage_answers_the_full_text_half_alone(corpus, load_stages, monkeypatch):
    monkeypatch.setattr(load_stages, "STAGE", "lexical")
    status, body = serve(load_stages, "/radar/search", q="smart city")
    searcher = HybridSearcher(engine_for(connection.vendor), None, textfns.normalise, None, textfns.tagger())
    with connection.cursor() as cursor:
        result = searcher.search(cursor.cursor, "smart city", depth=MAX_DEPTH)
    assert status.startswith("200") and result.count > 0 and not result.vector_hits
    assert body == f"{len(result.ranked)} hits, {result.count} matches"


def test_vector_stage_answers_the_nearest_articles_alone(corpus, load_stages, monkeypatch):
    monkeypatch.setattr(load_stages, "STAGE", "vector")
    status, body = serve(load_stages, "/radar/search", q="인공지능 반도체")
    hits = service.vector_index().search(textfns.embed("인공지능 반도체"), MAX_DEPTH, MIN_SIMILARITY)
    assert status.startswith("200") and hits
    assert body == f"{len(hits)} neighbours"


@pytest.mark.parametrize("stage", ["page", "rank"])
def test_the_results_page_and_other_paths_reach_the_hub(corpus, load_stages, monkeypatch, stage, test_transaction_kept):
    monkeypatch.setattr(load_stages, "STAGE", stage)
    status, body = serve(load_stages, "/radar/search" if stage == "page" else "/", q="스마트시티")
    assert status.startswith("200") and "<html" in body
