"""The home page's four areas. Each domain app may offer `home_card(request) -> dict` in its
`home.py`; its template `<app>/_home_card.html` renders that dict."""

from importlib import import_module

from django.utils.translation import gettext_lazy as _

from seoulhub.landscape.home import SECTION as LANDSCAPE_SECTION

SECTIONS = [
    (
        "radar",
        _("Radar"),
        _(
            "Pre-adopter: the world's digital-technology news and papers, classified and searchable in Korean and English."
        ),
    ),
    (
        "support",
        _("Support"),
        _("Accelerator: Seoul's digital firms and the support programmes they are eligible for."),
    ),
    ("pilots", _("Pilots"), _("Synthesizer: city demands, firm solutions, consortia and pilot projects.")),
    (
        "observatory",
        _("Observatory"),
        _("Seoul's digital industry by district and sector, and the city's policies with their KPIs."),
    ),
    ("landscape", *LANDSCAPE_SECTION),
]


def home_sections(request) -> list[dict]:
    sections = []
    for app, title, description in SECTIONS:
        card: dict = {}
        try:
            module = import_module(f"seoulhub.{app}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"seoulhub.{app}.home":
                raise
        else:
            card = module.home_card(request)
        sections.append(
            {
                "app": app,
                "title": title,
                "description": description,
                "card": card,
                "template": f"{app}/_home_card.html" if card else None,
            }
        )
    return sections


def warm_shared_figures() -> None:
    """Compute every card's shared figures in every language (a server's master process does this
    before forking, so no worker's first visitor waits for them)."""
    from django.conf import settings
    from django.utils import translation

    from .cards import shared_figures

    for app, _title, _description in SECTIONS:
        try:
            module = import_module(f"seoulhub.{app}.home")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "figures"):
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    shared_figures(app, module.figures)
