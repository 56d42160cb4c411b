"""E-mail digests: HTML and text, ranked by relevance, one per story cluster, once per period."""

from datetime import datetime, timedelta, timezone

import pytest
from django.core import mail

from seoulhub.radar.digest import digest_period, send_digest, send_due_digests
from seoulhub.radar.models import DigestDelivery, StoryCluster, Subscription

from .search_factories import make_article, make_source, technology

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 17, 7, 0, tzinfo=timezone.utc)  # a Wednesday


@pytest.fixture
def subscriber(make_user):
    user = make_user("reader", email="reader@example.org")
    subscription = Subscription.objects.create(user=user, frequency=Subscription.Frequency.WEEKLY)
    subscription.technologies.add(technology("smart-city"), technology("ai-semiconductor"))
    return subscription


def last_week(hours=0):
    return NOW - timedelta(days=7, hours=hours)


def test_digest_period_covers_yesterday_or_last_iso_week():
    key, since, until = digest_period("weekly", NOW)
    assert key == "2026-W24" and since.date().isoformat() == "2026-06-08" and until.date().isoformat() == "2026-06-15"
    key, since, until = digest_period("daily", NOW)
    assert key == "2026-06-16" and (until - since) == timedelta(days=1)


def test_weekly_digest_is_ranked_deduplicated_and_sent_once(subscriber):
    yonhap, other = make_source("연합뉴스"), make_source("다른 언론사")
    story = StoryCluster.objects.create(title="스마트시티", size=2)
    best = make_article(yonhap, "세종시 스마트시티 마스터플랜 말하는 정재승 교수", techs=["smart-city"], relevance=0.9,
                        published_at=last_week(), cluster=story)
    make_article(other, "세종시 스마트시티 마스터플랜 공개", techs=["smart-city"], relevance=0.6,
                 published_at=last_week(), cluster=story)
    chip = make_article(yonhap, "KIST 전자 스핀 이용한 AI 반도체 기술 개발", techs=["ai-semiconductor"], relevance=0.7,
                        published_at=last_week(2))
    make_article(yonhap, "동부하이텍 팹리스 업체 반도체 설계지원 강화", techs=["ai-semiconductor"], relevance=0.8,
                 published_at=NOW - timedelta(days=30))  # outside the period

    assert send_digest(subscriber, now=NOW) == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert message.body.index(best.title) < message.body.index(chip.title)
    assert "다른 언론사" in message.body  # also reported by
    assert "팹리스" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and best.title in html and "<ol>" in html

    assert send_digest(subscriber, now=NOW + timedelta(hours=3)) == 0
    assert len(mail.outbox) == 1 and DigestDelivery.objects.count() == 1


def test_digest_text_and_subject_are_plain_text_not_html(subscriber):
    title = 'R&D <AI> "반도체" 설계'
    make_article(make_source("연합뉴스"), title, techs=["ai-semiconductor"], relevance=0.9, published_at=last_week())
    assert send_digest(subscriber, now=NOW) == 1
    message = mail.outbox[0]
    assert title in message.body and "&amp;" not in message.body + message.subject
    assert "\n" not in message.subject
    assert "R&amp;D &lt;AI&gt;" in message.alternatives[0][0]


def test_no_mail_without_address_frequency_or_matches(subscriber, make_user):
    assert send_digest(subscriber, now=NOW) == 0  # nothing published last week
    source = make_source()
    make_article(source, "KIST 전자 스핀 이용한 AI 반도체 기술 개발", techs=["ai-semiconductor"], published_at=last_week())
    subscriber.user.email = ""
    subscriber.user.save()
    assert send_digest(subscriber, now=NOW) == 0
    subscriber.user.email = "reader@example.org"
    subscriber.user.save()
    subscriber.frequency = Subscription.Frequency.NONE
    assert send_digest(subscriber, now=NOW) == 0
    assert mail.outbox == []


def test_a_failed_send_records_nothing_so_the_next_run_retries(subscriber, monkeypatch):
    source = make_source()
    make_article(source, "KIST 전자 스핀 이용한 AI 반도체 기술 개발", techs=["ai-semiconductor"], published_at=last_week())

    def broken_send(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    with pytest.raises(ConnectionRefusedError):
        send_digest(subscriber, now=NOW)
    assert not DigestDelivery.objects.exists()
    monkeypatch.undo()
    assert send_due_digests("weekly", now=NOW) == {"sent": 1, "skipped": 0}


def test_digest_command_sends_and_a_second_run_sends_nothing(subscriber):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone as dj_timezone

    source = make_source()
    now = dj_timezone.now()
    _, since, _ = digest_period("weekly", now)
    make_article(source, "KIST 전자 스핀 이용한 AI 반도체 기술 개발", techs=["ai-semiconductor"],
                 published_at=since + timedelta(hours=5))
    out = StringIO()
    call_command("radar_digests", "weekly", stdout=out)
    assert "sent 1" in out.getvalue() and len(mail.outbox) == 1
    call_command("radar_digests", "weekly", stdout=out)
    assert len(mail.outbox) == 1
