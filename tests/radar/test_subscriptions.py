"""Subscriptions: the API (auth, validation that changes nothing on error), the settings page,
follow buttons, the personal feed (ranked, one per story) and the private Atom feed."""

from xml.etree import ElementTree

import pytest
from django.utils import timezone as dj_timezone

from seoulhub.radar.models import StoryCluster, Subscription

from .search_factories import make_article, make_source, technology

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news(db):
    """Real Yonhap (KLUE-YNAT) headlines, two of them one story from two sources."""
    yonhap, other = make_source("연합뉴스"), make_source("다른 언론사")
    now = dj_timezone.now()
    story = StoryCluster.objects.create(title="스마트시티", size=2)
    articles = {
        "smart": make_article(yonhap, "세종시 스마트시티 마스터플랜 말하는 정재승 교수", techs=["smart-city"],
                              relevance=0.9, published_at=now, cluster=story),
        "smart_copy": make_article(other, "세종시 스마트시티 마스터플랜 공개", techs=["smart-city"], relevance=0.7,
                                   published_at=now, cluster=story),
        "chip": make_article(yonhap, "KIST 전자 스핀 이용한 AI 반도체 기술 개발", techs=["ai-semiconductor"],
                             relevance=0.8, published_at=now),
        "phone": make_article(other, "스마트폰 HW 발전은 끝물…SW가 성장 활로", relevance=0.4, published_at=now),
    }
    return yonhap, other, articles


def login(client, user):
    client.force_login(user)
    return client


def test_reading_or_changing_subscriptions_needs_a_user(client):
    assert client.get("/api/v1/subscription").status_code == 401
    assert client.put("/api/v1/subscription", {"frequency": "daily"}, content_type="application/json").status_code == 401
    page = client.get("/radar/subscriptions/")
    assert page.status_code == 302 and "/accounts/login" in page["Location"]


def test_api_sets_what_i_follow_and_a_bad_value_changes_nothing(client, make_user, news):
    yonhap, _, _ = news
    technology("smart-city")
    login(client, make_user("reader"))
    body = {"frequency": "daily", "technologies": ["smart-city"], "sources": [yonhap.id], "searches": ["인공지능 반도체"]}
    response = client.put("/api/v1/subscription", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["frequency"] == "daily" and data["technologies"] == ["smart-city"]
    assert data["sources"] == [yonhap.id] and data["searches"] == ["인공지능 반도체"]
    assert "/radar/subscriptions/feed/" in data["feed_url"]
    bad = client.put("/api/v1/subscription", {"frequency": "weekly", "technologies": ["no-such-tech"]},
                     content_type="application/json")
    assert bad.status_code == 422 and "no-such-tech" in bad.json()["message"]
    again = client.get("/api/v1/subscription").json()
    assert again["frequency"] == "daily" and again["technologies"] == ["smart-city"]


def test_personal_feed_is_ranked_and_keeps_one_article_per_story(make_user, news):
    from seoulhub.radar.digest import matching_articles

    _, other, articles = news
    user = make_user("reader")
    subscription = Subscription.objects.create(user=user)
    subscription.technologies.add(technology("smart-city"), technology("ai-semiconductor"))
    matches = matching_articles(subscription)
    assert [m.article.id for m in matches] == [articles["smart"].id, articles["chip"].id]  # by relevance
    assert [a.source.name for a in matches[0].also] == [other.name]  # the copy folded into its story
    assert articles["phone"].id not in [m.article.id for m in matches]


def test_atom_feed_is_readable_with_the_private_token_only(client, make_user, news):
    _, other, articles = news
    user = make_user("reader")
    subscription = Subscription.objects.create(user=user)
    subscription.sources.add(other)
    response = client.get(f"/radar/subscriptions/feed/{subscription.feed_token}.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert set(titles) == {articles["smart_copy"].title, articles["phone"].title}
    assert client.get("/radar/subscriptions/feed/not-a-token.atom").status_code == 404
    old = subscription.feed_token
    login(client, user)
    assert client.post("/radar/subscriptions/token").status_code == 302
    client.logout()
    assert client.get(f"/radar/subscriptions/feed/{old}.atom").status_code == 404
    subscription.refresh_from_db()
    assert client.get(f"/radar/subscriptions/feed/{subscription.feed_token}.atom").status_code == 200


def test_settings_page_saves_the_form_and_shows_my_feed(client, make_user, news):
    yonhap, _, articles = news
    technology("smart-city")
    user = make_user("reader")
    login(client, user)
    response = client.post("/radar/subscriptions/", {"frequency": "weekly", "technologies": ["smart-city"],
                                                     "sources": [str(yonhap.id)], "searches": "스마트시티\n\n"})
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=user)
    assert list(subscription.searches.values_list("query", flat=True)) == ["스마트시티"]
    page = client.get("/radar/subscriptions/")
    assert page.status_code == 200
    assert articles["smart"].title in page.content.decode()
    assert subscription.feed_token in page.content.decode()


def test_follow_button_follows_and_unfollows(client, make_user, news):
    technology("smart-city")
    user = make_user("reader")
    login(client, user)
    client.post("/radar/subscriptions/follow", {"kind": "technology", "value": "smart-city", "next": "/radar/search"})
    client.post("/radar/subscriptions/follow", {"kind": "search", "value": "smart   city"})
    subscription = Subscription.objects.get(user=user)
    assert list(subscription.technologies.values_list("slug", flat=True)) == ["smart-city"]
    assert list(subscription.searches.values_list("query", flat=True)) == ["smart city"]
    client.post("/radar/subscriptions/follow", {"kind": "technology", "value": "smart-city", "action": "unfollow"})
    assert not subscription.technologies.exists()
    response = client.post("/radar/subscriptions/follow", {"kind": "technology", "value": "nope"})
    assert response.status_code == 302


def test_external_next_is_not_followed(client, make_user, news):
    technology("smart-city")
    login(client, make_user("reader"))
    response = client.post("/radar/subscriptions/follow",
                           {"kind": "technology", "value": "smart-city", "next": "https://evil.example/"})
    assert response["Location"] == "/radar/subscriptions/"


def test_an_item_without_its_own_link_points_at_a_search_for_it(client, make_user, news):
    from seoulhub.radar.models import Article

    _, other, articles = news
    Article.objects.filter(pk=articles["phone"].pk).update(url="")
    subscription = Subscription.objects.create(user=make_user("reader"))
    subscription.sources.add(other)
    root = ElementTree.fromstring(client.get(f"/radar/subscriptions/feed/{subscription.feed_token}.atom").content)
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    assert any("/radar/search?q=" in link for link in links)
