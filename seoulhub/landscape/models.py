"""Stored aggregates of the technology landscape. Pages and the API read only these rows (plus
short, indexed lists of firms, programmes and demands); `seoulhub refresh-landscape` and the
signals in `signals.py` keep them up to date. See docs/landscape.md for what each figure counts."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TechnologyLandscape(models.Model):
    """Per technology: the global trend (from the radar's trend counts) and Seoul's capacity."""

    technology = models.OneToOneField(
        "taxonomy.Technology",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="landscape",
        verbose_name=_("technology"),
    )
    # Global trend, from radar trend aggregates (weekly item counts per technology).
    articles = models.PositiveIntegerField(_("articles tagged (all time)"), default=0)
    weekly_counts = models.JSONField(
        _("weekly counts"),
        default=list,
        blank=True,
        help_text=_("[[week, items with the technology, all items], ...], oldest first"),
    )
    recent = models.PositiveIntegerField(_("items in the recent window"), default=0)
    recent_total = models.PositiveIntegerField(_("all items in the recent window"), default=0)
    history = models.PositiveIntegerField(_("items in the history window"), default=0)
    history_total = models.PositiveIntegerField(_("all items in the history window"), default=0)
    growth = models.FloatField(_("growth of share"), default=1.0)
    g2 = models.FloatField(_("log-likelihood G²"), default=0.0)
    emergence = models.FloatField(_("emergence score"), default=0.0)
    significant = models.BooleanField(_("significant rise"), default=False)
    rising = models.FloatField(_("rising strength"), default=0.0)
    top_clusters = models.JSONField(_("top story clusters"), default=list, blank=True)
    top_sources = models.JSONField(_("leading sources"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=dict, blank=True)
    countries = models.JSONField(_("countries"), default=dict, blank=True)
    # Seoul's capacity and needs.
    firms = models.PositiveIntegerField(_("firms tagged"), default=0)
    firms_in_seoul_districts = models.PositiveIntegerField(_("firms with a known Seoul district"), default=0)
    firms_by_district = models.JSONField(
        _("firms by district"), default=dict, blank=True, help_text=_("administrative code -> firms")
    )
    programmes = models.PositiveIntegerField(_("programmes targeting it"), default=0)
    open_programmes = models.PositiveIntegerField(_("open programmes targeting it"), default=0)
    open_demands = models.PositiveIntegerField(_("open pilot demands needing it"), default=0)
    open_example_demands = models.PositiveIntegerField(_("open example demands needing it"), default=0)
    pilots = models.PositiveIntegerField(_("pilots using it"), default=0)
    example_pilots = models.PositiveIntegerField(_("example pilots using it"), default=0)
    capacity = models.FloatField(_("local capacity index"), default=0.0)
    gap = models.FloatField(_("gap score"), default=0.0)
    global_refreshed_at = models.DateTimeField(_("global figures refreshed at"), null=True, blank=True)
    local_refreshed_at = models.DateTimeField(_("local figures refreshed at"), null=True, blank=True)

    class Meta:
        ordering = ["-gap", "-rising", "technology__slug"]
        verbose_name = _("technology landscape")
        verbose_name_plural = _("technology landscapes")
        indexes = [models.Index(fields=["-gap", "-rising"], name="landscape_gap_rank")]

    def __str__(self) -> str:
        return str(self.technology)


class TechnologyPair(models.Model):
    """How often two technologies appear on the same item. `tech_a == tech_b` rows hold the
    number of items with that one technology, so NPMI needs no other table."""

    class Context(models.TextChoices):
        ARTICLES = "articles", _("articles")
        PILOTS = "pilots", _("demands and pilots")

    context = models.CharField(_("counted in"), max_length=10, choices=Context.choices)
    tech_a = models.ForeignKey("taxonomy.Technology", on_delete=models.CASCADE, related_name="+")
    tech_b = models.ForeignKey("taxonomy.Technology", on_delete=models.CASCADE, related_name="+")
    together = models.PositiveIntegerField(_("items with both"), default=0)
    npmi = models.FloatField(_("normalised PMI"), default=0.0)

    class Meta:
        verbose_name = _("technology pair")
        verbose_name_plural = _("technology pairs")
        constraints = [
            models.UniqueConstraint(fields=["context", "tech_a", "tech_b"], name="landscape_pair_unique"),
            models.CheckConstraint(condition=models.Q(tech_a__lte=models.F("tech_b")), name="landscape_pair_ordered"),
        ]
        indexes = [models.Index(fields=["context", "tech_b"], name="landscape_pair_b")]


class CountCursor(models.Model):
    """How far the incremental article co-occurrence count has read (articles with id <= position)."""

    context = models.CharField(max_length=10, unique=True)
    position = models.BigIntegerField(default=0)
    items = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


def _new_token() -> str:
    """Named by migration 0001 (the former briefing feed token); feeds now live in seoulhub.alerts."""
    from seoulhub.alerts.models import new_feed_token

    return new_feed_token()


class Briefing(models.Model):
    """The weekly landscape briefing of one technology: a frozen snapshot of its figures and what
    was new that week, written once per (technology, ISO week)."""

    technology = models.ForeignKey(
        "taxonomy.Technology", on_delete=models.CASCADE, related_name="briefings", verbose_name=_("technology")
    )
    week = models.CharField(_("week"), max_length=8)
    content = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-week", "technology__slug"]
        verbose_name = _("landscape briefing")
        verbose_name_plural = _("landscape briefings")
        constraints = [models.UniqueConstraint(fields=["technology", "week"], name="landscape_briefing_unique")]

    def __str__(self) -> str:
        return f"{self.technology} {self.week}"
