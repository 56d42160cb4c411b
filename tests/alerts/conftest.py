import pytest
from django.utils import timezone as dj_timezone

from seoulhub.radar.models import StoryCluster

from radar.search_factories import make_article, make_source, technology


@pytest.fixture(autouse=True)
def _locmem_mail_and_local_webhooks(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SEOULHUB_WEBHOOK_ALLOW = ["127.0.0.1"]
    settings.SITE_URL = "https://hub.example"
    settings.SEOULHUB_DIGEST_HOUR = 0


@pytest.fixture
def news(db):
    """Real Yonhap (KLUE-YNAT) headlines, two of them one story from two sources."""
    yonhap, other = make_source("연합뉴스"), make_source("다른 언론사")
    now = dj_timezone.now()
    story = StoryCluster.objects.create(title="스마트시티", size=2)
    articles = {
        "smart": make_article(
            yonhap,
            "세종시 스마트시티 마스터플랜 말하는 정재승 교수",
            techs=["smart-city"],
            relevance=0.9,
            published_at=now,
            cluster=story,
        ),
        "smart_copy": make_article(
            other,
            "세종시 스마트시티 마스터플랜 공개",
            techs=["smart-city"],
            relevance=0.7,
            published_at=now,
            cluster=story,
        ),
        "chip": make_article(
            yonhap,
            "KIST 전자 스핀 이용한 AI 반도체 기술 개발",
            techs=["ai-semiconductor"],
            relevance=0.8,
            published_at=now,
        ),
        "phone": make_article(other, "스마트폰 HW 발전은 끝물…SW가 성장 활로", relevance=0.4, published_at=now),
    }
    technology("smart-city")
    return yonhap, other, articles
