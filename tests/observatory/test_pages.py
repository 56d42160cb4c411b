"""The observatory's pages and exports over a real database."""

import csv
import io

import pytest
from openpyxl import load_workbook

from seoulhub.observatory.importer import import_stats
from seoulhub.observatory.models import KPI, Policy, PolicyRole
from seoulhub.observatory.sectors import load_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def definition(db):
    load_definition()


@pytest.fixture
def registry_firms(db):
    from seoulhub.support.models import Firm
    from seoulhub.taxonomy.models import District, KsicCode

    gangnam = District.objects.get(name_ko="강남구")
    software = KsicCode.objects.get(revision="10", code="58222")
    Firm.objects.create(name_ko="가나소프트", district=gangnam, ksic=software)
    Firm.objects.create(name_ko="다라식품", district=gangnam, industry_text="기타 식품 제조업")
    Firm.objects.create(
        name_ko="마바시스템", industry_text="컴퓨터 프로그래밍, 시스템 통합 및 관리업"
    )  # KRX-like: no gu


def test_without_statistics_the_map_counts_registry_firms_and_says_so(client, definition, registry_firms):
    html = client.get("/observatory/").content.decode()
    assert 'data-source="registry"' in html
    assert "3" in html and "2" in html
    assert "firm registry" in html or "기업 등록부" in html
    table = client.get("/api/v1/indicators?sector=digital&limit=25").json()["items"]
    gangnam = next(r for r in table if r["name_ko"] == "강남구")
    # Two firms with a district are far below the minimum: counts only, never "100 % of Seoul".
    assert gangnam["count"] == 1 and gangnam["total"] == 2 and gangnam["share_of_seoul"] is None
    assert gangnam["source"] == "registry" and "only 2 of 3 firms have a district" in gangnam["note"]


def test_registry_note_counts_firms_without_a_district(client, definition, registry_firms):
    from django.utils import translation

    from seoulhub.observatory.analysis import indicator_table

    with translation.override("en"):
        table = indicator_table(sector="digital")
    assert "3 firms in the registry, 1 of them without a district" in table.note
    assert "1 of those in this sector" in table.note
    korean = indicator_table(sector="digital").note  # Korean is the default language
    assert "등록 기업 3개 가운데 1개는 자치구 정보가 없고" in korean


def test_imported_statistics_give_location_quotients_and_growth(client, definition, all_districts_file):
    import_stats(all_districts_file.read_bytes(), all_districts_file.name)
    items = client.get("/api/v1/indicators?sector=digital:software&year=2019&limit=25").json()["items"]
    assert len(items) == 25 and all(item["source"] == "stats" for item in items)
    # Gu i has i+1 software establishments of 100*i: LQ = ((i+1)/(100 i)) / (350/32500).
    first = next(i for i in items if i["kostat_code"] == "11010")
    assert first["count"] == 2 and first["growth"] == 1.0
    assert first["location_quotient"] == pytest.approx((2 / 100) / (350 / 32500))
    html = client.get("/observatory/?sector=digital:software&year=2019&value=location_quotient").content.decode()
    assert 'data-source="stats"' in html and "2018" in html
    from seoulhub.observatory.analysis import stat_years

    assert stat_years() == [2018, 2019]
    profile = client.get("/observatory/districts/11110/").content.decode()  # 종로구 = KOSTAT 11010
    assert 'id="district-history"' in profile


