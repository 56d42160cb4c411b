import sys
import threading

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadarConfig(AppConfig):
    name = "seoulhub.radar"
    label = "radar"
    verbose_name = _("Radar")

    def ready(self) -> None:
        # The development server (make demo): load the Korean analyser, the query lexicon and the
        # encoder beside it as it starts, so the first search does not wait ~10 s for them.
        # gunicorn does the same in its master before forking (gunicorn.conf.py).
        if "runserver" in sys.argv[1:2]:
            threading.Thread(target=_warm_search, name="warm-search", daemon=True).start()


def _warm_search() -> None:
    from django.db import connection

    from seoulhub.radar.search.service import warm

    try:
        warm()
    finally:
        connection.close()
