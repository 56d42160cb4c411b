"""A subscriber's personal Atom feed, readable without logging in through a private token."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from seoulhub.core import clock

from .digest import FEED_WINDOW, matching_articles
from .models import Subscription


class PersonalFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, token: str):
        subscription = Subscription.objects.select_related("user").filter(feed_token=token).first()
        if subscription is None:
            raise Http404(_("No feed with this address; the token may have been replaced."))
        return subscription

    def title(self, subscription):
        return _("Seoul Digital Hub radar for %(user)s") % {"user": subscription.user.get_username()}

    def link(self, subscription):
        return "/radar/subscriptions/"

    def subtitle(self, subscription):
        return _("Articles on the technologies, sources and searches you follow.")

    def items(self, subscription):
        return matching_articles(subscription, since=clock.now() - FEED_WINDOW, limit=50)

    def item_title(self, match):
        return match.article.title

    def item_description(self, match):
        text = match.article.text or strip_tags(match.article.summary_html or "")
        reasons = ", ".join(match.reasons)
        also = ", ".join(a.source.name for a in match.also)
        parts = [text[:600]]
        if reasons:
            parts.append(_("Matched: %(reasons)s") % {"reasons": reasons})
        if also:
            parts.append(_("Also reported by: %(sources)s") % {"sources": also})
        return "\n\n".join(parts)

    def item_link(self, match):
        # Items without a link of their own (e.g. headline-only sources) point at a search for them.
        return match.article.url or reverse("radar:search") + "?" + urlencode({"q": match.article.title[:200]})

    def item_guid(self, match):
        return f"seoulhub-article-{match.article.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, match):
        return match.article.published_at or match.article.fetched_at

    def item_author_name(self, match):
        return match.article.source.name
