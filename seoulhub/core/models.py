from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per task worker, touched every few seconds while it runs (read by /healthz)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.last_seen:%Y-%m-%d %H:%M:%S})"


class ReferenceDate(models.Model):
    """At most one row (pk=1): the day the demo's data is current on (seoulhub.core.clock)."""

    day = models.DateField()

    class Meta:
        verbose_name = _("reference date")
        verbose_name_plural = _("reference dates")

    def __str__(self) -> str:
        return self.day.isoformat()
