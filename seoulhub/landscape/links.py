"""Where each figure of the landscape was counted from, as links with query parameters on the
other apps' list pages (support: firm and programme lists take `tech`, `district` (Korean name)
and `open=true`, the same parameters as their API operations; radar search takes `tech`). The pilots app has no technology filter on its
lists, so demand and pilot figures link to the lists of those rows on the technology page itself.
A page missing from its app falls back to the app's API list endpoint with the same filter."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# figure -> (url names tried in order, fixed query parameters, API fallback path)
_TARGETS: dict[str, tuple[list[str], dict[str, str], str]] = {
    "firms": (["support:firm_list"], {}, "/api/v1/firms"),
    "programmes": (["support:programme_list"], {}, "/api/v1/programmes"),
    "open_programmes": (["support:programme_list"], {"open": "true"}, "/api/v1/programmes"),
    "articles": (["radar:search", "radar:article_list"], {}, "/api/v1/articles"),
}


def _first_url(names: list[str]) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def figure_url(figure: str, slug: str, **extra: str) -> str:
    names, params, api_path = _TARGETS[figure]
    base = _first_url(names)
    query = {"tech": slug, **params, **extra}
    if base is None:
        base = api_path  # the page's filters and the API's are one FilterSet
    return f"{base}?{urlencode(query)}"


def for_technology(slug: str) -> dict[str, str]:
    found = {figure: figure_url(figure, slug) for figure in _TARGETS}
    page = reverse("taxonomy:detail", args=[slug])
    found["open_demands"] = page + "#demands"
    found["pilots"] = page + "#pilots"
    found["related"] = page + "#related"
    found["districts"] = page + "#firms"  # the map and the district table, each district linking to its firms
    try:
        found["timeline"] = reverse("radar:trend_technology", args=[slug])
    except NoReverseMatch:
        pass
    return found


def firms_in_district(slug: str, district_name_ko: str) -> str:
    return figure_url("firms", slug, district=district_name_ko)
