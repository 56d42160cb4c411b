"""Technology tags and text embeddings of firms (real tagger, real multilingual encoder)."""

import numpy as np
import pytest

from seoulhub.support.services import explain, technology_slugs_for_ksic
from seoulhub.text.embed import from_bytes as vector_from_bytes
from seoulhub.support.tasks import enrich_firm

pytestmark = pytest.mark.django_db


def test_ksic_codes_map_to_technologies_by_nesting():
    assert "software" in technology_slugs_for_ksic("582")  # 소프트웨어 개발 및 공급업
    assert "semiconductors" in technology_slugs_for_ksic("261")
    assert technology_slugs_for_ksic("") == []


def test_enrich_task_tags_products_and_stores_a_normalised_embedding(make_firm):
    firm = make_firm("예시 영상분석", ksic="58221", products="의료특화 인공지능 플랫폼, 컴퓨터 비전 영상인식 솔루션")
    assert enrich_firm.call(firm.pk) is True
    firm.refresh_from_db()
    slugs = {t.slug for t in firm.technologies.all()}
    assert {"ai", "computer-vision", "software"} <= slugs
    vector = vector_from_bytes(firm.embedding)
    assert vector.shape == (512,) and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    assert enrich_firm.call(10**9) is False  # a deleted firm is skipped, not an error


def test_text_similarity_prefers_the_programme_about_the_firms_products(make_firm, programmes):
    from seoulhub.support.models import Programme
    from seoulhub.support.services import enrich_programmes

    firm = make_firm("예시 수출기업", products="해외 바이어 발굴과 수출 마케팅")
    enrich_firm.call(firm.pk)
    export = Programme.objects.filter(kind="export").order_by("pk").first()
    loan = Programme.objects.filter(kind="loan").order_by("pk").first()
    enrich_programmes([export, loan], tag=False)
    assert explain(firm, export).text_similarity > explain(firm, loan).text_similarity


def test_enrich_programme_task_tags_the_real_ai_voucher_announcement(programmes):
    from seoulhub.support.tasks import enrich_programme

    voucher = programmes.get(source_id="PBLN_000000000071235")  # 2022년 AI 바우처 지원사업 공고
    assert enrich_programme.call(voucher.pk) is True
    voucher.refresh_from_db()
    assert "ai" in {t.slug for t in voucher.technologies.all()}
    assert vector_from_bytes(voucher.embedding).shape == (512,)
