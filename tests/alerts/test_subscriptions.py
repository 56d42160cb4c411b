"""The one subscription: page and API changes (bad input says why in Korean and changes nothing),
follow buttons, the private Atom feed (the article's own link, snippet, technologies as
categories), and the radar's and the landscape's former addresses."""

from xml.etree import ElementTree

import pytest

from seoulhub.accounts.models import Profile
from seoulhub.alerts.models import Subscription
from seoulhub.radar.models import Article

from radar.search_factories import technology

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_page_and_the_api_need_a_signed_in_user(client):
    assert client.get("/api/v1/subscription").status_code == 401
    assert (
        client.put("/api/v1/subscription", {"frequency": "daily"}, content_type="application/json").status_code == 401
    )
    page = client.get("/alerts/")
    assert page.status_code == 302 and "/accounts/login" in page["Location"]


def test_the_page_saves_everything_followed_in_one_form(client, make_user, news):
    yonhap, _, articles = news
    user = make_user("reader", email="reader@example.org")
    client.force_login(user)
    response = client.post(
        "/alerts/",
        {
            "frequency": "daily",
            "by_email": "on",
            "webhook_url": "http://127.0.0.1:9/hook",
            "technologies": ["smart-city"],
            "briefings": ["ai-semiconductor"],
            "sources": [str(yonhap.id)],
            "searches": "스마트시티\n\n",
            "firm_programmes": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/alerts/"
    subscription = Subscription.objects.get(user=user)
    assert (user.profile.digest_frequency, subscription.by_email, subscription.firm_programmes) == ("daily", True, True)
    assert subscription.webhook_url == "http://127.0.0.1:9/hook"
    assert [t.slug for t in subscription.briefings.all()] == ["ai-semiconductor"]
    assert list(subscription.searches.values_list("query", flat=True)) == ["스마트시티"]
    page = client.get("/alerts/").content.decode()
    assert articles["smart"].title in page and subscription.feed_token in page


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("webhook_url", "http://169.254.169.254/latest/meta-data", "클라우드 메타데이터"),
        ("webhook_url", "http://10.0.0.5/hook", "사설"),
        ("webhook_url", "ftp://example.org/hook", "http"),
        ("technologies", "no-such-tech", "no-such-tech"),
        ("frequency", "hourly", "daily"),
        ("sources", "²", "출처"),
    ],
)
def test_bad_input_on_the_page_says_why_in_korean_and_changes_nothing(
    client, make_user, news, settings, field, value, words
):
    settings.SEOULHUB_WEBHOOK_ALLOW = []
    user = make_user("reader")
    client.force_login(user)
    good = {"frequency": "weekly", "technologies": ["smart-city"], "searches": "반도체"}
    assert client.post("/alerts/", good).status_code == 302
    before = Subscription.objects.get(user=user)
    assert Profile.objects.get(user=user).digest_frequency == "weekly"
    response = client.post("/alerts/", {**good, "frequency": "daily", "searches": "다른 검색", field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert "저장하지 않았습니다" in body and words in body
    after = Subscription.objects.get(user=user)
    assert after.webhook_url == before.webhook_url == ""
    assert Profile.objects.get(user=user).digest_frequency == "weekly"  # not the "daily" of the refused form
    assert list(after.searches.values_list("query", flat=True)) == ["반도체"]
    assert [t.slug for t in after.technologies.all()] == ["smart-city"]


def test_api_reads_and_changes_the_subscription_and_a_bad_value_changes_nothing(client, make_user, news):
    yonhap, _, _ = news
    client.force_login(make_user("reader"))
    body = {
        "frequency": "daily",
        "technologies": ["smart-city"],
        "sources": [yonhap.id],
        "searches": ["인공지능 반도체"],
        "briefings": ["smart-city"],
        "webhook_url": "http://127.0.0.1:9/hook",
    }
    response = client.put("/api/v1/subscription", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (
        data["frequency"] == "daily" and data["technologies"] == ["smart-city"] and data["briefings"] == ["smart-city"]
    )
    assert data["sources"] == [yonhap.id] and data["searches"] == ["인공지능 반도체"]
    assert "/alerts/feed/" in data["feed_url"] and data["problems"] == []
    for bad in (
        {"frequency": "weekly", "technologies": ["no-such-tech"]},
        {"frequency": "weekly", "webhook_url": "http://169.254.169.254/"},
        {"frequency": "weekly", "sources": [2**70]},
    ):
        refused = client.put("/api/v1/subscription", bad, content_type="application/json")
        assert refused.status_code == 422 and refused.json()["message"].isascii(), refused.json()
    again = client.get("/api/v1/subscription").json()
    assert again["frequency"] == "daily" and again["technologies"] == ["smart-city"]
    assert again["webhook_url"] == "http://127.0.0.1:9/hook"
    # The radar's former word for "no e-mail" is still understood.
    assert (
        client.put("/api/v1/subscription", {"frequency": "none"}, content_type="application/json").json()["frequency"]
        == "off"
    )


def test_follow_buttons_follow_and_unfollow_technologies_searches_and_programme_deadlines(client, make_user, news):
    from seoulhub.support.models import Programme

    programme = Programme.objects.create(title="예시 지원사업", closes_on="2026-12-20")
    user = make_user("reader")
    client.force_login(user)
    client.post("/alerts/follow", {"kind": "technology", "value": "smart-city", "next": "/radar/search"})
    client.post("/alerts/follow", {"kind": "search", "value": "smart   city"})
    client.post("/alerts/follow", {"kind": "programme", "value": str(programme.pk)})
    subscription = Subscription.objects.get(user=user)
    assert list(subscription.technologies.values_list("slug", flat=True)) == ["smart-city"]
    assert list(subscription.searches.values_list("query", flat=True)) == ["smart city"]
    assert list(subscription.programmes.all()) == [programme]
    assert "이 마감일 알림 끄기" in client.get(programme.get_absolute_url()).content.decode()
    client.post("/alerts/follow", {"kind": "technology", "value": "smart-city", "action": "unfollow"})
    assert not subscription.technologies.exists()
    refused = client.post("/alerts/follow", {"kind": "programme", "value": "999999"}, follow=True)
    assert "팔로우할 대상이 없습니다" in refused.content.decode()


def test_atom_entries_link_to_the_article_and_carry_snippet_and_technologies(client, make_user, news):
    _, other, articles = news
    Article.objects.filter(pk=articles["chip"].pk).update(
        url="", text="KIST 연구진이 전자의 스핀을 이용해 전력 소모를 줄인 AI 반도체 소자를 개발했다."
    )
    subscription = Subscription.objects.create(user=make_user("reader"))
    subscription.technologies.add(technology("ai-semiconductor"))
    subscription.sources.add(other)
    response = client.get(f"/alerts/feed/{subscription.feed_token}.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    entries = {e.find(f"{ATOM}title").text: e for e in ElementTree.fromstring(response.content).iter(f"{ATOM}entry")}
    assert set(entries) == {articles["smart_copy"].title, articles["phone"].title, articles["chip"].title}
    chip = entries[articles["chip"].title]
    # No link of its own: the hub's article page, never a search for the title.
    assert chip.find(f"{ATOM}link").get("href") == f"http://testserver/radar/articles/{articles['chip'].pk}/"
    assert "전자의 스핀" in chip.find(f"{ATOM}summary").text and "일치" not in chip.find(f"{ATOM}summary").text
    assert [c.get("term") for c in chip.iter(f"{ATOM}category")] == [technology("ai-semiconductor").name_ko]
    phone = entries[articles["phone"].title]
    assert phone.find(f"{ATOM}link").get("href") == articles["phone"].url
    assert "/radar/search" not in response.content.decode()


def test_the_feed_address_can_be_replaced_and_old_addresses_redirect(client, make_user, news):
    user = make_user("reader")
    subscription = Subscription.objects.create(user=user, legacy_briefing_token="old-briefing-token")
    token = subscription.feed_token
    for old in (f"/radar/subscriptions/feed/{token}.atom", "/landscape/briefings/old-briefing-token.atom"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == f"/alerts/feed/{token}.atom"
    assert client.get("/radar/subscriptions/feed/not-a-token.atom").status_code == 404
    client.force_login(user)
    assert client.get("/radar/subscriptions/")["Location"] == "/alerts/"
    assert client.get("/landscape/subscriptions/")["Location"] == "/alerts/"
    assert client.post("/radar/subscriptions/token").status_code == 302
    client.logout()
    assert client.get(f"/alerts/feed/{token}.atom").status_code == 404
    assert client.get("/landscape/briefings/old-briefing-token.atom").status_code == 404
    subscription.refresh_from_db()
    assert client.get(f"/alerts/feed/{subscription.feed_token}.atom").status_code == 200


def test_the_api_keeps_the_radars_subscription_paths_and_says_they_need_a_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {(path, method): op for path, methods in schema["paths"].items() for method, op in methods.items()}
    for path, method in [
        ("/api/v1/subscription", "get"),
        ("/api/v1/subscription", "put"),
        ("/api/v1/subscription/feed-token", "post"),
        ("/api/v1/landscape/subscriptions", "post"),
        ("/api/v1/landscape/subscriptions/{slug}", "delete"),
    ]:
        assert operations[(path, method)]["security"] == [{"BearerToken": []}], (path, method)
    body = schema["components"]["schemas"]["SubscriptionIn"]["properties"]
    assert {
        "frequency",
        "technologies",
        "sources",
        "searches",
        "briefings",
        "programmes",
        "firm_programmes",
        "by_email",
        "webhook_url",
    } <= set(body)
