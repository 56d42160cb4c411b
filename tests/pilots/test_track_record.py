"""The real Testbed Seoul track record and 2025 city demands from data/seoul-innovation-facts,
and examples kept out of every count."""

import pytest
from django.urls import reverse
from django.utils import translation

from seoulhub.pilots import demo, home
from seoulhub.pilots import lifecycle as lc
from seoulhub.pilots.models import Demand, PastPilot, Proposal
from seoulhub.pilots.reports import pilot_analytics
from seoulhub.support.models import Firm

pytestmark = pytest.mark.django_db


def test_the_shipped_facts_load_as_past_pilots_and_real_demands_once():
    firms_before = Firm.objects.count()
    first = demo.load_track_record(demo.read_facts())
    assert first == {"past pilots created": 13, "past pilots updated": 0, "real demands created": 3}
    assert demo.load_track_record(demo.read_facts()) == {
        "past pilots created": 0,
        "past pilots updated": 0,
        "real demands created": 0,
    }
    assert Firm.objects.count() == firms_before  # firm names stay text: no registry row is made up
    assert PastPilot.objects.count() == 13 and all(p.source_url.startswith("http") for p in PastPilot.objects.all())
    robot = PastPilot.objects.get(firm_name="㈜언맨드솔루션")
    assert robot.year == 2019 and robot.site.startswith("마포구 상암동") and "134건 중 선정" in robot.outcome
    assert set(robot.technologies.values_list("slug", flat=True)) == {"robotics"}
    unnamed = PastPilot.objects.get(technology="전시 관람객 예측 플랫폼")
    assert unnamed.firm_name == "" and unnamed.technologies.count() == 0  # no clear taxonomy match: none given
    assert PastPilot.objects.get(technology="자율주행 로봇 점심 배달").programme == "마곡 스마트시티 리빙랩"
    demands = Demand.objects.real()
    assert demands.count() == 3 and not demands.filter(is_example=True).exists()
    sweeper = demands.get(title="AI 기반 무인 자율주행 청소차")
    assert sweeper.status == Demand.Status.CLOSED and sweeper.source_url.startswith("https://amuse.peoplentools.com/")
    assert set(sweeper.technologies.values_list("slug", flat=True)) == {"ai", "autonomous-driving"}
    assert not sweeper.title.startswith("[예시]")


def test_a_changed_fact_is_updated_in_place():
    rows = demo.read_facts()
    demo.load_track_record(rows)
    rows[1] = {**rows[1], "status_or_outcome": "정정된 성과"}
    assert demo.load_track_record(rows)["past pilots updated"] == 1
    assert PastPilot.objects.get(firm_name="㈜언맨드솔루션").outcome == "정정된 성과"
    assert PastPilot.objects.count() == 13


def test_the_pilots_page_shows_the_track_record_with_sources_in_korean(client, settings):
    demo.load_track_record(demo.read_facts())
    settings.LANGUAGE_CODE = "ko"
    with translation.override("ko"):
        page = client.get(reverse("pilots:index"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    section = page.split('id="track-record"')[1].split("</section>")[0]
    assert "테스트베드 서울 실증 실적" in section
    assert "㈜로보티즈" in section and "지하철 5호선" in section
    assert 'href="https://smartcity.go.kr/' in section and "m.edaily.co.kr" in section
    assert "206" in section and "news.seoul.go.kr/economy/archives/566330" in section
    real = page.split('id="real-demands"')[1].split("</table>")[0]
    assert "반지하 주택 밀집 지역 침수 수위 측정 기술" in real and "예시" not in real
    assert client.get("/api/v1/pilots/past").json()["count"] == 13


def test_examples_are_never_counted(demand, proposal, member_firm, official, firm_member):
    """An example demand and its proposals stay out of real(), analytics and the home figures,
    even a proposal not itself marked as an example."""
    demo.load_track_record(demo.read_facts())
    stray = Proposal.objects.create(
        demand=demand, lead_firm=member_firm, title="unmarked", summary="s", state=lc.RUNNING, is_example=False
    )
    Proposal.objects.filter(pk=proposal.pk).update(state=lc.RUNNING)
    assert demand.is_example and not Demand.objects.real().filter(pk=demand.pk).exists()
    assert not Proposal.objects.real().filter(pk__in=[stray.pk, proposal.pk]).exists()
    assert pilot_analytics()["pilot_count"] == 0 and pilot_analytics()["proposal_count"] == 0
    assert pilot_analytics(include_examples=True)["pilot_count"] == 2
    assert home.figures()["pilots"] == 0
    real_demand = Demand.objects.real().first()
    real = Proposal.objects.create(
        demand=real_demand, lead_firm=member_firm, title="real", summary="s", state=lc.SELECTED
    )
    assert list(Proposal.objects.real()) == [real] and pilot_analytics()["pilot_count"] == 1


def test_analytics_shows_the_track_record_technologies_apart_from_hub_counts(client):
    demo.load_track_record(demo.read_facts())
    page = client.get(reverse("pilots:analytics")).content.decode()
    section = page.split('id="track-record-technologies"')[1].split("</section>")[0]
    assert "10 of 13" in section or "13건 중 10건" in section
    robots = PastPilot.objects.filter(technologies__slug="robotics").count()
    assert robots == 4 and f'<td class="num">{robots}</td>' in section
    assert pilot_analytics()["pilot_count"] == 0  # the published pilots are not hub pilots
