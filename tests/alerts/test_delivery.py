"""Digests by e-mail and by webhook: planned once per period and channel, sent in tasks, links to
the articles themselves, retried with exponential backoff after a failure (shown on the page in
Korean), never sent twice. The webhook is a real HTTP server on 127.0.0.1 run by the test."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from seoulhub.alerts.delivery import digest_period, plan_deliveries, send_delivery, send_due
from seoulhub.accounts.models import Profile
from seoulhub.alerts.models import Delivery, Subscription
from seoulhub.radar.models import Article

from radar.search_factories import make_article, make_source, technology

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 17, 7, 0, tzinfo=datetime.UTC)  # a Wednesday


class Hook:
    """A local incoming-webhook server: records each JSON body; answers `status`."""

    def __init__(self, status=200):
        self.status, self.bodies = status, []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                hook.bodies.append((self.headers.get("Content-Type"), json.loads(self.rfile.read(length))))
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook():
    server = Hook()
    yield server
    server.close()


@pytest.fixture
def subscriber(make_user):
    user = make_user("reader", email="reader@example.org")
    subscription = Subscription.objects.create(user=user)  # the profile's default digest: weekly
    subscription.technologies.add(technology("smart-city"), technology("ai-semiconductor"))
    return subscription


@pytest.fixture
def last_week_news():
    yonhap, other = make_source("연합뉴스"), make_source("다른 언론사")
    when = NOW - datetime.timedelta(days=7)
    best = make_article(
        yonhap,
        "세종시 스마트시티 마스터플랜 말하는 정재승 교수",
        techs=["smart-city"],
        relevance=0.9,
        published_at=when,
    )
    chip = make_article(
        yonhap,
        "KIST 전자 스핀 이용한 AI 반도체 기술 개발",
        techs=["ai-semiconductor"],
        relevance=0.7,
        published_at=when,
    )
    Article.objects.filter(pk=chip.pk).update(url="")  # a headline-only source
    chip.refresh_from_db()
    make_article(
        other,
        "동부하이텍 팹리스 업체 반도체 설계지원 강화",
        techs=["ai-semiconductor"],
        relevance=0.8,
        published_at=NOW - datetime.timedelta(days=30),
    )  # outside the period
    return best, chip


def test_digest_period_covers_yesterday_or_last_iso_week():
    key, since, until = digest_period("weekly", NOW)
    assert key == "2026-W24" and since.date().isoformat() == "2026-06-08" and until.date().isoformat() == "2026-06-15"
    key, since, until = digest_period("daily", NOW)
    assert key == "2026-06-16" and (until - since) == datetime.timedelta(days=1)


def test_email_digest_links_to_the_articles_and_a_rerun_sends_nothing(subscriber, last_week_news):
    best, chip = last_week_news
    assert send_due(NOW) == {"planned": 1, "sent": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"] and "2" in message.subject
    assert message.body.index(best.title) < message.body.index(chip.title)
    assert best.url in message.body  # the article's own address
    assert f"https://hub.example/radar/articles/{chip.pk}/" in message.body  # no link of its own: its hub page
    assert "/radar/search" not in message.body and "팹리스" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{best.url}"' in html
    # Run again (same period, later the same day, and the next day): nothing more is sent.
    assert send_due(NOW + datetime.timedelta(hours=3)) == {"planned": 0}
    assert send_due(NOW + datetime.timedelta(days=1)) == {"planned": 0}
    assert len(mail.outbox) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.item_count, delivery.attempts, delivery.period) == ("sent", 2, 1, "2026-W24")


def test_webhook_gets_slack_json_with_links_to_the_articles(subscriber, last_week_news, hook):
    best, chip = last_week_news
    Subscription.objects.filter(pk=subscriber.pk).update(by_email=False, webhook_url=hook.url)
    assert send_due(NOW) == {"planned": 1, "sent": 1}
    assert len(hook.bodies) == 1 and not mail.outbox
    content_type, body = hook.bodies[0]
    assert content_type == "application/json"
    assert set(body) == {"text", "blocks"}
    assert f"<{best.url}|{best.title}>" in body["text"]
    assert f"<https://hub.example/radar/articles/{chip.pk}/|" in body["text"]
    assert body["blocks"][0]["type"] == "header" and "서울 디지털 허브" in body["blocks"][0]["text"]["text"]
    assert any(best.url in block.get("text", {}).get("text", "") for block in body["blocks"])
    send_due(NOW + datetime.timedelta(hours=1))
    assert len(hook.bodies) == 1


def test_a_failing_webhook_is_retried_with_backoff_and_shown_on_the_page(client, subscriber, last_week_news, settings):
    settings.SEOULHUB_ALERT_RETRY_SECONDS = 60
    settings.SEOULHUB_ALERT_ATTEMPTS = 3
    failing = Hook(status=500)
    try:
        Subscription.objects.filter(pk=subscriber.pk).update(by_email=False, webhook_url=failing.url)
        assert send_due(NOW) == {"planned": 1, "retry": 1}
        delivery = Delivery.objects.get()
        assert delivery.status == "pending" and delivery.attempts == 1
        assert delivery.next_attempt_at == NOW + datetime.timedelta(seconds=60)
        assert "HTTP 500" in delivery.last_error and "웹훅" in delivery.last_error  # Korean, for the page

        client.force_login(subscriber.user)
        page = client.get("/alerts/").content.decode()
        assert "실패한 전송" in page and "HTTP 500" in page and "1회 시도" in page

        assert send_due(NOW + datetime.timedelta(seconds=30)) == {"planned": 0}  # not due yet
        assert send_due(NOW + datetime.timedelta(seconds=61)) == {"planned": 0, "retry": 1}
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at == NOW + datetime.timedelta(seconds=61 + 120)  # doubled
        assert len(failing.bodies) == 2

        failing.status = 200  # the receiver is fixed: the third attempt goes through, once
        assert send_due(NOW + datetime.timedelta(seconds=200)) == {"planned": 0, "sent": 1}
        assert send_due(NOW + datetime.timedelta(seconds=900)) == {"planned": 0}
        assert len(failing.bodies) == 3
        delivery.refresh_from_db()
        assert (delivery.status, delivery.last_error, delivery.attempts) == ("sent", "", 3)
        assert "실패한 전송" not in client.get("/alerts/").content.decode()
    finally:
        failing.close()


def test_after_the_last_attempt_the_delivery_is_given_up_and_says_so(client, subscriber, last_week_news, settings):
    settings.SEOULHUB_ALERT_ATTEMPTS = 1
    Subscription.objects.filter(pk=subscriber.pk).update(
        by_email=False, webhook_url="http://127.0.0.1:9/nothing-listens"
    )
    assert send_due(NOW) == {"planned": 1, "failed": 1}
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.next_attempt_at is None and delivery.last_error
    client.force_login(subscriber.user)
    assert "전송을 중단했습니다" in client.get("/alerts/").content.decode()


def test_a_webhook_address_that_turned_private_is_refused_at_sending(subscriber, last_week_news, settings):
    Subscription.objects.filter(pk=subscriber.pk).update(by_email=False, webhook_url="http://169.254.169.254/hook")
    settings.SEOULHUB_WEBHOOK_ALLOW = []
    send_due(NOW)
    assert "메타데이터" in Delivery.objects.get().last_error


def test_nothing_is_planned_before_the_digest_hour(subscriber, last_week_news, settings):
    settings.SEOULHUB_DIGEST_HOUR = 17  # NOW is 16:00 in Seoul
    assert plan_deliveries(NOW) == 0 and not Delivery.objects.exists()
    assert plan_deliveries(NOW + datetime.timedelta(hours=1)) == 1


def test_a_subscriber_without_channels_or_with_the_digest_off_gets_nothing(subscriber, last_week_news):
    Subscription.objects.filter(pk=subscriber.pk).update(by_email=False)
    assert plan_deliveries(NOW) == 0
    Subscription.objects.filter(pk=subscriber.pk).update(by_email=True)
    Profile.objects.filter(user=subscriber.user).update(digest_frequency="off")
    assert plan_deliveries(NOW) == 0 and not Delivery.objects.exists()


def test_two_workers_never_send_the_same_delivery(subscriber, last_week_news):
    assert plan_deliveries(NOW) == 1
    delivery = Delivery.objects.get()
    assert send_delivery(delivery.pk, NOW) == "sent"
    assert send_delivery(delivery.pk, NOW) == "not due"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it ends
def test_the_command_queues_and_the_database_worker_sends(subscriber, settings):
    from django.core.management import call_command
    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    _key, since, _until = digest_period("weekly", timezone.now())
    make_article(
        make_source("연합뉴스"),
        "세종시 스마트시티 마스터플랜 공개",
        techs=["smart-city"],
        published_at=since + datetime.timedelta(days=1),
    )
    call_command("send_alerts", "--enqueue", verbosity=0)
    assert not mail.outbox  # queued, not sent by the command
    assert Delivery.objects.get().status == "pending"
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert len(mail.outbox) == 1 and Delivery.objects.get().status == "sent"
    call_command("send_alerts", "--enqueue", verbosity=0)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert len(mail.outbox) == 1


def test_weekly_digest_carries_the_briefing_and_coming_deadlines(subscriber, last_week_news, make_user):
    from seoulhub.support.models import Programme

    ai = technology("ai-semiconductor")
    subscriber.briefings.add(ai)
    soon = Programme.objects.create(title="예시 AI 반도체 바우처", closes_on=datetime.date(2026, 6, 20))
    later = Programme.objects.create(title="예시 먼 지원사업", closes_on=datetime.date(2026, 9, 1))
    subscriber.programmes.add(soon, later)
    send_due(NOW)
    body = mail.outbox[0].body
    assert "2026-W24" in body and "/landscape/briefings/" in body
    assert soon.title in body and f"https://hub.example/support/programmes/{soon.pk}/" in body
    assert later.title not in body


def test_an_unreachable_mail_server_is_retried_and_then_the_digest_goes_out_once(subscriber, last_week_news, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    assert send_due(NOW) == {"planned": 1, "retry": 1}
    delivery = Delivery.objects.get()
    assert "메일 서버에 연결할 수 없습니다" in delivery.last_error and delivery.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due(NOW + datetime.timedelta(hours=1)) == {"planned": 0, "sent": 1}
    assert send_due(NOW + datetime.timedelta(hours=2)) == {"planned": 0}
    assert len(mail.outbox) == 1


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>예시 뉴스 (테스트)</title><link>http://news.example/</link>
<description>테스트용 피드</description>{items}</channel></rss>"""
RSS_ITEM = """<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{date}</pubDate>
<description>{title}: 테스트용 요약입니다.</description></item>"""


