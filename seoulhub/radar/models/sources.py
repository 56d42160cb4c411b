from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A source failing this long without one success is paused and listed for operators.
PAUSE_AFTER = timedelta(days=3)
# Backoff after consecutive errors: interval * 2**errors, capped.
MAX_BACKOFF = timedelta(days=1)


class Source(models.Model):
    """A feed the radar reads: RSS/Atom/JSON Feed/arXiv listing by URL, or a local file."""

    class Kind(models.TextChoices):
        RSS = "rss", _("RSS")
        ATOM = "atom", _("Atom")
        JSON = "json", _("JSON Feed")
        ARXIV = "arxiv", _("arXiv listing")
        FILE = "file", _("Local file")

    class Trust(models.IntegerChoices):
        LOW = 1, _("low")
        NORMAL = 2, _("normal")
        HIGH = 3, _("high (official or peer-reviewed)")

    name = models.CharField(_("name"), max_length=200)
    url = models.CharField(_("feed URL or file path"), max_length=1000, unique=True)
    site_url = models.URLField(_("website"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.RSS)
    fetch_interval_minutes = models.PositiveIntegerField(_("fetch interval (minutes)"), default=60)
    full_text = models.BooleanField(
        _("extract full text"), default=False, help_text=_("Download each article page and extract its text.")
    )
    language_hint = models.CharField(
        _("language hint"), max_length=8, blank=True, help_text=_("ko or en; used when detection is unsure.")
    )
    trust_level = models.PositiveSmallIntegerField(_("trust level"), choices=Trust.choices, default=Trust.NORMAL)
    active = models.BooleanField(_("active"), default=True)
    attribution = models.CharField(_("attribution / licence"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Health record.
    last_fetch_at = models.DateTimeField(_("last fetch"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    consecutive_errors = models.PositiveIntegerField(_("consecutive errors"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    etag = models.CharField(_("ETag"), max_length=500, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    items_seen = models.PositiveIntegerField(_("items seen"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [models.Index(fields=["active", "paused_at"], name="radar_source_active_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_file(self) -> bool:
        return self.kind == self.Kind.FILE or not self.url.startswith(("http://", "https://"))

    def fetch_is_backfill(self) -> bool:
        """True for the first successful fetch of this source and for any file import: what it
        brings was published before the hub saw it, so an item without a date has an unknown
        date, not the fetch day. Only a routine re-fetch of a known feed dates an undated item by
        when it was first seen (a feed lists its new items), so only those count in time series."""
        return self.last_success_at is None or self.is_local_file

    @property
    def is_failing(self) -> bool:
        return self.consecutive_errors > 0

    def next_fetch_at(self):
        if self.last_fetch_at is None:
            return None
        interval = timedelta(minutes=self.fetch_interval_minutes)
        if self.consecutive_errors:
            interval = min(interval * (2 ** min(self.consecutive_errors, 16)), max(MAX_BACKOFF, interval))
        return self.last_fetch_at + interval

    def is_due(self, now=None) -> bool:
        if not self.active or self.paused_at is not None:
            return False
        due = self.next_fetch_at()
        return due is None or due <= (now or timezone.now())

    def record_success(self, *, etag: str = "", last_modified: str = "", items: int = 0, now=None) -> None:
        now = now or timezone.now()
        self.last_fetch_at = self.last_success_at = now
        self.consecutive_errors = 0
        self.last_error = ""
        self.etag, self.last_modified = etag[:500], last_modified[:100]
        self.items_seen += items
        self.save(
            update_fields=[
                "last_fetch_at",
                "last_success_at",
                "consecutive_errors",
                "last_error",
                "etag",
                "last_modified",
                "items_seen",
            ]
        )

    def record_failure(self, message: str, now=None) -> None:
        """Count an error; pause the source if it has not succeeded for PAUSE_AFTER."""
        now = now or timezone.now()
        self.last_fetch_at = now
        self.consecutive_errors += 1
        self.last_error = message[:2000]
        since = self.last_success_at or self.created_at or now
        if self.paused_at is None and self.consecutive_errors >= 3 and now - since >= PAUSE_AFTER:
            self.paused_at = now
        self.save(update_fields=["last_fetch_at", "consecutive_errors", "last_error", "paused_at"])

    def resume(self) -> None:
        self.paused_at = None
        self.consecutive_errors = 0
        self.save(update_fields=["paused_at", "consecutive_errors"])
