"""Changing what a person follows: validated as a whole first, then written, so bad input changes
nothing. Shared by the settings page, the follow buttons, the API and the landscape's routes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seoulhub.accounts.models import profile_for
from seoulhub.taxonomy.models import Technology

from .models import SavedSearch, Subscription
from .webhook import WebhookError, check_webhook_url

MAX_SEARCHES = 50
MAX_SEARCH_CHARS = 200


class InvalidChange(ValueError):
    """Input that cannot be saved; str() says why, in the active language."""


@dataclass
class Changes:
    """Fields left as None stay as they are."""

    frequency: str | None = None
    by_email: bool | None = None
    webhook_url: str | None = None
    technologies: list[str] | None = None
    sources: list[int] | None = None
    searches: list[str] | None = None
    briefings: list[str] | None = None
    programmes: list[int] | None = None
    firm_programmes: bool | None = None


def my_subscription(user) -> Subscription:
    try:
        return Subscription.objects.get_or_create(user=user)[0]
    except IntegrityError:  # created by a parallel request
        return Subscription.objects.get(user=user)


def _by_ids(model, ids: list[int]) -> tuple[list, list[int]]:
    """(rows found, ids not found); ids outside the database's range are simply not found."""
    from seoulhub.core.params import MAX_ID

    storable = [i for i in ids if 1 <= i <= MAX_ID]
    found = list(model.objects.filter(id__in=storable))
    return found, sorted(set(ids) - {row.id for row in found})


def _technologies(slugs: list[str]) -> list[Technology]:
    found = list(Technology.objects.filter(slug__in=[str(s) for s in slugs], active=True))
    missing = sorted(set(map(str, slugs)) - {t.slug for t in found})
    if missing:
        raise InvalidChange(
            _("Unknown technologies: %(slugs)s. Choose technologies from the list.") % {"slugs": ", ".join(missing)}
        )
    return found


def clean_webhook_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    try:
        check_webhook_url(url)
    except WebhookError as exc:
        raise InvalidChange(_("This webhook address cannot be used: %(reason)s.") % {"reason": exc}) from exc
    return url


def apply_changes(subscription: Subscription, changes: Changes) -> None:
    """Validate everything, then write in one transaction."""
    from seoulhub.radar.models import Source
    from seoulhub.support.models import Programme

    if changes.frequency == "none":  # the radar's former word for "off", still accepted from clients
        changes.frequency = Subscription.Frequency.OFF
    if changes.frequency is not None and changes.frequency not in Subscription.Frequency.values:
        raise InvalidChange(
            _("The digest frequency must be one of: %(values)s.") % {"values": ", ".join(Subscription.Frequency.values)}
        )
    webhook_url = clean_webhook_url(changes.webhook_url) if changes.webhook_url is not None else None
    technologies = _technologies(changes.technologies) if changes.technologies is not None else None
    briefings = _technologies(changes.briefings) if changes.briefings is not None else None
    sources = programmes = searches = None
    if changes.sources is not None:
        sources, missing = _by_ids(Source, changes.sources)
        if missing:
            raise InvalidChange(
                _("Unknown sources: %(ids)s. Choose sources from the list.") % {"ids": ", ".join(map(str, missing))}
            )
    if changes.programmes is not None:
        programmes, missing = _by_ids(Programme, changes.programmes)
        if missing:
            raise InvalidChange(_("Unknown programmes: %(ids)s.") % {"ids": ", ".join(map(str, missing))})
    if changes.searches is not None:
        searches = list(dict.fromkeys(" ".join(q.split()) for q in changes.searches if q.strip()))
        if any(len(q) > MAX_SEARCH_CHARS for q in searches):
            raise InvalidChange(_("A saved search is at most %(count)s characters.") % {"count": MAX_SEARCH_CHARS})
        if len(searches) > MAX_SEARCHES:
            raise InvalidChange(_("At most %(count)s saved searches.") % {"count": MAX_SEARCHES})
    with transaction.atomic():
        if changes.frequency is not None:
            profile = profile_for(subscription.user)
            profile.digest_frequency = changes.frequency
            profile.save(update_fields=["digest_frequency", "updated_at"])
        for name in ("by_email", "firm_programmes"):
            if getattr(changes, name) is not None:
                setattr(subscription, name, getattr(changes, name))
        if webhook_url is not None:
            subscription.webhook_url = webhook_url
        subscription.save()
        for relation, values in (
            ("technologies", technologies),
            ("sources", sources),
            ("briefings", briefings),
            ("programmes", programmes),
        ):
            if values is not None:
                getattr(subscription, relation).set(values)
        if searches is not None:
            subscription.searches.exclude(query__in=searches).delete()
            for query in searches:
                SavedSearch.objects.get_or_create(subscription=subscription, query=query)


FOLLOW_KINDS = ("technology", "source", "search", "briefing", "programme")


def follow(subscription: Subscription, kind: str, value: str, on: bool) -> str:
    """Follow (on) or unfollow one thing; returns its name, or InvalidChange."""
    from seoulhub.core.params import parse_int
    from seoulhub.radar.models import Source
    from seoulhub.support.models import Programme

    value = (value or "").strip()
    if kind in ("technology", "briefing"):
        technology = Technology.objects.filter(slug=value, active=True).first()
        if technology is not None:
            relation = subscription.technologies if kind == "technology" else subscription.briefings
            (relation.add if on else relation.remove)(technology)
            return technology.name
    elif kind == "source":
        source = Source.objects.filter(id=parse_int(value) or 0).first()
        if source is not None:
            (subscription.sources.add if on else subscription.sources.remove)(source)
            return source.name
    elif kind == "programme":
        programme = Programme.objects.filter(id=parse_int(value) or 0).first()
        if programme is not None:
            (subscription.programmes.add if on else subscription.programmes.remove)(programme)
            return programme.title
    elif kind == "search" and value and len(value) <= MAX_SEARCH_CHARS:
        query = " ".join(value.split())
        if on:
            if subscription.searches.count() >= MAX_SEARCHES:
                raise InvalidChange(_("At most %(count)s saved searches.") % {"count": MAX_SEARCHES})
            subscription.searches.get_or_create(query=query)
        else:
            subscription.searches.filter(query=query).delete()
        return query
    raise InvalidChange(_("Nothing to follow: unknown technology, source, programme or an empty search."))
