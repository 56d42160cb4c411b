"""The demo's real, recent catalogue: 2026 기업마당 and K-Startup announcements open on the demo
date, the national plan linked to announcements, the venture-firm sample with districts, and the
pages a firm reads (in Korean) on the hub clock."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from seoulhub.core import clock
from seoulhub.support.demo import newest_programme_date, open_count
from seoulhub.support.loaders import load_bizinfo, load_kstartup, load_plan, load_venture_sample
from seoulhub.support.models import Firm, PlanEntry, Programme
from seoulhub.support.plan_match import normalise_title
from seoulhub.support.services import is_open

pytestmark = pytest.mark.django_db
DEMO_DAY = datetime.date(2026, 7, 31)


@pytest.fixture
def recent(db):
    counts = load_bizinfo(Path(settings.DATA_DIR, "bizinfo", "bizinfo_announcements_2026.jsonl"))
    counts_k = load_kstartup()
    return counts, counts_k


def test_the_2026_sets_load_once_and_many_are_open_on_the_newest_day(recent):
    bizinfo, kstartup = recent
    assert bizinfo["programmes created"] == 2008 and bizinfo["records rejected"] == 0
    assert kstartup["programmes created"] == 469 and kstartup["records rejected"] == 0
    again = load_kstartup()
    assert (again["programmes created"], again["programmes updated"], again["programmes unchanged"]) == (0, 0, 469)
    assert newest_programme_date() == DEMO_DAY
    assert open_count(DEMO_DAY) >= 20
    # The database filter agrees with the status shown on each programme.
    expected = {p.pk for p in Programme.objects.all() if is_open(p, DEMO_DAY)}
    assert set(Programme.objects.open(DEMO_DAY).values_list("pk", flat=True)) == expected
    # A rolling call announced after the day shown is not open yet.
    late = Programme.objects.filter(rolling=True).order_by("-source_created_at").first()
    assert not is_open(late, late.source_created_at.date() - datetime.timedelta(days=1))


def test_the_collector_flag_stays_visible(recent, client):
    derived = Programme.objects.filter(derived_by_collector=True)
    assert derived.count() == 124
    page = client.get(derived.first().get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'id="derived-note"' in page and "수집자 재구성 기록" in page
    plain = Programme.objects.filter(derived_by_collector=False).first()
    assert 'id="derived-note"' not in client.get(plain.get_absolute_url()).content.decode()


def test_kstartup_conditions_are_rules(recent):
    programme = Programme.objects.get(source="kstartup", source_id="177101")  # 인천콘텐츠코리아랩, 3년미만, 인천
    rules = {r.kind: r for r in programme.rules.all()}
    assert rules["region"].params == {"regions": ["인천"]}
    assert rules["age_max"].params == {"max": 3, "inclusive": False}
    assert programme.kind == "funding" and programme.closes_on == datetime.date(2026, 4, 29)


def test_support_page_counts_what_is_open_on_the_demo_date(recent, client):
    clock.set_reference_date(DEMO_DAY)
    html = client.get("/support/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    shown = int(re.search(r'id="open-count">(\d+)<', html).group(1))
    assert "현재 접수 중" in html and shown == open_count(DEMO_DAY) >= 20
    listed = client.get("/support/programmes/?open=true", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert f"{shown}개 지원사업" in listed or f"{shown}" in listed
    api_open = client.get("/api/v1/programmes?open=true&limit=1").json()["count"]
    api_closed = client.get("/api/v1/programmes?open=false&limit=1").json()["count"]
    assert api_open == shown and api_open + api_closed == Programme.objects.count()
    clock.set_reference_date(datetime.date(2021, 1, 1))  # before any of these announcements
    html = client.get("/support/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert int(re.search(r'id="open-count">(\d+)<', html).group(1)) == open_count(datetime.date(2021, 1, 1))


def test_the_national_plan_is_shown_by_ministry_and_category_and_linked(recent, client, tmp_path):
    # The 2025 announcements of a few planned programmes (real records of the 2025 file).
    source = Path(settings.DATA_DIR, "bizinfo", "bizinfo_announcements_2024-12_2025-09.jsonl")
    lines = [
        line
        for line in source.read_text(encoding="utf-8").splitlines()
        if re.search(r"예비창업패키지|IP ?디딤돌|청년창업 ?특례보증", line)
    ]
    sample = tmp_path / "bizinfo_2025_sample.jsonl"
    sample.write_text("\n".join(lines), encoding="utf-8")
    load_bizinfo(sample)
    counts = load_plan()
    assert counts["plan entries created"] == 765
    assert load_plan()["plan entries unchanged"] == 765  # idempotent
    linked = PlanEntry.objects.filter(programmes__isnull=False).distinct()
    assert counts["plan entries linked to announcements"] == linked.count() > 0
    entry = linked.first()
    key = normalise_title(entry.title).removesuffix("지원사업").removesuffix("사업")
    assert all(key in normalise_title(p.title) for p in entry.programmes.all())
    html = client.get("/support/plan/?year=2025", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "부처·지자체별 예산" in html and "분야별 예산" in html and "중소벤처기업부" in html
    assert (
        entry.programmes.first().get_absolute_url() in client.get(f"/support/plan/?year={entry.year}").content.decode()
    )
    bad = client.get("/support/plan/?year=1999", HTTP_ACCEPT_LANGUAGE="ko")
    assert bad.status_code == 404 and "통합공고는 없습니다" in bad.content.decode()


def test_venture_sample_firms_have_their_district_and_are_labelled(db, client):
    counts, _changed = load_venture_sample()
    assert counts["created"] == 71 and counts["rejected"] == 0
    assert load_venture_sample()[0]["unchanged"] == 71
    firms = Firm.objects.filter(source=Firm.Source.VENTURE_SAMPLE)
    assert firms.filter(district__isnull=False).count() == 71
    pyeoda = firms.get(name_ko="주식회사 펴다")
    assert pyeoda.district.name_ko == "종로구" and "스마트보관함" in pyeoda.products
    assert pyeoda.brn is None and pyeoda.employees is None and pyeoda.founded_on is None  # nothing invented
    page = client.get(pyeoda.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "벤처기업 명단 표본" in page
    listed = client.get("/support/firms/?district=종로구", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "주식회사 펴다" in listed and "벤처기업 명단 표본" in listed and "71곳뿐입니다" in listed