def test_district_profile_page_and_unknown_district(client, definition, registry_firms):
    response = client.get("/observatory/districts/11680/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "강남구" in html and "가나소프트" in html
    assert client.get("/observatory/districts/11230/").status_code == 200  # KOSTAT code works too
    assert client.get("/observatory/districts/99999/").status_code == 404


def test_definition_page_shows_both_revisions(client, definition):
    html = client.get("/observatory/definition/").content.decode()
    assert "582" in html and "소프트웨어 개발 및 공급업" in html and "73302" in html
    assert "게임 소프트웨어 포함" in html and "game software" not in html  # the sector notes are Korean


def test_policy_page_groups_by_the_three_roles_with_sources(client):
    role = PolicyRole.objects.get(slug="synthesizer")
    policy = Policy.objects.create(
        title_ko="테스트베드 서울", role=role, owner="서울특별시", source="news.seoul.go.kr/economy/archives/566330"
    )
    KPI.objects.create(policy=policy, name_ko="수요과제", value=30, source="m.etnews.com/20210214000090")
    html = client.get("/observatory/policies/").content.decode()
    for slug in ("pre-adopter", "accelerator", "synthesizer"):
        assert f'id="role-{slug}"' in html
    assert (
        "테스트베드 서울" in html
        and "news.seoul.go.kr/economy/archives/566330" in html
        and "m.etnews.com/20210214000090" in html
    )


def test_dashboard_and_report_are_for_officials(client, official, firm_member, definition):
    assert client.get("/observatory/dashboard/").status_code == 403
    client.force_login(firm_member)
    assert client.get("/observatory/report/").status_code == 403
    client.force_login(official)
    assert client.get("/observatory/dashboard/").status_code == 200
    report = client.get("/observatory/report/2026-10/")
    assert report.status_code == 200
    html = report.content.decode()
    assert "observatory/observatory.css" in html and "2026-10-31" in html
    assert client.get("/observatory/report/2026-13/").status_code == 404
    assert client.get("/observatory/report/2999-01/").status_code == 404


def test_print_stylesheet_hides_navigation():
    from django.conf import settings

    css = (settings.BASE_DIR / "observatory" / "static" / "observatory" / "observatory.css").read_text()
    assert "@media print" in css and ".site-header" in css.split("@media print")[1]


def test_csv_and_xlsx_exports_carry_the_table_and_its_source(client, definition, registry_firms):
    response = client.get("/observatory/export.csv?sector=digital")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "firm registry (not official statistics)" in text
    rows = list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert rows[0][:3] == ["adm_code", "kostat_code", "name_ko"] and len(rows) == 26
    gangnam = next(r for r in rows if r[2] == "강남구")
    assert gangnam[4] == "1"
    workbook = load_workbook(io.BytesIO(client.get("/observatory/export.xlsx?sector=digital").content))
    sheet = workbook["districts"]
    assert sheet.max_row == 26
    assert any("not official statistics" in str(row[0].value) for row in workbook["about"].iter_rows())


def test_officials_check_then_import_a_file_through_the_page(client, official, firm_member, seoul_open_data_file):
    from seoulhub.observatory.models import IndustryStat, StatImport

    client.force_login(firm_member)
    assert client.get("/observatory/import/").status_code == 403
    client.force_login(official)
    with seoul_open_data_file.open("rb") as handle:
        checked = client.post("/observatory/import/", {"file": handle, "dry_run": "1"})
    html = checked.content.decode()
    assert checked.status_code == 200 and "판교구" in html and 'id="import-report"' in html
    assert not IndustryStat.objects.exists()
    with seoul_open_data_file.open("rb") as handle:
        client.post("/observatory/import/", {"file": handle, "source": "test fixture"})
    assert IndustryStat.objects.count() == 18
    assert StatImport.objects.get().imported_by == official and StatImport.objects.get().source == "test fixture"


def test_the_import_page_refuses_other_files_with_a_reason(client, official, settings, tmp_path):
    client.force_login(official)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with other.open("rb") as handle:
        response = client.post("/observatory/import/", {"file": handle})
    assert response.status_code == 400 and "sanup_num_wrk" in response.content.decode()
    assert client.post("/observatory/import/", {}).status_code == 400
    settings.SEOULHUB_MAX_UPLOAD_BYTES = 4
    with other.open("rb") as handle:
        assert client.post("/observatory/import/", {"file": handle}).status_code == 400


def test_registry_firms_coded_at_a_coarser_level_or_spelled_differently_are_counted(definition):
    from seoulhub.observatory.analysis import ALL_DIGITAL, _prefixes_for, digital_firm_filter

    is_in = digital_firm_filter(_prefixes_for(ALL_DIGITAL))
    assert is_in("10", "62", "")  # division 62 has only group 620 (IT services)
    assert not is_in("10", "58", "")  # division 58 also holds book publishing (581)
    assert is_in(None, None, "전자부품 제조업")  # KSIC spells it "전자 부품 제조업"
    assert not is_in(None, None, "기타 식품 제조업")
