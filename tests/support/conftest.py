"""Fixtures for the support app: real 기업마당 records and real KRX rows (from data/)."""

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings

BIZINFO = Path(settings.DATA_DIR, "bizinfo", "bizinfo_jsonArray_2021-12.json")
KRX = Path(settings.DATA_DIR, "krx", "krx_listed_companies_2026-01_utf8.csv")


@pytest.fixture(scope="session")
def bizinfo_records() -> list[dict]:
    return json.loads(BIZINFO.read_text(encoding="utf-8"))["jsonArray"]


@pytest.fixture(scope="session")
def krx_seoul_rows() -> list[dict]:
    with KRX.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["지역"] == "서울특별시"]


@pytest.fixture
def bizinfo_file(tmp_path, bizinfo_records):
    """The first 120 real announcements as a file in the bizinfo layout."""
    path = tmp_path / "bizinfo.json"
    path.write_text(json.dumps({"jsonArray": bizinfo_records[:120]}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def programmes(db, bizinfo_file):
    from seoulhub.support.loaders import load_bizinfo
    from seoulhub.support.models import Programme

    load_bizinfo(bizinfo_file)
    return Programme.objects.all()


@pytest.fixture
def make_firm(db):
    from seoulhub.support.models import Firm
    from seoulhub.taxonomy.models import District, KsicCode

    def make(name="테스트 예시기업", brn=None, district="마포구", ksic="58221", **fields):
        firm = Firm.objects.create(
            name_ko=name,
            brn=brn,
            district=District.objects.get(name_ko=district) if district else None,
            province="서울특별시" if district else fields.pop("province", ""),
            ksic=KsicCode.objects.get(revision="10", code=ksic) if ksic else None,
            **fields,
        )
        return firm

    return make


@pytest.fixture
def member_firm(make_firm, firm_member):
    """An example firm (labelled as such) whose member is the `firm_member` user."""
    from seoulhub.support.models import FirmMember

    firm = make_firm("예시 소프트웨어", brn="124-81-00998".replace("-", ""))
    FirmMember.objects.create(firm=firm, user=firm_member)
    return firm
