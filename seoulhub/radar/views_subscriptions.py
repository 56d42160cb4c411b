from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja.errors import HttpError

from seoulhub.core import clock

from seoulhub.core.params import parse_ids, parse_int, safe_next
from seoulhub.taxonomy.models import Technology

from .api_search import RadarSubscriptionIn, apply_subscription_changes, my_subscription
from .digest import FEED_WINDOW, matching_articles
from .models import Source, Subscription


@login_required
def settings_page(request):
    subscription = my_subscription(request.user)
    if request.method == "POST":
        source_ids, bad_sources = parse_ids(request.POST.getlist("sources"))
        try:
            if bad_sources:
                raise HttpError(422, _("Unknown source: choose sources from the list."))
            data = RadarSubscriptionIn(
                frequency=request.POST.get("frequency"),
                technologies=request.POST.getlist("technologies"),
                sources=source_ids,
                searches=[line for line in request.POST.get("searches", "").splitlines() if line.strip()],
            )
            with transaction.atomic():
                apply_subscription_changes(subscription, data)
        except HttpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your subscriptions were saved."))
            return redirect("radar:subscriptions")
    return render(request, "radar/subscriptions/settings.html", {
        "subscription": subscription,
        "frequencies": Subscription.Frequency.choices,
        "technologies": Technology.objects.filter(active=True).order_by("name_ko"),
        "followed_technologies": set(subscription.technologies.values_list("slug", flat=True)),
        "sources": Source.objects.order_by("name"),
        "followed_sources": set(subscription.sources.values_list("id", flat=True)),
        "searches": "\n".join(subscription.searches.values_list("query", flat=True)),
        "feed_url": request.build_absolute_uri(reverse("radar:subscription_feed", args=[subscription.feed_token])),
        "matches": matching_articles(subscription, since=clock.now() - FEED_WINDOW, limit=30),
    })


@login_required
@require_POST
def follow(request):
    """Follow or unfollow one technology, source or search from a button anywhere on the site."""
    subscription = my_subscription(request.user)
    kind, value, action = request.POST.get("kind"), request.POST.get("value", "").strip(), request.POST.get("action", "follow")
    if kind == "technology" and Technology.objects.filter(slug=value).exists():
        tech = Technology.objects.get(slug=value)
        (subscription.technologies.add if action == "follow" else subscription.technologies.remove)(tech)
    elif kind == "source" and (source := Source.objects.filter(id=parse_int(value) or 0).first()) is not None:
        (subscription.sources.add if action == "follow" else subscription.sources.remove)(source)
    elif kind == "search" and value and len(value) <= 200:
        if action == "follow":
            subscription.searches.get_or_create(query=" ".join(value.split()))
        else:
            subscription.searches.filter(query=" ".join(value.split())).delete()
    else:
        messages.error(request, _("Nothing to follow: unknown technology, source or an empty search."))
        return _back(request)
    messages.success(request, _("Followed.") if action == "follow" else _("Unfollowed."))
    return _back(request)


def _back(request):
    """To the page the button was on (`next`), if that is a page of this site; else the settings."""
    next_url = safe_next(request)
    # HttpResponseRedirect, not redirect(): that would try a next of "²" as a view name.
    return HttpResponseRedirect(next_url) if next_url else redirect("radar:subscriptions")


@login_required
@require_POST
def rotate_token(request):
    my_subscription(request.user).rotate_feed_token()
    messages.success(request, _("Your feed has a new address; the old one no longer works."))
    return redirect("radar:subscriptions")
