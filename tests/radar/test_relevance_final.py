"""The learned relevance in the radar: the embedding job replaces the pipeline's provisional verdict
by the final one (evidence + vector); `seoulhub classify` embeds in batches and shows evidence."""

import io
import json
import sys

import pytest
from django.core.management import call_command

from seoulhub.radar.models import Article, Source
from seoulhub.radar.ingest.process import classify_text, final_verdict, text_evidence
from seoulhub.radar.tasks import embed_batch, run_source
from seoulhub.text import embed


@pytest.mark.django_db
def test_embedding_job_stores_the_final_verdict():
    source = Source.objects.create(name="k", url="data/feeds/klue-ynat-it-economy.xml", kind="file")
    run_source(source)
    ids = list(Article.objects.order_by("id").values_list("id", flat=True)[:40])
    provisional = {a.pk: (a.relevance, a.is_digital) for a in Article.objects.filter(pk__in=ids)}
    for article in Article.objects.filter(pk__in=ids):  # the pipeline stored the provisional verdict
        verdict = classify_text(article.title, article.text, language_hint=article.language)
        assert (article.relevance, article.is_digital) == (verdict["relevance"], verdict["digital"])
    assert embed_batch(40) == 40
    articles = list(Article.objects.filter(pk__in=ids).order_by("id"))
    vectors = embed.embed([f"{a.title}. {a.text[:300]}" for a in articles])
    changed = 0
    for article, vector in zip(articles, vectors):
        evidence = text_evidence(article.title, article.text, language_hint=article.language)["evidence_features"]
        expected, digital = final_verdict(evidence, vector, article.language)
        assert article.relevance == pytest.approx(expected, abs=0.01)
        if abs(expected - 0.5) > 0.1:
            assert article.is_digital is digital
        changed += (article.relevance, article.is_digital) != provisional[article.pk]
    assert changed > 0
    assert (
        embed_batch(40) > 0
        and Article.objects.filter(pk=ids[0]).values_list("relevance", flat=True)[0] == articles[0].relevance
    )  # already embedded articles are not touched again


def test_classify_command_gives_final_verdicts_and_evidence(monkeypatch):
    lines = (
        "US Supercomputer Uses Flash Storage Drives\nLakers beat the Celtics in game seven\n"
        "아시안게임 여자축구 김혜리·장슬기 일본과 4강전 필승\n"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    out = io.StringIO()
    call_command("classify", "--evidence", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["digital"] for r in rows] == [True, False, False]
    assert rows[0]["technologies"][0] == {"slug": "cloud", "score": 0.6321, "evidence": ["supercomputer"]}
    assert rows[1]["technologies"][0]["evidence"] == ["game"]  # the weak word is shown, it did not decide
    assert rows[1]["evidence_features"]["only_weak_aliases"] == 1.0
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    fast = io.StringIO()
    call_command("classify", "--fast", stdout=fast)
    fast_rows = [json.loads(line) for line in fast.getvalue().splitlines()]
    assert [r["relevance"] for r in fast_rows] == [classify_text(t)["relevance"] for t in lines.splitlines()]
    assert {r["verdict"] for r in fast_rows} == {"provisional"} and {r["verdict"] for r in rows} == {"final"}
