"""Wording of lifecycle states and matchmaking reasons, in the active language."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seoulhub.taxonomy.models import Technology

from ..services import CAPACITY_LABELS, state_word

register = template.Library()


@register.filter
def state_label(state: str) -> str:
    return state_word(state) if state else ""


def _names(slugs) -> str:
    by_slug = {t.slug: t.name for t in Technology.objects.filter(slug__in=list(slugs))}
    return ", ".join(by_slug.get(s, s) for s in slugs)


@register.filter
def source_host(url: str) -> str:
    """The site a source link points to (m.edaily.co.kr), for a short link text."""
    from urllib.parse import urlsplit

    host = urlsplit(str(url)).hostname or str(url)
    return host.removeprefix("www.")


@register.filter
def capacity_label(capacity: str) -> str:
    if capacity == "system":
        return _("demo loader")
    return _(CAPACITY_LABELS.get(capacity, capacity))


@register.filter
def method_label(method: str) -> str:
    return {"exact": _("exact"), "greedy": _("greedy"), "exact-stopped": _("exact, stopped early")}.get(method, method)


@register.filter
def tech_names(slugs) -> str:
    return _names(sorted(slugs))


@register.filter
def reason_text(reason) -> str:
    if reason.code == "covers":
        if reason.number is not None:
            return _("brings %(techs)s (%(share)s%% of the required technologies)") % {
                "techs": _names(reason.items),
                "share": round(reason.number * 100),
            }
        return _("brings %(techs)s") % {"techs": _names(reason.items)}
    if reason.code == "references":
        if reason.number is not None:
            return _("has references in %(techs)s") % {"techs": _names(reason.items)}
        return ngettext(
            "member with relevant references: %(firms)s",
            "members with relevant references: %(firms)s",
            len(reason.items),
        ) % {"firms": ", ".join(reason.items)}
    if reason.code == "trl":
        return _("technology readiness level %(trl)s of 9") % {"trl": int(reason.number)}
    return reason.code
