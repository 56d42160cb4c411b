from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "seoulhub.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from . import signals

        signals.connect()
