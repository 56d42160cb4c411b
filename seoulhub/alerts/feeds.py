"""A subscriber's private Atom feed (readable without logging in, through the token): articles
with their snippet and technologies (Atom categories), linking to the article itself, and the
landscape briefings of the technologies followed."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from seoulhub.core import clock

from .models import Subscription
from .selection import FEED_WINDOW, Match, matching_articles

BRIEFINGS_IN_FEED = 10


class PersonalFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, token: str):
        subscription = Subscription.objects.select_related("user").filter(feed_token=token).first()
        if subscription is None:
            raise Http404(_("No feed has this address; it may have been replaced."))
        return subscription

    def title(self, subscription):
        return _("Seoul Digital Hub for %(user)s") % {"user": subscription.user.get_username()}

    def link(self, subscription):
        return reverse("alerts:index")

    def subtitle(self, subscription):
        return _("Articles and landscape briefings on what you follow.")

    def items(self, subscription):
        from seoulhub.landscape.models import Briefing

        entries = list(matching_articles(subscription, since=clock.now() - FEED_WINDOW, limit=50))
        technology_ids = list(subscription.briefings.values_list("pk", flat=True))
        entries += list(
            Briefing.objects.filter(technology_id__in=technology_ids)
            .select_related("technology")
            .order_by("-week", "technology__slug")[:BRIEFINGS_IN_FEED]
        )
        return entries

    def item_title(self, item):
        if isinstance(item, Match):
            return item.article.title
        return _("Landscape briefing: %(tech)s, week %(week)s") % {"tech": item.technology.name, "week": item.week}

    def item_description(self, item):
        if isinstance(item, Match):
            return item.snippet or item.article.title
        return _("The weekly figures and news of %(tech)s in Seoul and worldwide.") % {"tech": item.technology.name}

    def item_link(self, item):
        if isinstance(item, Match):
            # The article itself: its own address, else its page on the hub (made absolute by Feed).
            return item.article.url or item.article.get_absolute_url()
        return reverse("landscape:briefing", args=[item.pk])

    def item_categories(self, item):
        if isinstance(item, Match):
            return item.technologies
        return [item.technology.name]

    def item_guid(self, item):
        if isinstance(item, Match):
            return f"seoulhub-article-{item.article.pk}"
        return f"seoulhub-briefing-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        if isinstance(item, Match):
            return item.article.published_at or item.article.fetched_at
        return item.created_at

    def item_updateddate(self, item):
        value = self.item_pubdate(item)
        return value if isinstance(value, datetime.datetime) else None

    def item_author_name(self, item):
        if isinstance(item, Match):
            return item.article.source.name
        return _("Seoul Digital Hub")
