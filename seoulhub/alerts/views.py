"""The subscriber's page (what I follow, how it reaches me, what was sent and what failed), the
follow buttons used across the site, and the private Atom feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seoulhub.core import clock
from seoulhub.core.params import parse_ids, safe_next
from seoulhub.taxonomy.models import Technology

from .delivery import digest_frequency
from .models import Delivery, Subscription
from .selection import FEED_WINDOW, followed_programmes, matching_articles
from .services import Changes, InvalidChange, apply_changes, follow, my_subscription

RECENT_DELIVERIES = 10


def _changes_from_form(post) -> Changes:
    source_ids, bad_sources = parse_ids(post.getlist("sources"))
    programme_ids, bad_programmes = parse_ids(post.getlist("programmes"))
    if bad_sources:
        raise InvalidChange(_("Unknown source: choose sources from the list."))
    if bad_programmes:
        raise InvalidChange(_("Unknown programme: choose programmes from the list."))
    return Changes(
        frequency=post.get("frequency", ""),
        by_email=post.get("by_email") == "on",
        webhook_url=post.get("webhook_url", ""),
        technologies=post.getlist("technologies"),
        sources=source_ids,
        searches=[line for line in post.get("searches", "").splitlines() if line.strip()],
        briefings=post.getlist("briefings"),
        programmes=programme_ids,
        firm_programmes=post.get("firm_programmes") == "on",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    subscription = my_subscription(request.user)
    refused = None
    if request.method == "POST":
        try:
            apply_changes(subscription, refused := _changes_from_form(request.POST))
        except InvalidChange as exc:
            messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
            subscription.refresh_from_db()
        else:
            messages.success(request, _("Your subscriptions were saved."))
            return redirect("alerts:index")
    deliveries = list(subscription.deliveries.order_by("-created_at", "-pk")[:RECENT_DELIVERIES])
    context = {
        "subscription": subscription,
        "frequency": digest_frequency(subscription),
        "by_email": subscription.by_email,
        "webhook_url": subscription.webhook_url,
        "firm_programmes": subscription.firm_programmes,
        "frequencies": Subscription.Frequency.choices,
        "technologies": Technology.objects.filter(active=True).order_by("name_ko"),
        "followed_technologies": set(subscription.technologies.values_list("slug", flat=True)),
        "followed_briefings": set(subscription.briefings.values_list("slug", flat=True)),
        "sources": _sources(),
        "followed_sources": set(subscription.sources.values_list("id", flat=True)),
        "searches": "\n".join(subscription.searches.values_list("query", flat=True)),
        "programmes": subscription.programmes.order_by("closes_on", "title"),
        "deadlines": followed_programmes(subscription).filter(closes_on__gte=clock.today()).order_by("closes_on")[:20],
        "feed_url": request.build_absolute_uri(reverse("alerts:feed", args=[subscription.feed_token])),
        "matches": matching_articles(subscription, since=clock.now() - FEED_WINDOW, limit=30),
        "deliveries": deliveries,
        "problems": [
            d for d in deliveries if d.last_error and d.status in (Delivery.Status.PENDING, Delivery.Status.FAILED)
        ],
    }
    if refused is not None:
        # Nothing was saved, but the form shows what the person typed, so one fix and Save will do.
        context.update(_typed(refused))
    return render(request, "alerts/index.html", context)


def _typed(changes: Changes) -> dict:
    typed = {
        "by_email": changes.by_email,
        "webhook_url": changes.webhook_url,
        "firm_programmes": changes.firm_programmes,
        "searches": "\n".join(changes.searches),
        "followed_technologies": set(changes.technologies),
        "followed_briefings": set(changes.briefings),
        "followed_sources": set(changes.sources),
    }
    if changes.frequency in Subscription.Frequency.values:
        typed["frequency"] = changes.frequency
    return typed


def _sources():
    from seoulhub.radar.models import Source

    return Source.objects.order_by("name")


@login_required
@require_POST
def follow_view(request):
    """Follow or unfollow one technology, source, search, briefing or programme from a button."""
    subscription = my_subscription(request.user)
    on = request.POST.get("action", "follow") != "unfollow"
    try:
        follow(subscription, request.POST.get("kind", ""), request.POST.get("value", ""), on)
    except InvalidChange as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Followed.") if on else _("Unfollowed."))
    return _back(request)


def _back(request):
    """To the page the button was on (`next`), if that is a page of this site; else the settings."""
    next_url = safe_next(request)
    # HttpResponseRedirect, not redirect(): that would try a next of "²" as a view name.
    return HttpResponseRedirect(next_url) if next_url else redirect("alerts:index")


@login_required
@require_POST
def rotate_token(request):
    my_subscription(request.user).rotate_feed_token()
    messages.success(request, _("Your feed has a new address; the old one no longer works."))
    return redirect("alerts:index")


def legacy_briefing_feed(request, token: str):
    """The former landscape briefing feed: readers are sent on to the one feed."""
    from django.db.models import Q

    subscription = Subscription.objects.filter(Q(legacy_briefing_token=token) | Q(feed_token=token)).first()
    if subscription is None:
        raise Http404(_("No feed has this address; it may have been replaced."))
    return HttpResponseRedirect(reverse("alerts:feed", args=[subscription.feed_token]), status=301)
