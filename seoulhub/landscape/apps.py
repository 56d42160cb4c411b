from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandscapeConfig(AppConfig):
    name = "seoulhub.landscape"
    label = "landscape"
    verbose_name = _("Technology landscape")

    def ready(self) -> None:
        from . import signals

        signals.connect()
