"""The one subscription in the API: GET/PUT /api/v1/subscription (the radar's former paths, with
the landscape briefings, programme deadlines and delivery channels added) and the feed token."""

from datetime import datetime

from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema
from ninja.errors import HttpError

from seoulhub.accounts.api_auth import require_user

from .delivery import digest_frequency
from .models import Delivery, Subscription
from .services import Changes, InvalidChange, apply_changes, my_subscription

router = Router(tags=["subscriptions"])


class DeliveryProblemOut(Schema):
    channel: str
    period: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str


class SubscriptionOut(Schema):
    frequency: str
    by_email: bool
    webhook_url: str
    technologies: list[str]
    sources: list[int]
    searches: list[str]
    briefings: list[str]
    programmes: list[int]
    firm_programmes: bool
    feed_url: str
    problems: list[DeliveryProblemOut]


class SubscriptionIn(Schema):
    frequency: str | None = None
    by_email: bool | None = None
    webhook_url: str | None = None
    technologies: list[str] | None = None
    sources: list[int] | None = None
    searches: list[str] | None = None
    briefings: list[str] | None = None
    programmes: list[int] | None = None
    firm_programmes: bool | None = None


def _out(request, subscription: Subscription) -> dict:
    problems = subscription.deliveries.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]).exclude(
        last_error=""
    )[:10]
    return {
        "frequency": digest_frequency(subscription),
        "by_email": subscription.by_email,
        "webhook_url": subscription.webhook_url,
        "technologies": sorted(subscription.technologies.values_list("slug", flat=True)),
        "sources": sorted(subscription.sources.values_list("id", flat=True)),
        "searches": list(subscription.searches.values_list("query", flat=True)),
        "briefings": sorted(subscription.briefings.values_list("slug", flat=True)),
        "programmes": sorted(subscription.programmes.values_list("id", flat=True)),
        "firm_programmes": subscription.firm_programmes,
        "feed_url": request.build_absolute_uri(reverse("alerts:feed", args=[subscription.feed_token])),
        "problems": [
            {
                "channel": d.channel,
                "period": d.period,
                "status": d.status,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at,
                "last_error": d.last_error,
            }
            for d in problems
        ],
    }


@router.get("/subscription", response=SubscriptionOut, summary="What I follow and how it reaches me")
def get_subscription(request):
    return _out(request, my_subscription(require_user(request)))


@router.put("/subscription", response=SubscriptionOut, summary="Change what I follow (fields left out stay)")
def put_subscription(request, data: SubscriptionIn):
    subscription = my_subscription(require_user(request))
    try:
        with translation.override("en"):  # the REST API answers in English (docs/architecture.md)
            apply_changes(subscription, Changes(**data.dict()))
    except InvalidChange as exc:
        raise HttpError(422, str(exc)) from exc
    return _out(request, subscription)


@router.post("/subscription/feed-token", response=SubscriptionOut, summary="Replace my private feed address")
def rotate_feed_token(request):
    subscription = my_subscription(require_user(request))
    subscription.rotate_feed_token()
    return _out(request, subscription)
