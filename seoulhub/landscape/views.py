import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from seoulhub.accounts.roles import Role, has_role
from seoulhub.alerts.services import follow, my_subscription
from seoulhub.core.params import safe_next
from seoulhub.support.models import Firm
from seoulhub.support.permissions import firms_of
from seoulhub.taxonomy.models import Technology

from . import links
from .briefing import render_briefing
from .models import Briefing
from .opportunities import firm_opportunities
from .queries import gap_rows
from .trends import HISTORY_WEEKS, RECENT_WEEKS


@require_GET
def gaps(request):
    """The officials' early warning. Public like the figures it ranks (all counted from public
    lists); see docs/decisions.md, "Landscape"."""
    rising_only = request.GET.get("rising") == "1"
    rows = gap_rows(rising_only=rising_only)
    for row in rows:
        row.links = links.for_technology(row.technology.slug)
    refreshed = max((r.local_refreshed_at for r in rows if r.local_refreshed_at), default=None)
    every_row = rows if not rising_only else gap_rows()
    return render(
        request,
        "landscape/gaps.html",
        {
            "rows": rows,
            "rising_only": rising_only,
            "refreshed": refreshed,
            "quadrant": json.dumps(quadrant_figure(every_row), ensure_ascii=False),
            "enough_history": any(r.history_total for r in every_row),
            "recent_weeks": RECENT_WEEKS,
            "history_weeks": HISTORY_WEEKS,
            "rising_count": sum(1 for r in every_row if r.rising > 0),
        },
    )


def quadrant_figure(rows) -> dict:
    """Plotly figure (data and layout as JSON for the page's script): each technology at its
    Seoul capacity (x) and its global emergence score (y, the lower end of the 95 % interval of
    log2 share growth). Significant risers are marked; the upper-left quarter is the gap: rising
    in the world, little capacity in Seoul."""
    groups = {True: [], False: []}
    for row in rows:
        if row.history_total:  # a technology without trend figures has no place on the y axis
            groups[row.rising > 0].append(row)
    data = []
    for rising, members in ((False, groups[False]), (True, groups[True])):
        if not members:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text" if rising else "markers",
                "name": _("rising (significant)") if rising else _("not rising significantly"),
                "x": [round(r.capacity, 3) for r in members],
                "y": [round(r.emergence, 3) for r in members],
                "text": [r.technology.name for r in members],
                "textposition": ["top right" if r.capacity < 0.5 else "top left" for r in members],
                "customdata": [r.technology.get_absolute_url() for r in members],
                "hovertemplate": "%{text}<br>"
                + _("capacity")
                + " %{x:.2f}<br>"
                + _("emergence")
                + " %{y:.2f}<extra></extra>",
                "marker": {"size": 12 if rising else 8, "color": "#c0392b" if rising else "#95a5a6"},
            }
        )
    scores = [y for trace in data for y in trace["y"]] or [0.0]
    # Falling technologies can score far below 0; the chart is about the rising side.
    y_range = [max(min(scores), -3.0) - 0.3, max(max(scores), 1.0) + 0.5]
    layout = {
        "xaxis": {"title": {"text": _("Capacity in Seoul (0-1)")}, "range": [-0.02, 1.0], "zeroline": False},
        "yaxis": {
            "title": {"text": _("Global emergence (log2 share growth, 95% lower bound)")},
            "zeroline": True,
            "range": y_range,
        },
        "shapes": [
            {
                "type": "line",
                "x0": 0.5,
                "x1": 0.5,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": "#7f8c8d", "width": 1},
            }
        ],
        "annotations": [
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0.01,
                "y": 0.99,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "text": _("Gap: rising, little capacity"),
                "font": {"color": "#c0392b"},
            },
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0.99,
                "y": 0.99,
                "xanchor": "right",
                "yanchor": "top",
                "showarrow": False,
                "text": _("Rising, capacity in place"),
            },
        ],
        "margin": {"t": 10, "r": 10, "l": 60, "b": 50},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "showlegend": True,
    }
    return {"data": data, "layout": layout}


def can_see_opportunities(user, firm: Firm) -> bool:
    if not user.is_authenticated:
        return False
    return has_role(user, Role.OFFICIAL) or firm.members.filter(user=user).exists()


@require_GET
def opportunities(request, pk: int):
    firm = get_object_or_404(Firm.objects.select_related("district"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_see_opportunities(request.user, firm):
        raise PermissionDenied(_("Firm members see their own firm's opportunities; officials see every firm's."))
    return render(request, "landscape/opportunities.html", {"view": firm_opportunities(firm)})


@login_required
@require_GET
def my_opportunities(request):
    firm = firms_of(request.user).order_by("name_ko").first()
    if firm is None:
        raise Http404(_("You are not a member of any firm on the hub yet."))
    return redirect("landscape:opportunities", pk=firm.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscriptions(request):
    """Following a technology's weekly briefing is part of the one subscription (/alerts/); the
    technology pages' buttons still post here."""
    if request.method != "POST":
        return redirect("alerts:index")
    technology = get_object_or_404(Technology, slug=request.POST.get("technology", ""), active=True)
    action = request.POST.get("action", "subscribe")
    if action not in ("subscribe", "unsubscribe"):
        messages.error(request, _("Unknown action: use subscribe or unsubscribe."))
    else:
        follow(my_subscription(request.user), "briefing", technology.slug, on=action == "subscribe")
        if action == "subscribe":
            messages.success(
                request, _("You will receive the weekly briefing on %(tech)s.") % {"tech": technology.name}
            )
        else:
            messages.success(request, _("You no longer receive the briefing on %(tech)s.") % {"tech": technology.name})
    target = safe_next(request)  # "/\\evil.example" passed the old startswith("/") check
    return HttpResponseRedirect(target) if target else redirect("alerts:index")


@require_GET
def briefing(request, pk: int):
    item = get_object_or_404(Briefing.objects.select_related("technology"), pk=pk)
    return render(
        request, "landscape/briefing.html", {"briefing": item, "content": item.content, "technology": item.technology}
    )


def _atom(request, title: str, link: str, briefings) -> HttpResponse:
    feed = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(link),
        description=title,
        language=request.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(),
    )
    for item in briefings:
        subject, text, _html = render_briefing(item)
        url = request.build_absolute_uri(reverse("landscape:briefing", args=[item.pk]))
        feed.add_item(
            title=subject,
            link=url,
            unique_id=url,
            description=text,
            pubdate=item.created_at,
            updateddate=item.created_at,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@require_GET
def technology_feed(request, slug: str):
    technology = get_object_or_404(Technology, slug=slug, active=True)
    items = technology.briefings.select_related("technology").order_by("-week")[:30]
    return _atom(
        request,
        _("Landscape briefing: %(tech)s") % {"tech": technology.name},
        reverse("taxonomy:detail", args=[slug]),
        items,
    )
