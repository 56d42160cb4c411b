import json
import re

import pytest
from django.conf import settings

from seoulhub.taxonomy.loaders import load_technologies, read_technologies
from seoulhub.taxonomy.models import District, KsicCode, Technology

pytestmark = pytest.mark.django_db


def test_migration_loads_at_least_thirty_technologies_with_both_names():
    technologies = list(Technology.objects.all())
    assert len(technologies) >= 30
    for tech in technologies:
        assert tech.name_ko and tech.name_en, tech.slug
        assert re.search(r"[가-힣]", tech.name_ko), f"{tech.slug} Korean name has no Hangul"


def test_required_areas_are_present_with_their_korean_aliases():
    expected = {
        "ai": "인공지능",
        "iot": "사물인터넷",
        "robotics": "로봇",
        "drones": "드론",
        "xr": "가상현실",
        "metaverse": "메타버스",
        "cloud": "클라우드",
        "big-data": "빅데이터",
        "blockchain": "블록체인",
        "cybersecurity": "정보보안",
        "fintech": "핀테크",
        "telecom-5g-6g": "5G",
        "semiconductors": "반도체",
        "quantum": "양자컴퓨터",
        "smart-city": "스마트시티",
        "mobility": "모빌리티",
        "digital-health": "원격의료",
        "computer-vision": "컴퓨터비전",
        "nlp": "자연어처리",
        "generative-ai": "생성형 AI",
    }
    for slug, alias in expected.items():
        tech = Technology.objects.get(slug=slug)
        assert alias in tech.all_aliases(), (slug, alias)


def test_sub_areas_of_ai_hang_under_ai():
    children = set(Technology.objects.get(slug="ai").children.values_list("slug", flat=True))
    assert {"computer-vision", "nlp", "generative-ai", "machine-learning"} <= children


def test_every_ksic_code_named_by_the_taxonomy_exists_in_ksic_rev10():
    known = set(KsicCode.objects.filter(revision="10").values_list("code", flat=True))
    for tech in Technology.objects.all():
        missing = set(tech.ksic_codes) - known
        assert not missing, f"{tech.slug}: unknown KSIC codes {missing}"


def test_arxiv_categories_look_like_arxiv_codes_and_are_not_claimed_twice():
    seen = {}
    for tech in Technology.objects.all():
        for category in tech.arxiv_categories:
            assert re.fullmatch(r"[a-z\-]+(\.[A-Za-z]{2,3})?", category), category
            assert category not in seen, f"{category} on both {seen.get(category)} and {tech.slug}"
            seen[category] = tech.slug


def test_taxonomy_tree_has_no_cycles():
    for tech in Technology.objects.select_related("parent"):
        seen = set()
        node = tech
        while node is not None:
            assert node.pk not in seen, f"cycle through {tech.slug}"
            seen.add(node.pk)
            node = node.parent


def test_loading_the_taxonomy_again_changes_nothing():
    before = list(Technology.objects.order_by("slug").values())
    assert load_technologies(Technology) == 0
    assert list(Technology.objects.order_by("slug").values()) == before


def test_a_file_with_an_unknown_parent_is_refused_with_its_name(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps({"technologies": [{"slug": "x", "parent": "nowhere", "name_ko": "엑스", "name_en": "X"}]})
    )
    with pytest.raises(ValueError, match="unknown parent 'nowhere'"):
        read_technologies(path)


def test_ksic_codes_are_linked_to_their_section():
    code = KsicCode.objects.get(revision="10", code="58222")
    assert code.section == "J"
    assert KsicCode.objects.filter(revision="9").count() > 1000


def test_seoul_has_25_districts_with_both_code_schemes():
    assert District.objects.count() == 25
    gangnam = District.objects.get(name_ko="강남구")
    assert (gangnam.adm_code, gangnam.kostat_code, gangnam.name_en) == ("11680", "11230", "Gangnam-gu")


def test_technology_pages_show_names_in_the_active_language(client):
    response = client.get("/tech/ai/")
    assert response.status_code == 200
    assert "인공지능" in response.content.decode()
    assert client.get("/tech/no-such-tech/").status_code == 404


def test_operator_edits_a_technology_in_admin(client, operator):
    client.force_login(operator)
    tech = Technology.objects.get(slug="fintech")
    response = client.get(f"/admin/taxonomy/technology/{tech.pk}/change/")
    assert response.status_code == 200
    assert "핀테크" in response.content.decode()


def test_shipped_taxonomy_file_is_the_one_in_data_dir():
    assert (settings.DATA_DIR / "taxonomy" / "technologies.json").exists()
    assert len(read_technologies()) == Technology.objects.count()