@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it ends
def test_news_ingested_after_the_subscription_reaches_mail_and_webhook_through_the_workers(make_user, hook, settings):
    """The whole path: a saved search, then a feed on a local server fetched by the worker, then
    the digest planned by the command and sent by the worker, to the mailbox and the webhook."""
    from email.utils import format_datetime

    from django.core.management import call_command

    from radar.conftest import FeedServer
    from seoulhub.alerts.models import SavedSearch
    from seoulhub.core import clock
    from seoulhub.radar.tasks import ingest_source, reset_fetcher

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SEOULHUB_FETCH_ALLOW = ["127.0.0.1"]
    settings.SEOULHUB_FETCH_HOST_DELAY = 0.0
    reset_fetcher()
    user = make_user("jiwoo", email="jiwoo@example.com")
    Profile.objects.update_or_create(user=user, defaults={"digest_frequency": "daily", "language": "ko"})
    subscription = Subscription.objects.create(user=user, by_email=True, webhook_url=hook.url)
    SavedSearch.objects.create(subscription=subscription, query="자율주행 로봇")
    assert not Article.objects.exists()

    _key, since, _until = digest_period("daily", clock.now())
    date = format_datetime(since + datetime.timedelta(hours=12))  # yesterday, the daily digest's period
    items = [
        ("서울시 자율주행 로봇 배송 시범 운행", "http://news.example/2026/robot-delivery"),
        ("실내 자율주행 로봇 스타트업 투자 유치", "http://news.example/2026/robot-funding"),
        ("AI 반도체 수출 증가", "http://news.example/2026/chips"),
    ]
    server = FeedServer()
    server.routes["/feed.xml"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        RSS.format(items="".join(RSS_ITEM.format(title=title, link=link, date=date) for title, link in items)).encode(),
    )
    try:
        source = make_source("예시 뉴스 (테스트)", url=server.url("/feed.xml"))
        ingest_source.enqueue(source.pk)
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    finally:
        server.close()
        reset_fetcher()
    assert Article.objects.filter(source=source).count() == 3

    call_command("send_alerts", "--enqueue", verbosity=0)
    assert not mail.outbox and not hook.bodies  # queued, not sent by the command
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert set(Delivery.objects.values_list("channel", "status", "item_count")) == {
        ("email", "sent", 2),
        ("webhook", "sent", 2),
    }
    robots = {title: Article.objects.get(title=title) for title, _link in items[:2]}

    assert len(hook.bodies) == 1
    content_type, body = hook.bodies[0]
    assert content_type == "application/json" and set(body) == {"text", "blocks"}
    for title, article in robots.items():
        assert f"<{article.url}|{title}>" in body["text"]  # the article itself, not a search
    assert "반도체" not in json.dumps(body, ensure_ascii=False) and "/radar/search" not in body["text"]
    linked = [block["text"]["text"] for block in body["blocks"] if block.get("type") == "section"]
    assert all(any(article.url in text for text in linked) for article in robots.values())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jiwoo@example.com"]
    html, _mimetype = message.alternatives[0]
    for article in robots.values():
        assert article.url in message.body and f'href="{article.url}"' in html
    assert "반도체" not in message.body and "/radar/search" not in message.body
