"""Filters and buttons of the radar given values a person or an attacker might send: a clear
message or an ignored filter, never a server error (issue 21, items 1, 2 and 13)."""

import pytest

from tests.radar.search_factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(db):
    source = make_source()
    make_article(source, "AI 반도체 투자 확대", techs=["ai"])
    make_article(source, "자율주행 시범 운행")
    return source


def test_a_technology_filter_with_a_query_answers_on_the_search_page(client, tagged):
    response = client.get("/radar/search", {"q": "AI", "tech": "ai"})
    assert response.status_code == 200
    assert "반도체 투자 확대" in response.content.decode()  # the title, its query term highlighted


def test_a_technology_filter_with_a_query_answers_in_the_api(client, tagged):
    response = client.get("/api/v1/articles", {"q": "AI", "tech": "ai"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["AI 반도체 투자 확대"]


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_a_source_that_is_not_an_id_is_ignored_on_the_list_and_the_search(client, tagged, value):
    assert client.get("/radar/", {"source": value}).status_code == 200
    response = client.get("/radar/search", {"q": "ai", "source": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_following_a_source_that_is_not_an_id_says_so(client, operator, tagged, value):
    from seoulhub.alerts.models import Subscription

    client.force_login(operator)
    response = client.post("/alerts/follow", {"kind": "source", "value": value}, follow=True)
    assert response.status_code == 200
    assert "팔로우할 대상이 없습니다" in response.content.decode()
    assert not Subscription.objects.get(user=operator).sources.exists()


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_the_subscription_form_refuses_a_source_that_is_not_an_id_and_changes_nothing(client, operator, tagged, value):
    from seoulhub.alerts.models import Subscription

    client.force_login(operator)
    client.post("/alerts/", {"frequency": "weekly", "sources": [str(tagged.pk)]})
    response = client.post("/alerts/", {"frequency": "daily", "sources": [str(tagged.pk), value]}, follow=True)
    assert response.status_code == 200
    subscription = Subscription.objects.get(user=operator)
    assert operator.profile.digest_frequency == "weekly" and list(subscription.sources.all()) == [tagged]


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "javascript:alert(1)"],
)
def test_follow_errors_never_redirect_off_the_site(client, operator, next_url):
    client.force_login(operator)
    response = client.post("/alerts/follow", {"kind": "technology", "value": "nope", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/alerts/"


def test_follow_returns_to_the_page_of_the_button(client, operator):
    client.force_login(operator)
    response = client.post("/alerts/follow", {"kind": "technology", "value": "ai", "next": "/radar/?x=1"})
    assert response["Location"] == "/radar/?x=1"


@pytest.mark.parametrize("next_url", ["/\\evil.example/", "//evil.example/", "https://evil.example/"])
def test_the_landscape_subscription_button_never_redirects_off_the_site(client, operator, next_url):
    client.force_login(operator)
    response = client.post("/landscape/subscriptions/", {"technology": "ai", "action": "subscribe", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/alerts/"
